package dev.moe.gating.routing;

/** Provides {@code product}. */
public final class ProductRoutingProvider extends NoParametersProvider {

    public ProductRoutingProvider() {
        super(ProductRouting.NAME,
                "a weighted product of the experts (one learned exponent per expert, every row alike): an expert sure"
                        + " that a label is wrong can veto it",
                ProductRouting::new);
    }
}
