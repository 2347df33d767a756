package dev.moe.runtime.experiment;

import dev.moe.gating.nn.Permutations;
import dev.moe.runtime.config.MoeConfig;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Which rows train the experts, which train the gate, and which are held out for testing: disjoint
 * index sets over a seeded shuffle of the data set.
 *
 * @param expertPool rows the experts' subsets are drawn from
 * @param gateRows   rows the gate trains on (with a three-way split experts never see them; with cross-fitting they
 *                   are the experts' pool too, and the gate sees out-of-fold outputs)
 * @param testRows   rows every model is evaluated on
 */
public record SplitPlan(int[] expertPool, int[] gateRows, int[] testRows) {

    public static SplitPlan plan(int rows, MoeConfig.SplitConfig split, long seed) {
        int[] order = Permutations.shuffled(rows, new SplittableRandom(seed));
        if (split.crossFits()) {
            int test = (int) Math.round(rows * split.testOrDefault());
            int training = rows - test;
            int folds = split.crossFitFolds(training);
            if (test < 1 || training < 2 * folds) {
                throw new IllegalArgumentException("split leaves " + training + " training rows and " + test + " test rows of "
                        + rows + ": too few for " + folds + "-fold cross-fitting");
            }
            int[] trainingRows = Arrays.copyOfRange(order, 0, training);
            return new SplitPlan(trainingRows, trainingRows, Arrays.copyOfRange(order, training, rows));
        }
        int experts = (int) Math.round(rows * split.expertsOrDefault());
        int gate = (int) Math.round(rows * split.gateOrDefault());
        int test = Math.min(rows - experts - gate, (int) Math.round(rows * split.testOrDefault()));
        if (gate < 1 || test < 1) {
            throw new IllegalArgumentException("split leaves " + gate + " gate rows and " + test + " test rows of " + rows);
        }
        return new SplitPlan(
                Arrays.copyOfRange(order, 0, experts),
                Arrays.copyOfRange(order, experts, experts + gate),
                Arrays.copyOfRange(order, experts + gate, experts + gate + test));
    }
}
