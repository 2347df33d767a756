package dev.moe.experts.tribuo;

import java.lang.reflect.Field;
import java.util.List;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.classification.xgboost.XGBoostClassificationConverter;
import org.tribuo.common.xgboost.XGBoostModel;

/**
 * Scores a block with a Tribuo {@link XGBoostModel} (classification, one booster) as Tribuo's batch predict does,
 * without its per-value boxing: the same CSR matrix (every feature of every row, in feature-id order, as float,
 * what {@code XGBoostTrainer.convertExamples} builds from the expert's examples), the same booster call, and the
 * booster's probabilities in output-id order, which is what {@code XGBoostClassificationConverter} turns into
 * Tribuo's prediction. Only for rows holding exactly the model's features. Immutable; the booster is read by
 * reflection (Tribuo keeps it private), as Tribuo's own concurrent predictions share it.
 */
final class XGBoostScorer {

    private final Booster booster;
    private final int dims;
    private final int outputs;

    private XGBoostScorer(Booster booster, int dims, int outputs) {
        this.booster = booster;
        this.dims = dims;
        this.outputs = outputs;
    }

    /** A scorer for a bare XGBoost classification model with one booster, else null (then Tribuo scores it). */
    static XGBoostScorer of(Model<Label> model) {
        if (!(model instanceof XGBoostModel<Label> xgb)) {
            return null;
        }
        try {
            Field converter = XGBoostModel.class.getDeclaredField("converter");
            converter.setAccessible(true);
            if (!(converter.get(xgb) instanceof XGBoostClassificationConverter)) {
                return null;
            }
            Field models = XGBoostModel.class.getDeclaredField("models");
            models.setAccessible(true);
            if (!(models.get(xgb) instanceof List<?> boosters) || boosters.size() != 1
                    || !(boosters.get(0) instanceof Booster booster)) {
                return null;
            }
            return new XGBoostScorer(booster, model.getFeatureIDMap().size(), model.getOutputIDInfo().size());
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** For each of the model's feature ids, the column holding it, when the columns are exactly its features. */
    static int[] directColumns(ImmutableFeatureMap featureMap, List<String> columnNames) {
        if (columnNames.size() != featureMap.size()) {
            return null;
        }
        int[] columns = new int[featureMap.size()];
        for (int id = 0; id < columns.length; id++) {
            columns[id] = columnNames.indexOf(featureMap.get(id).getName());
            if (columns[id] < 0) {
                return null;
            }
        }
        return columns;
    }

    /**
     * The booster's probabilities for rows {@code from .. from+count-1} of a row-major block.
     *
     * @return count rows of the model's outputs, in output-id order; null when the booster gives another shape
     *         (then Tribuo's own path decides what that means)
     */
    float[][] probabilities(float[] in, int columns, int from, int count, int[] directColumns) {
        long[] headers = new long[count + 1];
        int[] indices = new int[count * dims];
        float[] data = new float[count * dims];
        for (int r = 0; r < count; r++) {
            int offset = (from + r) * columns;
            for (int id = 0; id < dims; id++) {
                indices[r * dims + id] = id;
                data[r * dims + id] = in[offset + directColumns[id]];
            }
            headers[r + 1] = (long) (r + 1) * dims;
        }
        DMatrix matrix = null;
        try {
            matrix = new DMatrix(headers, indices, data, DMatrix.SparseType.CSR, dims);
            float[][] p = booster.predict(matrix);
            for (float[] row : p) {
                if (row.length != outputs) {
                    return null;
                }
            }
            return p.length == count ? p : null;
        } catch (XGBoostError e) {
            throw new IllegalStateException(e);
        } finally {
            if (matrix != null) {
                matrix.dispose();
            }
        }
    }
}
