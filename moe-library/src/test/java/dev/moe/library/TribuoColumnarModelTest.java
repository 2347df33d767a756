package dev.moe.library;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.api.FloatMatrix;
import dev.moe.experts.tribuo.TribuoExpert;
import dev.moe.gating.mixture.AlignedExpert;
import dev.moe.runtime.data.CategoricalEncoding;
import dev.moe.runtime.data.CsvSource;
import dev.moe.runtime.data.Dataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.classification.xgboost.XGBoostClassificationTrainer;
import org.tribuo.data.columnar.FieldProcessor;
import org.tribuo.data.columnar.RowProcessor;
import org.tribuo.data.columnar.processors.field.DoubleFieldProcessor;
import org.tribuo.data.columnar.processors.field.IdentityProcessor;
import org.tribuo.data.columnar.processors.response.FieldResponseProcessor;
import org.tribuo.data.csv.CSVDataSource;

/**
 * A model a user trained with Tribuo's columnar loaders, as Tribuo's tutorials do, fed by moe's own reading of the same
 * file: {@code DoubleFieldProcessor} names a number {@code x@value}, {@code IdentityProcessor} a category
 * {@code colour@red} (and a blank cell {@code colour@}), {@code FieldResponseProcessor} upper-cases the labels; moe reads
 * {@code x}, one-hot {@code colour=red} and labels {@code a}, {@code b}.
 */
class TribuoColumnarModelTest {

    @TempDir
    Path dir;

    @Test
    void moeGivesTheProbabilitiesTribuoGivesOnEveryRowForLogisticRegressionXGBoostAndCart() throws Exception {
        StringBuilder text = new StringBuilder("colour,x,shape,label\n");
        // Each column writes its missing cells one way: colour blank, shape NA (moe reads both as missing).
        String[] colours = {"red", "green", "blue", ""};
        String[] shapes = {"round", "square", "NA"};
        for (int r = 0; r < 300; r++) {
            String colour = colours[(r * 7) % 4];
            String shape = shapes[(r * 11) % 3];
            double x = ((r * 37) % 100) / 50.0 - 1;
            // The label leans on every level, blank and NA included, so that each has its own weight in the model.
            double score = x + (colour.equals("red") ? 1 : colour.isEmpty() ? -0.8 : 0)
                    + (shape.equals("NA") ? 0.7 : shape.equals("round") ? -0.3 : 0) + ((r * 13) % 7 - 3) / 5.0;
            text.append(colour).append(',').append(x).append(',').append(shape).append(',')
                    .append(score > 0.2 ? "a" : "b").append('\n');
        }
        Path csv = dir.resolve("colours.csv");
        Files.writeString(csv, text);

        Map<String, FieldProcessor> fields = new LinkedHashMap<>();
        fields.put("colour", new IdentityProcessor("colour"));
        fields.put("x", new DoubleFieldProcessor("x"));
        fields.put("shape", new IdentityProcessor("shape"));
        LabelFactory labels = new LabelFactory();
        var source = new CSVDataSource<>(csv, new RowProcessor<>(new FieldResponseProcessor<>("label", "", labels), fields), true);
        var rows = new MutableDataset<>(source);
        Dataset raw = CsvSource.read(csv, "label", List.of(), List.of("colour", "shape"));
        CategoricalEncoding encoding = CategoricalEncoding.fit(raw, IntStream.range(0, raw.rows()).toArray());
        Dataset encoded = encoding.encode(raw, new CategoricalEncoding.Tally());
        assertEquals(List.of("a", "b"), encoded.labelNames());

        // XGBoost reads a level Tribuo's loader left out (every level but the row's) as a missing value, not as 0.
        List<Trainer<Label>> trainers = List.of(new LogisticRegressionTrainer(), new XGBoostClassificationTrainer(20),
                new CARTClassificationTrainer(6));
        Model<Label> model = null;
        for (Trainer<Label> trainer : trainers) {
            model = trainer.train(rows);
            assertTrue(model.getFeatureIDMap().get("colour@") != null && model.getFeatureIDMap().get("x@value") != null
                    && model.getFeatureIDMap().get("shape@NA") != null, "Tribuo's names, as this test expects them");
            FloatMatrix p = AlignedExpert.align(TribuoExpert.of("theirs", model), encoded.featureNames(), encoded.labelNames())
                    .predict(encoded.features());
            List<Prediction<Label>> expected = model.predict(rows);
            String what = model.getClass().getSimpleName();
            for (int r = 0; r < raw.rows(); r++) {
                Prediction<Label> e = expected.get(r);
                for (int j = 0; j < 2; j++) {
                    String label = j == 0 ? "A" : "B";
                    double want = model.generatesProbabilities() ? e.getOutputScores().get(label).getScore()
                            : e.getOutput().getLabel().equals(label) ? 1 : 0;
                    assertEquals(want, p.get(r, j), 1e-6, what + ", row " + r + ", label " + label);
                }
            }
        }

        // From Java as a user would: the model as an expert of a mixture trained on the file.
        Mixture mixture = Mixture.builder().expert("theirs", model).categorical("colour", "shape").train(csv, "label");
        assertEquals(List.of("colour", "x", "shape"), mixture.inputColumns());
    }
}
