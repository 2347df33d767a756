package dev.moe.gating.nn;

import java.util.SplittableRandom;

/** Row orders: the identity and seeded Fisher-Yates shuffles, shared by every trainer and splitter. */
public final class Permutations {

    private Permutations() {
    }

    public static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }

    /** Shuffles {@code values} in place; the same random state gives the same order. */
    public static void shuffle(int[] values, SplittableRandom random) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = values[i];
            values[i] = values[j];
            values[j] = t;
        }
    }

    /** 0..n-1 in a seeded random order. */
    public static int[] shuffled(int n, SplittableRandom random) {
        int[] order = identity(n);
        shuffle(order, random);
        return order;
    }
}
