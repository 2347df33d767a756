package dev.moe.gating.training;

import dev.moe.api.FloatMatrix;
import dev.moe.api.RoutingStrategy;
import dev.moe.gating.mixture.AlignedExpert;
import dev.moe.gating.mixture.MixtureModel;
import dev.moe.gating.nn.Permutations;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Chooses how to combine the experts by cross-validation on the gate's rows, never on test rows: each candidate
 * (plain averaging, one weight per expert, gates on different inputs) is trained on all folds but one and scored
 * on the one left out, in turn, so every row gets an out-of-fold log-loss from every candidate. The candidate with
 * the lowest mean log-loss (ties to the earlier one: list the simpler first) is then trained on every row. Plain
 * averaging learns nothing, so a learned gate is chosen only when it beats averaging on rows it did not train on:
 * averaging is the floor. Each score also gives its distance from the best and that distance's standard error over
 * the rows' paired differences, to show how clear the choice was.
 *
 * <p>Breiman's one-standard-error rule (take the simplest candidate within one standard error of the best) was
 * tried as the choice and measured on the real data sets: it fell back to averaging so often that it lost
 * accuracy on average, so the plain minimum is used.
 */
public final class GateSelection {

    /** Keeps log() finite when a candidate gives the true label probability 0. */
    private static final double MIN_PROBABILITY = 1e-7;

    private final GateTrainer trainer;

    public GateSelection(GateTrainer trainer) {
        this.trainer = Objects.requireNonNull(trainer, "trainer");
    }

    /**
     * @param name     how reports call it ({@code uniform}, {@code constant}, {@code experts}, ...)
     * @param strategy its routing
     * @param options  its gate and training options (the seed is replaced per fold)
     */
    public record Candidate(String name, RoutingStrategy strategy, GateOptions options) {
        public Candidate {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(strategy, "strategy");
            Objects.requireNonNull(options, "options");
        }
    }

    /**
     * A candidate's out-of-fold figures.
     *
     * @param logLoss       mean negative log-likelihood of the true labels on the rows left out
     * @param accuracy      share of those rows predicted right
     * @param aboveBest     its mean log-loss minus the best candidate's (0 for the best)
     * @param standardError the standard error of that difference over the rows' paired differences
     */
    public record Score(String candidate, double logLoss, double accuracy, double aboveBest, double standardError) { }

    /**
     * @param chosen the chosen candidate trained on every row
     * @param name   its name
     * @param scores every candidate's cross-validated figures, in the candidates' order
     */
    public record Result(GateTrainer.TrainedMixture chosen, String name, List<Score> scores) { }

    /**
     * @param folds cross-validation folds over the gate's rows (at least 2); with one candidate nothing is
     *              cross-validated and it is trained at once
     * @param seed  the fold assignment and each fold's training seed
     */
    public Result select(GateData data, List<String> labelNames, List<AlignedExpert> experts, List<Candidate> candidates,
                         int folds, long seed, GateTrainer.EpochListener listener) {
        // The listener hears every training's epochs: each candidate's on each fold, then the chosen one's.
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("no gate candidates to choose from");
        }
        if (candidates.size() == 1) {
            Candidate only = candidates.get(0);
            return new Result(trainer.train(data, labelNames, experts, only.strategy(), only.options(), listener), only.name(),
                    List.of());
        }
        SplittableRandom random = new SplittableRandom(seed);
        int[] fold = Permutations.stratifiedFolds(data.labels(), folds, random);
        int c = labelNames.size();
        int n = data.rows();
        double[][] loss = new double[candidates.size()][n];
        int[] right = new int[candidates.size()];
        for (int f = 0; f < folds; f++) {
            int[] trainRows = Permutations.foldRows(fold, f, false);
            int[] heldOut = Permutations.foldRows(fold, f, true);
            GateData train = data.select(trainRows);
            GateData test = data.select(heldOut);
            long foldSeed = random.nextLong();
            for (int i = 0; i < candidates.size(); i++) {
                Candidate candidate = candidates.get(i);
                MixtureModel model = trainer.train(train, labelNames, experts, candidate.strategy(),
                        candidate.options().withSeed(foldSeed), listener).model();
                FloatMatrix p = model.predict(test.features(), test.expertProbabilities()).probabilities();
                for (int r = 0; r < heldOut.length; r++) {
                    int label = test.labels()[r];
                    loss[i][heldOut[r]] = -Math.log(Math.max(p.get(r, label), MIN_PROBABILITY));
                    if (argMax(p.values(), r * c, c) == label) {
                        right[i]++;
                    }
                }
            }
        }
        int best = 0;
        for (int i = 1; i < candidates.size(); i++) {
            if (mean(loss[i]) < mean(loss[best])) {
                best = i;
            }
        }
        List<Score> scores = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            double[] difference = new double[n];
            for (int r = 0; r < n; r++) {
                difference[r] = loss[i][r] - loss[best][r];
            }
            double above = mean(difference);
            double standardError = Math.sqrt(variance(difference) / n);
            scores.add(new Score(candidates.get(i).name(), mean(loss[i]), (double) right[i] / n, above, standardError));
        }
        Candidate winner = candidates.get(best);
        GateTrainer.TrainedMixture trained = trainer.train(data, labelNames, experts, winner.strategy(), winner.options(), listener);
        return new Result(trained, winner.name(), scores);
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    /** The sample variance (0 for fewer than two values). */
    private static double variance(double[] values) {
        if (values.length < 2) {
            return 0;
        }
        double mean = mean(values);
        double sum = 0;
        for (double v : values) {
            sum += (v - mean) * (v - mean);
        }
        return sum / (values.length - 1);
    }

    private static int argMax(float[] values, int offset, int length) {
        int best = 0;
        for (int j = 1; j < length; j++) {
            if (values[offset + j] > values[offset + best]) {
                best = j;
            }
        }
        return best;
    }
}
