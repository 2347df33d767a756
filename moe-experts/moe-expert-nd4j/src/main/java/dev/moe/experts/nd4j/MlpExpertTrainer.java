package dev.moe.experts.nd4j;

import dev.moe.api.ExpertProvenance;
import dev.moe.api.ExpertSignature;
import dev.moe.api.FloatMatrix;
import dev.moe.api.TrainingSet;
import dev.moe.gating.mixture.FeatureScaler;
import dev.moe.gating.nn.Activation;
import dev.moe.gating.nn.Mlp;
import dev.moe.gating.nn.Permutations;
import dev.moe.gating.nn.Softmax;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Trains an {@link MlpExpert} with Adam on softmax cross-entropy. */
public final class MlpExpertTrainer {

    /**
     * @param hidden       hidden layer sizes (the article's expert: one layer)
     * @param activation   for every hidden layer
     * @param epochs       passes over the rows
     * @param learningRate Adam's step size
     * @param batchSize    rows per step; 0 for full batch
     * @param seed         initialisation and batch order
     */
    public record Settings(List<Integer> hidden, Activation activation, int epochs, double learningRate, int batchSize, long seed) {
        public Settings {
            hidden = List.copyOf(hidden);
        }
    }

    public MlpExpert train(String id, TrainingSet data, Settings settings) {
        if (data.rows() == 0) {
            throw new IllegalArgumentException("expert '" + id + "' has no training rows");
        }
        SplittableRandom random = new SplittableRandom(settings.seed());
        FeatureScaler scaler = FeatureScaler.fit(data.features());
        int[] sizes = new int[settings.hidden().size() + 2];
        sizes[0] = data.featureNames().size();
        for (int i = 0; i < settings.hidden().size(); i++) {
            sizes[i + 1] = settings.hidden().get(i);
        }
        sizes[sizes.length - 1] = data.labelNames().size();
        Mlp network = Mlp.initialise(sizes, Collections.nCopies(settings.hidden().size(), settings.activation()),
                0.0, DataType.FLOAT, random.nextLong());

        Map<String, String> provenance = new LinkedHashMap<>();
        provenance.put("layers", Arrays.toString(sizes));
        provenance.put("activation", settings.activation().configName());
        provenance.put("epochs", Integer.toString(settings.epochs()));
        provenance.put("learning-rate", Double.toString(settings.learningRate()));
        provenance.put("batch-size", Integer.toString(settings.batchSize()));
        provenance.put("seed", Long.toString(settings.seed()));
        provenance.put("training-rows", Integer.toString(data.rows()));
        MlpExpert untrained = new MlpExpert(new ExpertSignature(id, data.featureNames(), data.labelNames(),
                ExpertProvenance.trained(MlpExpertProvider.NAME, provenance)), scaler, network);

        MlpExpert.MlpTuner tuner = new MlpExpert.MlpTuner(untrained, network, settings.learningRate(), random.nextLong());
        int n = data.rows();
        int batch = settings.batchSize() == 0 || settings.batchSize() >= n ? n : settings.batchSize();
        INDArray input = tuner.standardise(data.features()); // once, not once per epoch
        int[] order = Permutations.identity(n);
        for (int epoch = 0; epoch < settings.epochs(); epoch++) {
            if (batch < n) {
                Permutations.shuffle(order, random);
            }
            for (int start = 0; start < n; start += batch) {
                int[] rows = batch == n ? order : Arrays.copyOfRange(order, start, Math.min(n, start + batch));
                INDArray x = batch == n ? input : input.getRows(rows);
                int[] y = new int[rows.length];
                for (int i = 0; i < rows.length; i++) {
                    y[i] = data.labels()[rows[i]];
                }
                FloatMatrix p = tuner.forwardStandardised(x);
                float[] dz = tuner.logitGradient(p.values().length);
                Softmax.crossEntropyGradient(p, y, dz); // the loss itself is not reported
                tuner.stepOnLogitGradient(new FloatMatrix(p.rows(), p.columns(), dz));
            }
        }
        return tuner.resultWith(Map.of());
    }
}
