package dev.moe.bench;

import dev.moe.api.TrainingSet;
import dev.moe.experts.nd4j.MlpExpert;
import dev.moe.experts.nd4j.MlpExpertTrainer;
import dev.moe.gating.mixture.AlignedExpert;
import dev.moe.gating.nn.Activation;
import dev.moe.gating.training.GateOptions;
import dev.moe.gating.training.GateTrainer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Hashes of what the gate trainer produces (the gate's parameters, fine-tuned experts' outputs, the loss history)
 * for several option sets, 30 epochs each, and of an MLP expert's own training: two builds that print the same lines train bit for bit alike
 * (bench/gate-ab.sh compares them).
 */
public final class GateTrainingFingerprint {

    public static void main(String[] args) {
        GateTrainingBenchmark.Setup setup = GateTrainingBenchmark.Setup.article(2000, 30);
        GateOptions article = setup.options();
        Map<String, GateOptions> sets = new LinkedHashMap<>();
        sets.put("article", article);
        sets.put("article-decay-uniform", article.toBuilder().weightDecay(0.01).uniformStart(true).build());
        sets.put("article-batch500", article.toBuilder().batchSize(500).build());
        sets.put("article-finetune", article.toBuilder().fineTuneExperts(true, 0.001).build());
        sets.put("article-early", article.withEarlyStopping(new GateOptions.EarlyStopping(0.2, 5)));
        sets.put("linear", new GateOptions(List.of(), List.of(), 0, 30, 0.01, 0, 7, false, 0.001, 0));
        sets.put("small-decay", new GateOptions(List.of(16), List.of(Activation.LEAKY_RELU), 0.2, 30, 0.01, 0, 7, false,
                0.001, 0).toBuilder().weightDecay(0.001).build());
        for (Map.Entry<String, GateOptions> entry : sets.entrySet()) {
            GateTrainer.TrainedMixture trained = setup.train(entry.getValue());
            int hash = Arrays.hashCode(trained.model().gate().network().parameterValues());
            for (AlignedExpert expert : trained.model().experts()) {
                hash = 31 * hash + Arrays.hashCode(expert.predict(setup.x()).values());
            }
            double[] losses = trained.lossHistory();
            System.out.printf(Locale.ROOT, "%-22s parameters %08x losses %08x last loss %.9f%n", entry.getKey(), hash,
                    Arrays.hashCode(losses), losses[losses.length - 1]);
        }
        // The experts' own training (before any gate), full batch and in batches of 500.
        for (int batch : new int[] {0, 500}) {
            MlpExpert expert = new MlpExpertTrainer().train("e", new TrainingSet(setup.x(), setup.labels(),
                    List.of("f0", "f1", "f2", "f3"), setup.labelNames()), new MlpExpertTrainer.Settings(List.of(32),
                    Activation.RELU, 30, 0.001, batch, 5));
            System.out.printf(Locale.ROOT, "%-22s outputs %08x%n", "expert-batch" + batch,
                    Arrays.hashCode(expert.predict(setup.x()).values()));
        }
    }
}
