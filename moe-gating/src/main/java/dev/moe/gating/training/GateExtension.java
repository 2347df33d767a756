package dev.moe.gating.training;

import dev.moe.api.FloatMatrix;
import dev.moe.gating.mixture.AlignedExpert;
import dev.moe.gating.mixture.ExpertCalibration;
import dev.moe.gating.mixture.GateNetwork;
import dev.moe.gating.mixture.MixtureModel;
import dev.moe.gating.nn.Mlp;
import java.util.ArrayList;
import java.util.List;

/**
 * Adds an expert to a trained mixture without starting over. The gate gets one more output whose input
 * weights are 0 and whose bias sits {@code margin} below the smallest row maximum of the existing logits on
 * reference rows (the gate-train rows): the new expert's weight is at most {@code e^-margin} of the best
 * expert's there, so the mixture's output is unchanged at first (exactly so under top-k, which never picks
 * it). Then {@link GateTrainer#continueTraining} trains the gate alone; a sparse strategy needs
 * {@code denseWarmupEpochs} for the new expert to get a gradient.
 *
 * <p>Under {@code uniform} and {@code expert-choice} the output changes at once by their definition: the
 * new expert gets 1/E, or takes its share of each batch's rows.
 */
public final class GateExtension {

    /** e^-10 is about 4.5e-5: too small to change a prediction, large enough for Adam to grow from. */
    public static final double DEFAULT_MARGIN = 10;

    private GateExtension() {
    }

    public static MixtureModel addExpert(MixtureModel model, AlignedExpert expert, FloatMatrix referenceRows) {
        return addExpert(model, expert, referenceRows, DEFAULT_MARGIN);
    }

    public static MixtureModel addExpert(MixtureModel model, AlignedExpert expert, FloatMatrix referenceRows, double margin) {
        if (!(margin >= 0)) {
            throw new IllegalArgumentException("margin must not be negative, got " + margin);
        }
        if (model.gate().inputs().needsExperts()) {
            throw new IllegalArgumentException("a gate that reads the experts' outputs (" + model.gate().inputs().configName()
                    + ") changes its inputs with every expert added: train it again instead");
        }
        if (referenceRows.rows() == 0) {
            throw new IllegalArgumentException("reference rows are needed to place the new expert's bias");
        }
        FloatMatrix logits = model.gate().logits(referenceRows);
        double lowestBest = Double.POSITIVE_INFINITY;
        for (int r = 0; r < logits.rows(); r++) {
            lowestBest = Math.min(lowestBest, logits.get(r, logits.argMaxOfRow(r)));
        }
        Mlp network = model.gate().network();
        int[] sizes = network.sizes();
        int in = sizes[sizes.length - 2];
        int out = sizes[sizes.length - 1];
        float[] old = network.parameterValues();
        int lastLayer = old.length - (in * out + out);
        float[] values = new float[lastLayer + in * (out + 1) + out + 1];
        System.arraycopy(old, 0, values, 0, lastLayer);
        for (int i = 0; i < in; i++) {
            // Row-major in x out weights: each input's row gains a 0 for the new expert.
            System.arraycopy(old, lastLayer + i * out, values, lastLayer + i * (out + 1), out);
        }
        int bias = lastLayer + in * (out + 1);
        System.arraycopy(old, lastLayer + in * out, values, bias, out);
        values[bias + out] = (float) (lowestBest - margin);
        sizes[sizes.length - 1] = out + 1;
        Mlp extended = Mlp.fromParameters(sizes, network.activations(), network.dropout(), values, network.dataType());
        List<AlignedExpert> experts = new ArrayList<>(model.experts());
        experts.add(expert);
        List<ExpertCalibration> calibrations = new ArrayList<>(model.calibrations());
        calibrations.add(ExpertCalibration.IDENTITY);
        return new MixtureModel(new GateNetwork(model.gate().scaler(), extended), model.strategy(), experts, calibrations,
                model.labelNames());
    }
}
