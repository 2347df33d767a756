package dev.moe.gating.routing;

/** Provides {@code switch}. */
public final class SwitchRoutingProvider extends NoParametersProvider {

    public SwitchRoutingProvider() {
        super(SwitchRouting.NAME,
                "top-1 (Switch Transformer): each row goes to one expert; straight-through gradient from the router's softmax",
                SwitchRouting::new);
    }
}
