package dev.moe.gating.training;

import dev.moe.api.FloatMatrix;
import dev.moe.api.RoutingStrategy;
import dev.moe.gating.mixture.AlignedExpert;
import dev.moe.gating.mixture.ExpertTuning;
import dev.moe.gating.mixture.FeatureScaler;
import dev.moe.gating.mixture.GateNetwork;
import dev.moe.gating.mixture.MixtureModel;
import dev.moe.gating.nn.AdamOptimizer;
import dev.moe.gating.nn.Mlp;
import dev.moe.gating.nn.Nd4jMatrices;
import dev.moe.gating.routing.SoftmaxDenseRouting;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains the gate on the mixture's negative log-likelihood {@code -log sum_k w_k p_k(y)} with Adam.
 *
 * <p>Frozen experts (the default) are run once over the gate-train rows before the first epoch; each
 * step then reuses their probabilities of the true label. With fine-tuning on, experts that implement
 * {@link dev.moe.gating.mixture.FineTunableExpert} run every step and take their own Adam step too.
 */
public final class GateTrainer {

    /** Keeps log() finite when every chosen expert gives the true label probability 0. */
    private static final float MIN_LIKELIHOOD = 1e-7f;

    /** Called after each epoch, e.g. for a progress bar. */
    public interface EpochListener {
        void epochDone(int epoch, int epochs, double loss);

        EpochListener NONE = (epoch, epochs, loss) -> { };
    }

    public TrainedMixture train(FloatMatrix rows, int[] labels, List<String> labelNames, List<AlignedExpert> experts,
                                RoutingStrategy strategy, GateOptions options, EpochListener listener) {
        int n = rows.rows();
        int e = experts.size();
        if (labels.length != n) {
            throw new IllegalArgumentException(n + " rows but " + labels.length + " labels");
        }
        if (e == 0) {
            throw new IllegalArgumentException("a mixture needs at least one expert");
        }
        SplittableRandom random = new SplittableRandom(options.seed());
        FeatureScaler scaler = FeatureScaler.fit(rows);
        INDArray input = Nd4jMatrices.toNd4j(scaler.apply(rows), DataType.FLOAT);

        int[] sizes = new int[options.hidden().size() + 2];
        sizes[0] = rows.columns();
        for (int i = 0; i < options.hidden().size(); i++) {
            sizes[i + 1] = options.hidden().get(i);
        }
        sizes[sizes.length - 1] = e;
        Mlp network = Mlp.initialise(sizes, options.activations(), options.dropout(), DataType.FLOAT, random.nextLong());
        AdamOptimizer optimizer = new AdamOptimizer(network.parameters(), options.learningRate());

        List<ExpertTuning> tunings = new ArrayList<>();
        // Frozen experts: p_k(y_i) for every gate-train row, computed once. Column k of a row-major n x e block.
        float[] trueLabelProbability = new float[n * e];
        for (int k = 0; k < e; k++) {
            ExpertTuning tuning = options.fineTuneExperts()
                    ? ExpertTuning.start(experts.get(k), options.expertLearningRate(), random.nextLong())
                    : null;
            tunings.add(tuning);
            if (tuning == null) {
                FloatMatrix p = experts.get(k).predict(rows);
                for (int i = 0; i < n; i++) {
                    trueLabelProbability[i * e + k] = p.get(i, labels[i]);
                }
            }
        }

        int batch = options.batchSize() == 0 || options.batchSize() >= n ? n : options.batchSize();
        int[] order = identity(n);
        double[] lossHistory = new double[options.epochs()];
        RoutingStrategy warmup = new SoftmaxDenseRouting(1.0);
        for (int epoch = 0; epoch < options.epochs(); epoch++) {
            RoutingStrategy routing = epoch < options.denseWarmupEpochs() ? warmup : strategy;
            if (batch < n) {
                shuffle(order, random);
            }
            double lossSum = 0;
            for (int start = 0; start < n; start += batch) {
                int size = Math.min(batch, n - start);
                int[] batchRows = size == n ? order : java.util.Arrays.copyOfRange(order, start, start + size);
                INDArray batchInput = size == n && batch == n ? input : input.getRows(batchRows);
                lossSum += step(network, optimizer, routing, batchInput, batchRows, rows, labels, e,
                        trueLabelProbability, tunings, random) * size;
            }
            lossHistory[epoch] = lossSum / n;
            listener.epochDone(epoch + 1, options.epochs(), lossHistory[epoch]);
        }

        List<AlignedExpert> finalExperts = new ArrayList<>(experts);
        for (int k = 0; k < e; k++) {
            if (tunings.get(k) != null) {
                finalExperts.set(k, tunings.get(k).finish());
            }
        }
        MixtureModel model = new MixtureModel(new GateNetwork(scaler, network), strategy, finalExperts, labelNames);
        return new TrainedMixture(model, lossHistory);
    }

