package dev.moe.runtime.experiment;

import dev.moe.api.FloatMatrix;
import dev.moe.gating.mixture.AlignedExpert;
import dev.moe.gating.training.GateData;
import dev.moe.runtime.MoeException;
import dev.moe.runtime.evaluation.Baselines;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The baselines that need only the final experts (stacking, and those offered through
 * {@link dev.moe.api.BaselineProvider}), started on threads of their own as soon as the experts are built, so that
 * they run while the combiner is chosen instead of after it, each on one core while the other waited. Their inputs and
 * seeds are those {@code evaluate} would give them afterwards, so their figures are the same.
 */
final class SideBaselines implements AutoCloseable {

    private final ExecutorService pool = Executors.newFixedThreadPool(2, runnable -> {
        Thread t = new Thread(runnable, "moe-baselines");
        t.setDaemon(true);
        return t;
    });
    private List<AlignedExpert> experts;
    private List<FloatMatrix> testProbabilities;
    private Future<FloatMatrix> stacking;
    private Future<Map<String, FloatMatrix>> provided;

    /**
     * Scores the test rows with each final expert here, then starts the baselines beside the caller.
     *
     * @param experts the final experts, which nothing changes afterwards (not fine-tuned with the gate)
     */
    void start(List<AlignedExpert> experts, GateData gateData, FloatMatrix testFeatures, List<String> featureNames,
               List<String> labels, long stackingSeed) {
        this.experts = List.copyOf(experts);
        List<FloatMatrix> probabilities = new ArrayList<>();
        for (AlignedExpert expert : experts) {
            probabilities.add(expert.predict(testFeatures));
        }
        this.testProbabilities = List.copyOf(probabilities);
        stacking = pool.submit(() -> Baselines.stacking(gateData, testProbabilities, labels, stackingSeed));
        provided = pool.submit(() -> Baselines.provided(this.experts, testFeatures, featureNames, labels));
    }

    /** Whether the baselines were started for exactly these experts (the mixture's, in its order). */
    boolean startedFor(List<AlignedExpert> mixtureExperts) {
        if (experts == null || experts.size() != mixtureExperts.size()) {
            return false;
        }
        for (int k = 0; k < experts.size(); k++) {
            if (experts.get(k) != mixtureExperts.get(k)) {
                return false;
            }
        }
        return true;
    }

    /** Each expert's probabilities on the test rows, in the experts' order. */
    List<FloatMatrix> testProbabilities() {
        return testProbabilities;
    }

    FloatMatrix stacking() {
        return result(stacking);
    }

    Map<String, FloatMatrix> provided() {
        return result(provided);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    /** A baseline's result; a failure in it is rethrown as it was thrown. */
    private static <T> T result(Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MoeException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new MoeException(String.valueOf(e.getCause()), e.getCause());
        }
    }
}
