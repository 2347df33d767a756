package dev.moe.gating.mixture;

import dev.moe.api.Expert;
import dev.moe.api.FloatMatrix;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Experts with known answers for tests: each predicts one label per row from a rule on feature x. */
public final class FakeExperts {

    private FakeExperts() {
    }

    /** Predicts {@code rule(row)} with probability {@code confidence}, the rest spread evenly; counts the rows it ran on. */
    public static class RuleExpert implements Expert {
        private final String id;
        private final List<String> features;
        private final List<String> labels;
        private final java.util.function.ToIntFunction<float[]> rule;
        private final float confidence;
        public final AtomicInteger rowsSeen = new AtomicInteger();

        public RuleExpert(String id, List<String> features, List<String> labels, java.util.function.ToIntFunction<float[]> rule, float confidence) {
            this.id = id;
            this.features = features;
            this.labels = labels;
            this.rule = rule;
            this.confidence = confidence;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public List<String> featureNames() {
            return features;
        }

        @Override
        public List<String> labelNames() {
            return labels;
        }

        @Override
        public Map<String, String> provenance() {
            return Map.of("provider", "test");
        }

        @Override
        public FloatMatrix predict(FloatMatrix x) {
            rowsSeen.addAndGet(x.rows());
            int c = labels.size();
            float rest = c == 1 ? 0 : (1 - confidence) / (c - 1);
            FloatMatrix p = FloatMatrix.zeros(x.rows(), c);
            for (int r = 0; r < x.rows(); r++) {
                int label = rule.applyAsInt(x.row(r));
                for (int j = 0; j < c; j++) {
                    p.set(r, j, j == label ? confidence : rest);
                }
            }
            return p;
        }
    }

    public static RuleExpert constant(String id, List<String> features, List<String> labels, int label) {
        return new RuleExpert(id, features, labels, row -> label, 0.9f);
    }

}