    /** One Adam step on one batch; returns the batch's mean loss. */
    private static double step(Mlp network, AdamOptimizer optimizer, RoutingStrategy strategy, INDArray batchInput,
                               int[] batchRows, FloatMatrix rows, int[] labels, int e, float[] cachedProbability,
                               List<ExpertTuning> tunings, SplittableRandom random) {
        int b = batchRows.length;
        Mlp.Pass pass = network.forward(batchInput, true, random);
        RoutingStrategy.Routing routing = strategy.route(Nd4jMatrices.toFloatMatrix(pass.logits()), true);
        float[] w = routing.weights().values();

        int[] batchLabels = new int[b];
        for (int i = 0; i < b; i++) {
            batchLabels[i] = labels[batchRows[i]];
        }
        float[] p = new float[b * e];
        FloatMatrix batchFeatures = null;
        for (int k = 0; k < e; k++) {
            ExpertTuning tuning = tunings.get(k);
            if (tuning == null) {
                for (int i = 0; i < b; i++) {
                    p[i * e + k] = cachedProbability[batchRows[i] * e + k];
                }
            } else {
                if (batchFeatures == null) {
                    batchFeatures = b == rows.rows() && isIdentity(batchRows) ? rows : rows.selectRows(batchRows);
                }
                FloatMatrix probabilities = tuning.forward(batchFeatures);
                for (int i = 0; i < b; i++) {
                    p[i * e + k] = probabilities.get(i, batchLabels[i]);
                }
            }
        }

        double loss = 0;
        float[] weightGradient = new float[b * e];
        float[] probabilityGradient = new float[b * e];
        for (int i = 0; i < b; i++) {
            double mixture = 0;
            for (int k = 0; k < e; k++) {
                mixture += (double) w[i * e + k] * p[i * e + k];
            }
            double m = Math.max(mixture, MIN_LIKELIHOOD);
            loss -= Math.log(m);
            for (int k = 0; k < e; k++) {
                weightGradient[i * e + k] = (float) (-p[i * e + k] / (m * b));
                probabilityGradient[i * e + k] = (float) (-w[i * e + k] / (m * b));
            }
        }

        FloatMatrix logitGradient = routing.backward(new FloatMatrix(b, e, weightGradient));
        Mlp.Gradients gradients = network.backward(pass, Nd4jMatrices.toNd4j(logitGradient, network.dataType()));
        optimizer.step(gradients.parameters());

        for (int k = 0; k < e; k++) {
            ExpertTuning tuning = tunings.get(k);
            if (tuning != null) {
                tuning.backwardAndStep(probabilityGradient, k, e, batchLabels);
            }
        }
        return loss / b;
    }

    private static boolean isIdentity(int[] order) {
        for (int i = 0; i < order.length; i++) {
            if (order[i] != i) {
                return false;
            }
        }
        return true;
    }

    private static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }

    private static void shuffle(int[] order, SplittableRandom random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    /** @param lossHistory the mean training loss after each epoch */
    public record TrainedMixture(MixtureModel model, double[] lossHistory) { }

}
