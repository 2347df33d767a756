package dev.moe.experts.xgboost;

import java.util.List;

/**
 * A classifier read from XGBoost's JSON model: its trees, base margins and objective, and what the file says about its
 * columns. {@link #probabilities} turns a block of rows into one probability row each, as XGBoost's
 * {@code predict} (with {@code multi:softmax}, the probabilities behind the class it would give).
 *
 * @param objective    the objective's name, e.g. {@code multi:softprob}
 * @param classes      the columns of the output: the number of classes, 2 for a binary objective
 * @param numFeature   the columns the model reads ({@code num_feature})
 * @param featureNames the names the file records ({@code feature_names}), or empty
 * @param base         the base margin of each output group (one for a binary objective)
 * @param forest       the trees
 * @param booster      {@code gbtree} or {@code dart}
 * @param version      the XGBoost version that wrote the file, e.g. {@code 1.7.4}; "unknown" when it does not say
 * @param baseScore    {@code base_score} as the file spells it
 * @param roundsUsed   the boosting rounds whose trees are evaluated
 * @param rounds       the boosting rounds the file holds
 */
record XGBoostModel(String objective, int classes, int numFeature, List<String> featureNames, float[] base,
        Forest forest, String booster, String version, String baseScore, int roundsUsed, int rounds) {

    /** Whether the output is one logistic margin (binary objectives): probabilities [1 - p, p]. */
    boolean binary() {
        return base.length == 1;
    }

    /**
     * The class probabilities of a block of rows.
     *
     * @param x       row-major, {@code numFeature} values a row, NaN where a value is missing
     * @param rows    the rows in {@code x}
     * @return rows x classes, row-major
     */
    float[] probabilities(float[] x, int rows) {
        float[] margins = forest.margins(x, rows, numFeature, base);
        if (binary()) {
            float[] p = new float[rows * 2];
            for (int r = 0; r < rows; r++) {
                double one = 1.0 / (1.0 + Math.exp(-margins[r]));
                p[2 * r] = (float) (1.0 - one);
                p[2 * r + 1] = (float) one;
            }
            return p;
        }
        int k = classes;
        double[] e = new double[k];
        for (int r = 0; r < rows; r++) {
            int o = r * k;
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                max = Math.max(max, margins[o + c]);
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                e[c] = Math.exp(margins[o + c] - max);
                sum += e[c];
            }
            for (int c = 0; c < k; c++) {
                margins[o + c] = (float) (e[c] / sum);
            }
        }
        return margins;
    }
}
