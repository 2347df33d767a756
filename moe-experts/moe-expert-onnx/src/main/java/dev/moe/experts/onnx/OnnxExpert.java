package dev.moe.experts.onnx;

import dev.moe.api.AbstractExpert;
import dev.moe.api.ExpertException;
import dev.moe.api.ExpertSignature;
import dev.moe.api.FloatMatrix;
import java.util.List;

/**
 * A pretrained ONNX classifier as an expert: each block of rows is one ONNX Runtime run on the session created when
 * the expert was loaded; the chosen output's rows are checked (probabilities that are not, NaN) and, for logits,
 * turned into probabilities by a softmax.
 */
final class OnnxExpert extends AbstractExpert {

    /** How far a row of probabilities may sum from 1 (float rounding of a softmax is about 1e-7). */
    static final double SUM_TOLERANCE = 1e-3;

    private final OnnxModel model;
    private final byte[] bytes;
    private final ScoreKind scores;
    private final String output;
    private final int threads;
    private final List<Object> columnKeys;

    OnnxExpert(ExpertSignature signature, OnnxModel model, byte[] bytes, ScoreKind scores, String output, int threads) {
        super(signature);
        this.model = model;
        this.bytes = bytes;
        this.scores = scores;
        this.output = output;
        this.threads = threads;
        this.columnKeys = model.isZipMap() ? model.zipMapKeys(signature.labelNames()) : null;
    }

    @Override
    public FloatMatrix predict(FloatMatrix features) {
        requireColumns(features);
        int rows = features.rows();
        int classes = model.outputWidth();
        float[] out = new float[rows * classes];
        int block = model.blockRows();
        for (int first = 0; first < rows; first += block) {
            model.run(features.values(), first, Math.min(block, rows - first), out, columnKeys);
        }
        if (scores == ScoreKind.LOGITS) {
            softmax(out, rows, classes);
        } else {
            checkProbabilities(out, rows, classes);
        }
        return new FloatMatrix(rows, classes, out);
    }

    /** Refuses rows that are not probabilities, naming the first, and scales each row to sum to exactly 1. */
    private void checkProbabilities(float[] p, int rows, int classes) {
        for (int r = 0; r < rows; r++) {
            double sum = 0;
            float min = Float.POSITIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                float v = p[r * classes + c];
                if (Float.isNaN(v) || Float.isInfinite(v)) {
                    throw notFinite(r, v);
                }
                sum += v;
                min = Math.min(min, v);
            }
            if (min < -1e-6 || Math.abs(sum - 1) > SUM_TOLERANCE) {
                throw new ExpertException("expert '" + id() + "': output '" + model.outputName() + "' of " + source()
                        + " is not probabilities: row " + r + " of a batch of " + rows + " sums to " + (float) sum + (min < 0 ? ", its least value is " + min : "")
                        + "; if the model ends before its softmax (a PyTorch module usually does), set params.scores: logits"
                        + ", or choose another output with params.output");
            }
            for (int c = 0; c < classes; c++) {
                p[r * classes + c] = (float) (Math.max(0f, p[r * classes + c]) / sum);
            }
        }
    }

    /** A softmax per row; refuses rows that already look like probabilities (all of them), which logits almost never do. */
    private void softmax(float[] z, int rows, int classes) {
        boolean allProbabilities = rows > 0 && classes > 1;
        for (int r = 0; r < rows && allProbabilities; r++) {
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                float v = z[r * classes + c];
                allProbabilities &= v >= 0 && v <= 1;
                sum += v;
            }
            allProbabilities &= Math.abs(sum - 1) <= 1e-5;
        }
        if (allProbabilities) {
            throw new ExpertException("expert '" + id() + "': output '" + model.outputName() + "' of " + source()
                    + " already holds probabilities (every row of " + rows + " is non-negative and sums to 1), but"
                    + " params.scores is logits: a softmax on top would flatten them; set params.scores: probabilities");
        }
        for (int r = 0; r < rows; r++) {
            int o = r * classes;
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                float v = z[o + c];
                if (Float.isNaN(v) || Float.isInfinite(v)) {
                    throw notFinite(r, v);
                }
                max = Math.max(max, v);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                double e = Math.exp(z[o + c] - max);
                z[o + c] = (float) e;
                sum += e;
            }
            for (int c = 0; c < classes; c++) {
                z[o + c] = (float) (z[o + c] / sum);
            }
        }
    }

    private ExpertException notFinite(int row, float value) {
        return new ExpertException("expert '" + id() + "': output '" + model.outputName() + "' of " + source() + " is "
                + value + " on row " + row + " of the block: the model gives no usable scores for it (check the"
                + " columns and their order in params.features, and the scaling the model expects)");
    }

    private String source() {
        String model = signature().provenance().model();
        return model == null ? "the model" : model;
    }

    /** The model's bytes, as loaded: what a saved mixture embeds. */
    byte[] bytes() {
        return bytes;
    }

    ScoreKind scores() {
        return scores;
    }

    /** The output as the config named it; null when it was chosen by its type. */
    String output() {
        return output;
    }

    int threads() {
        return threads;
    }

    @Override
    public void close() {
        model.close();
    }
}
