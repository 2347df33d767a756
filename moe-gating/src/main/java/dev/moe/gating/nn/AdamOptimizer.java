package dev.moe.gating.nn;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Adam over a network's flat parameter vector, with PyTorch's defaults (betas 0.9, 0.999; eps 1e-8) so that
 * recipes carry over.
 *
 * <p>With the direct kernels the step is a Java loop over heap chunks, the moments kept on the heap: ND4J's fused
 * updater cost tens of microseconds a call whatever the size, a large share of a small expert's step. Its rule is
 * torch.optim.Adam's (eps added to the bias-corrected root). Elsewhere (e.g. CUDA) ND4J's updater runs.
 */
public final class AdamOptimizer {

    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double EPSILON = 1e-8;

    private final INDArray parameters;
    private final double learningRate;
    /** Direct kernels: the first and second moments, in the parameters' layout. */
    private final float[] firstMoment;
    private final float[] secondMoment;
    /** Other backends: ND4J's updater. */
    private final GradientUpdater<?> updater;
    private int iteration;

    public AdamOptimizer(INDArray parameters, double learningRate) {
        this(parameters, learningRate, Kernels.forBackend());
    }

    /** With the given kernels' implementation: for tests that check both. */
    AdamOptimizer(INDArray parameters, double learningRate, Kernels kernels) {
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("learning rate must be positive, got " + learningRate);
        }
        this.parameters = parameters;
        this.learningRate = learningRate;
        if (kernels == Kernels.DIRECT) {
            firstMoment = new float[(int) parameters.length()];
            secondMoment = new float[firstMoment.length];
            updater = null;
        } else {
            firstMoment = null;
            secondMoment = null;
            Adam config = new Adam(learningRate, BETA1, BETA2, EPSILON);
            INDArray state = Nd4j.zeros(parameters.dataType(), 1, config.stateSize(parameters.length()));
            updater = config.instantiate(state, true);
        }
    }

    /** One step: {@code gradient} (same layout as the parameters) is consumed and may be overwritten. */
    public void step(INDArray gradient) {
        beginStep();
        update(gradient, 0, (int) parameters.length());
    }

    /**
     * Starts the next step; {@link #update} then applies it to each range of the parameters once. Ranges may be
     * updated in any order and, with the direct kernels, at once from different threads: each parameter's rule only
     * reads its own gradient and moments.
     */
    public void beginStep() {
        iteration++;
    }

    /**
     * The current step (see {@link #beginStep}) on parameters {@code from..to-1}; {@code gradient} has the parameters'
     * layout, and its range is consumed and may be overwritten. ND4J's updater (non-CPU backends) takes whole steps only.
     */
    public void update(INDArray gradient, int from, int to) {
        int n = (int) parameters.length();
        if (from < 0 || from > to || to > n) {
            throw new IllegalArgumentException("parameters " + from + ".." + to + " out of " + n);
        }
        if (updater != null) {
            if (from != 0 || to != n) {
                throw new IllegalArgumentException("ND4J's Adam updates all " + n + " parameters at once, not " + from + ".." + to);
            }
            updater.applyUpdater(gradient, iteration - 1, 0);
            parameters.subi(gradient);
            return;
        }
        // p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
        float stepSize = (float) (learningRate / (1 - Math.pow(BETA1, iteration)));
        float rootCorrection = (float) (1 / Math.sqrt(1 - Math.pow(BETA2, iteration)));
        float b1 = (float) BETA1;
        float b2 = (float) BETA2;
        float eps = (float) EPSILON;
        FloatBuffer p = Blas.floats(parameters);
        FloatBuffer g = Blas.floats(Blas.dense(gradient));
        // Every array of the loop is a chunk indexed from 0: C2 (Java 17) did not vectorise it while the moments were
        // read at start + i (2.6 ns a parameter against 0.3).
        float[] ps = new float[Math.min(Kernels.CHUNK, to - from)];
        float[] gs = new float[ps.length];
        float[] ms = new float[ps.length];
        float[] vs = new float[ps.length];
        for (int start = from; start < to; start += Kernels.CHUNK) {
            int length = Math.min(Kernels.CHUNK, to - start);
            p.get(start, ps, 0, length);
            g.get(start, gs, 0, length);
            System.arraycopy(firstMoment, start, ms, 0, length);
            System.arraycopy(secondMoment, start, vs, 0, length);
            update(ps, gs, ms, vs, length, stepSize, rootCorrection, b1, b2, eps);
            System.arraycopy(ms, 0, firstMoment, start, length);
            System.arraycopy(vs, 0, secondMoment, start, length);
            p.put(start, ps, 0, length);
        }
    }

    private static void update(float[] p, float[] g, float[] m, float[] v, int length, float stepSize,
                               float rootCorrection, float b1, float b2, float eps) {
        for (int i = 0; i < length; i++) {
            float gi = g[i];
            float mi = b1 * m[i] + (1 - b1) * gi;
            float vi = b2 * v[i] + (1 - b2) * gi * gi;
            m[i] = mi;
            v[i] = vi;
            p[i] -= stepSize * mi / ((float) Math.sqrt(vi) * rootCorrection + eps);
        }
    }
}
