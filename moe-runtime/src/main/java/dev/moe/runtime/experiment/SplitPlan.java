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
 * @param gateRows   rows the gate trains on (experts never see them)
 * @param testRows   rows every model is evaluated on
 */
public record SplitPlan(int[] expertPool, int[] gateRows, int[] testRows) {

    public static SplitPlan plan(int rows, MoeConfig.SplitConfig split, long seed) {
        int[] order = Permutations.shuffled(rows, new SplittableRandom(seed));
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
