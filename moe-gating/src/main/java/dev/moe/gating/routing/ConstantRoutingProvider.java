package dev.moe.gating.routing;

/** Provides {@code constant}. */
public final class ConstantRoutingProvider extends NoParametersProvider {

    public ConstantRoutingProvider() {
        super(ConstantRouting.NAME,
                "one learned weight per expert for every row (a weighted soft vote: Tribuo's weighted ensemble); a baseline",
                ConstantRouting::new);
    }
}
