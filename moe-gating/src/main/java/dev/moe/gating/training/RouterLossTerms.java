package dev.moe.gating.training;

/** The auxiliary losses of {@link RouterLosses} as terms of the gate's objective. */
final class RouterLossTerms {

    private RouterLossTerms() {
    }

    /** Shazeer et al.'s importance loss, on the weights. */
    record Importance(double coefficient) implements ObjectiveTerm {
        @Override
        public Target target() {
            return Target.WEIGHTS;
        }

        @Override
        public double addGradient(GateBatch batch) {
            return RouterLosses.importance(batch.weights, coefficient, batch.weightGradient);
        }
    }

    /** The Switch Transformer's load-balancing loss, on the logits (its routed shares pass no gradient). */
    record SwitchLoadBalance(double alpha) implements ObjectiveTerm {
        @Override
        public Target target() {
            return Target.LOGITS;
        }

        @Override
        public double addGradient(GateBatch batch) {
            return RouterLosses.switchLoadBalance(batch.logits, batch.weights, alpha, batch.logitGradient);
        }
    }

    /** ST-MoE's router z-loss, on the logits. */
    record ZLoss(double beta) implements ObjectiveTerm {
        @Override
        public Target target() {
            return Target.LOGITS;
        }

        @Override
        public double addGradient(GateBatch batch) {
            return RouterLosses.zLoss(batch.logits, beta, batch.logitGradient);
        }
    }

    /** Shazeer et al.'s load loss for noisy top-k, on the logits and the noise scales; 0 on batches without noise. */
    record SmoothLoad(int k, double coefficient) implements ObjectiveTerm {
        @Override
        public Target target() {
            return Target.LOGITS;
        }

        @Override
        public double addGradient(GateBatch batch) {
            if (batch.noise == null) {
                return 0;
            }
            return RouterLosses.smoothLoad(batch.logits, batch.noise.noise(), batch.noise.std(), k, coefficient,
                    batch.logitGradient, batch.stdGradient);
        }
    }
}
