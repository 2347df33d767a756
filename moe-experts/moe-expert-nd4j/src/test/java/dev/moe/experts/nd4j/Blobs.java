package dev.moe.experts.nd4j;

import dev.moe.api.FloatMatrix;
import dev.moe.api.TrainingSet;
import java.util.List;
import java.util.SplittableRandom;

/** Three well-separated Gaussian blobs in 2 features: any working classifier gets above 95%. */
final class Blobs {

    private Blobs() {
    }

    static TrainingSet make(int rows, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] centres = {{3, 0}, {-3, 0}, {0, 3}};
        float[] x = new float[rows * 2];
        int[] y = new int[rows];
        for (int i = 0; i < rows; i++) {
            y[i] = i % 3;
            x[2 * i] = centres[y[i]][0] + (float) r.nextGaussian() * 0.7f;
            x[2 * i + 1] = centres[y[i]][1] + (float) r.nextGaussian() * 0.7f;
        }
        return new TrainingSet(new FloatMatrix(rows, 2, x), y, List.of("a", "b"), List.of("red", "green", "blue"));
    }

    static double accuracy(FloatMatrix p, int[] y) {
        int ok = 0;
        for (int i = 0; i < y.length; i++) {
            ok += p.argMaxOfRow(i) == y[i] ? 1 : 0;
        }
        return (double) ok / y.length;
    }
}
