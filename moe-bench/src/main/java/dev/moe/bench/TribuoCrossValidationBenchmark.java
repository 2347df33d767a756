package dev.moe.bench;

import dev.moe.library.Mixture;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.tribuo.MutableDataset;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.evaluation.LabelEvaluator;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.data.csv.CSVLoader;
import org.tribuo.evaluation.CrossValidation;

/**
 * moe as a Tribuo trainer under Tribuo's own {@code CrossValidation}: a mixture of a logistic regression and a CART
 * tree (both trained by moe, cross-fitted, with the CLI's defaults) against each of them alone, on the same folds.
 *
 * <pre>
 * java -cp "$B" dev.moe.bench.TribuoCrossValidationBenchmark examples/data/iris.csv examples/data/wine.csv
 * </pre>
 */
public final class TribuoCrossValidationBenchmark {

    private static final int FOLDS = 5;
    private static final long SEED = 1L;

    private TribuoCrossValidationBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        for (String file : args) {
            MutableDataset<Label> data = new MutableDataset<>(
                    new CSVLoader<>(new LabelFactory()).loadDataSource(Path.of(file), "label"));
            Map<String, Trainer<Label>> trainers = new LinkedHashMap<>();
            trainers.put("logistic", new LogisticRegressionTrainer());
            trainers.put("cart", new CARTClassificationTrainer(4));
            trainers.put("moe", Mixture.builder()
                    .expert("logistic", new LogisticRegressionTrainer())
                    .expert("cart", new CARTClassificationTrainer(4))
                    .asTribuoTrainer());
            for (Map.Entry<String, Trainer<Label>> e : trainers.entrySet()) {
                long start = System.nanoTime();
                double mean = new CrossValidation<>(e.getValue(), data, new LabelEvaluator(), FOLDS, SEED).evaluate().stream()
                        .mapToDouble(fold -> fold.getA().accuracy()).average().orElse(Double.NaN);
                System.out.printf(Locale.ROOT, "%-12s %-9s %d-fold accuracy %.3f  (%.1f s)%n", Path.of(file).getFileName(),
                        e.getKey(), FOLDS, mean, (System.nanoTime() - start) / 1e9);
            }
        }
    }
}
