package dev.moe.gating.routing;

/** Provides {@code uniform}. */
public final class UniformRoutingProvider extends NoParametersProvider {

    public UniformRoutingProvider() {
        super(UniformRouting.NAME,
                "every expert weighted 1/experts on every row (plain averaging); a baseline",
                UniformRouting::new);
    }
}
