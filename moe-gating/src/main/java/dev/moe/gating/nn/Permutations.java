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

    /**
     * Assigns each row to one of {@code k} folds, stratified: within each label the rows are shuffled and dealt
     * out in turn, so every fold gets its share of every label (a rare label is not left out of a fold's training
     * part by chance).
     *
     * @return each row's fold, 0..k-1
     */
    public static int[] stratifiedFolds(int[] labels, int k, SplittableRandom random) {
        if (k < 2) {
            throw new IllegalArgumentException("cross-validation needs at least 2 folds, got " + k);
        }
        if (labels.length < k) {
            throw new IllegalArgumentException(labels.length + " rows cannot be split into " + k + " folds");
        }
        int[] order = shuffled(labels.length, random);
        int maxLabel = 0;
        for (int label : labels) {
            maxLabel = Math.max(maxLabel, label);
        }
        int[] fold = new int[labels.length];
        // Continue dealing across labels, so that fold sizes differ by at most one.
        int next = 0;
        for (int label = 0; label <= maxLabel; label++) {
            for (int row : order) {
                if (labels[row] == label) {
                    fold[row] = next;
                    next = (next + 1) % k;
                }
            }
        }
        return fold;
    }

    /** The rows in fold {@code f} ({@code inFold}) or in every other fold, ascending. */
    public static int[] foldRows(int[] fold, int f, boolean inFold) {
        int count = 0;
        for (int v : fold) {
            if ((v == f) == inFold) {
                count++;
            }
        }
        int[] rows = new int[count];
        int i = 0;
        for (int r = 0; r < fold.length; r++) {
            if ((fold[r] == f) == inFold) {
                rows[i++] = r;
            }
        }
        return rows;
    }

    /** {@code values[indices[i]]} for each i: e.g. the labels of a subset of rows. */
    public static int[] select(int[] values, int[] indices) {
        int[] out = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            out[i] = values[indices[i]];
        }
        return out;
    }
}
