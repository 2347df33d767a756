package dev.moe.experts.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.moe.api.Expert;
import dev.moe.api.ExpertSpec;
import dev.moe.api.FloatMatrix;
import dev.moe.api.Parameters;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * A Tribuo 4.3.2 logistic regression exported to ONNX by Tribuo itself ({@code ONNXExportable}), loaded through the
 * onnx provider: its probabilities equal Tribuo's own predictions row by row.
 */
class TribuoOnnxExportTest {

    /** The data's columns, in file order; Tribuo numbers features by name, so its ONNX input is in sorted order. */
    static final String[] COLUMNS = {"width", "area", "height", "depth"};
    static final String[] LABELS = {"small", "medium", "large"};

    @Test
    void tribuosOwnOnnxExportGivesTribuosProbabilities(@TempDir Path dir) throws Exception {
        Random random = new Random(11);
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> train = new MutableDataset<>(new SimpleDataSourceProvenance("blobs", factory), factory);
        List<double[]> testRows = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            int label = i % 3;
            double[] x = new double[COLUMNS.length];
            for (int c = 0; c < x.length; c++) {
                x[c] = random.nextGaussian() + (c == label ? 1.5 : 0) - (c == 3 && label == 2 ? 1 : 0);
            }
            if (i < 300) {
                train.add(new ArrayExample<>(new Label(LABELS[label]), COLUMNS, x));
            } else {
                testRows.add(x);
            }
        }
        Model<Label> model = new LogisticRegressionTrainer().train(train);
        Path onnx = dir.resolve("tribuo-lr.onnx");
        ((LinearSGDModel) model).saveONNXModel("dev.moe.test", 1, onnx);

        // The ONNX input's columns are Tribuo's feature ids, its output's columns Tribuo's label ids.
        List<String> features = new ArrayList<>();
        for (int id = 0; id < model.getFeatureIDMap().size(); id++) {
            features.add(model.getFeatureIDMap().get(id).getName());
        }
        List<String> labels = new ArrayList<>();
        for (int id = 0; id < model.getOutputIDInfo().size(); id++) {
            labels.add(model.getOutputIDInfo().getOutput(id).getLabel());
        }
        assertEquals(List.of("area", "depth", "height", "width"), features);

        ExpertSpec spec = new ExpertSpec("tribuo-lr", OnnxExpertProvider.NAME, new Parameters("experts[tribuo-lr].params",
                Map.of("model", onnx.toString(), "features", features, "labels", labels)), dir, 1L);
        try (Expert expert = new OnnxExpertProvider().load(spec)) {
            FloatMatrix x = FloatMatrix.zeros(testRows.size(), features.size());
            for (int r = 0; r < testRows.size(); r++) {
                for (int c = 0; c < features.size(); c++) {
                    x.set(r, c, (float) testRows.get(r)[List.of(COLUMNS).indexOf(features.get(c))]);
                }
            }
            FloatMatrix p = expert.predict(x);
            for (int r = 0; r < testRows.size(); r++) {
                // Tribuo predicts in doubles from the same float values moe feeds.
                double[] row = new double[COLUMNS.length];
                for (int c = 0; c < row.length; c++) {
                    row[c] = (float) testRows.get(r)[c];
                }
                Prediction<Label> tribuo = model.predict(new ArrayExample<>(new Label(LABELS[0]), COLUMNS, row));
                for (int c = 0; c < labels.size(); c++) {
                    assertEquals(tribuo.getOutputScores().get(labels.get(c)).getScore(), p.get(r, c), 1e-6,
                            "row " + r + ", label " + labels.get(c));
                }
            }
        }
    }
}
