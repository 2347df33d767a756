package dev.moe.experts.nd4j;

import dev.moe.api.AbstractExpert;
import dev.moe.api.Expert;
import dev.moe.api.ExpertProvenance;
import dev.moe.api.ExpertSignature;
import dev.moe.api.FineTunableExpert;
import dev.moe.api.FloatMatrix;
import dev.moe.gating.mixture.FeatureScaler;
import dev.moe.gating.nn.AdamOptimizer;
import dev.moe.gating.nn.Mlp;
import dev.moe.gating.nn.Nd4jMatrices;
import dev.moe.gating.nn.Softmax;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * An MLP classifier on ND4J: standardised inputs, dense layers, softmax output. Immutable once built;
 * training and fine-tuning work on copies of the network.
 */
public final class MlpExpert extends AbstractExpert implements FineTunableExpert {

    private final FeatureScaler scaler;
    private final Mlp network;

    public MlpExpert(ExpertSignature signature, FeatureScaler scaler, Mlp network) {
        super(signature);
        this.scaler = Objects.requireNonNull(scaler, "scaler");
        this.network = Objects.requireNonNull(network, "network");
        if (network.inputSize() != featureNames().size() || network.outputSize() != labelNames().size()) {
            throw new IllegalArgumentException("network " + network.inputSize() + " -> " + network.outputSize()
                    + " does not match " + featureNames().size() + " features and " + labelNames().size() + " labels");
        }
    }

    /** The same, from loose parts (the provenance as a flat map: {@link ExpertProvenance#fromMap}). */
    public MlpExpert(String id, List<String> featureNames, List<String> labelNames, Map<String, String> provenance,
                     FeatureScaler scaler, Mlp network) {
        this(new ExpertSignature(id, featureNames, labelNames, ExpertProvenance.fromMap(provenance, MlpExpertProvider.NAME)),
                scaler, network);
    }

    FeatureScaler scaler() {
        return scaler;
    }

    Mlp network() {
        return network;
    }

    /** The same model under another id (a loaded file named by the config). */
    MlpExpert withId(String newId) {
        return new MlpExpert(signature().withId(newId), scaler, network);
    }

    @Override
    public FloatMatrix predict(FloatMatrix features) {
        requireColumns(features);
        return Softmax.rows(network.predictLogits(scaler.apply(features)));
    }

    @Override
    public Tuner tuner(double learningRate, long seed) {
        return new MlpTuner(this, network.copy(), learningRate, seed);
    }

    /** Trains a copy of the network on softmax outputs: used both by plain training and by joint fine-tuning. */
    static final class MlpTuner implements Tuner {
        private final MlpExpert original;
        private final Mlp network;
        private final AdamOptimizer optimizer;
        private final SplittableRandom random;
        private Mlp.Pass pass;
        private FloatMatrix probabilities;
        /** The logits' gradient, reused from step to step (the network copies it into its own array). */
        private float[] logitGradient = new float[0];
        /** The rows of the last {@link #forward} call and their standardised copy (joint training repeats them). */
        private float[] lastRows;
        private FloatMatrix lastStandardised;

        MlpTuner(MlpExpert original, Mlp network, double learningRate, long seed) {
            this.original = original;
            this.network = network;
            this.optimizer = new AdamOptimizer(network.parameters(), learningRate);
            this.random = new SplittableRandom(seed);
        }

        @Override
        public FloatMatrix forward(FloatMatrix features) {
            // Through the network's reused input array: no ND4J allocation per fine-tuning step.
            pass = network.forward(standardisedOnce(features), true, random);
            probabilities = Softmax.rowsInPlace(pass.logitValues());
            return probabilities;
        }

        /**
         * The rows standardised, computed again only when they differ from the last call's: full-batch joint training
         * passes the same rows every step, and comparing them costs a fraction of scaling them.
         */
        private FloatMatrix standardisedOnce(FloatMatrix features) {
            if (lastStandardised == null || lastStandardised.columns() != features.columns()
                    || !Arrays.equals(lastRows, features.values())) {
                lastStandardised = original.scaler.apply(features);
                lastRows = features.values().clone();
            }
            return lastStandardised;
        }

        /** The network's input for these rows: scaled by the expert's scaler, as an ND4J array. */
        INDArray standardise(FloatMatrix features) {
            return Nd4jMatrices.toNd4j(original.scaler.apply(features), network.dataType());
        }

        /** {@link #forward} on rows already standardised: training reuses one standardised copy for every epoch. */
        FloatMatrix forwardStandardised(INDArray input) {
            pass = network.forward(input, true, random);
            probabilities = Softmax.rowsInPlace(pass.logitValues());
            return probabilities;
        }

        @Override
        public void backwardAndStep(FloatMatrix probabilityGradient) {
            // Softmax backward: dL/dz_j = p_j (g_j - sum_k p_k g_k).
            float[] p = probabilities.values();
            float[] g = probabilityGradient.values();
            int c = probabilities.columns();
            float[] dz = logitGradient(p.length);
            for (int r = 0; r < probabilities.rows(); r++) {
                double dot = 0;
                for (int j = 0; j < c; j++) {
                    dot += (double) p[r * c + j] * g[r * c + j];
                }
                for (int j = 0; j < c; j++) {
                    dz[r * c + j] = (float) (p[r * c + j] * (g[r * c + j] - dot));
                }
            }
            stepOnLogitGradient(new FloatMatrix(probabilities.rows(), c, dz));
        }

        /** The reused array for the logits' gradient, {@code length} long. */
        float[] logitGradient(int length) {
            if (logitGradient.length != length) {
                logitGradient = new float[length];
            }
            return logitGradient;
        }

        void stepOnLogitGradient(FloatMatrix logitGradient) {
            optimizer.beginStep();
            network.backwardAndUpdate(pass, logitGradient, optimizer::update);
        }

        @Override
        public Expert result() {
            return resultWith(Map.of("fine-tuned", "true"));
        }

        MlpExpert resultWith(Map<String, String> extraProvenance) {
            ExpertProvenance provenance = original.signature().provenance();
            for (Map.Entry<String, String> e : extraProvenance.entrySet()) {
                provenance = provenance.with(e.getKey(), e.getValue());
            }
            return new MlpExpert(original.signature().withProvenance(provenance), original.scaler, network.copy());
        }
    }
}
