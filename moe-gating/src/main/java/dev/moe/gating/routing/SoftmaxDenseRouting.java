package dev.moe.gating.routing;

import dev.moe.api.FloatMatrix;
import dev.moe.api.RoutingStrategy;
import java.util.Arrays;

/** {@code w = softmax(z / T)}: every expert runs on every row. */
public final class SoftmaxDenseRouting implements RoutingStrategy {

    public static final String NAME = "softmax-dense";

    private final double temperature;

    public SoftmaxDenseRouting(double temperature) {
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("temperature must be positive, got " + temperature);
        }
        this.temperature = temperature;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String describe() {
        return "temperature=" + temperature;
    }

    @Override
    public Routing route(FloatMatrix logits, boolean training) {
        boolean[] all = new boolean[logits.values().length];
        Arrays.fill(all, true);
        return new MaskedSoftmax(logits, all, temperature);
    }
}
