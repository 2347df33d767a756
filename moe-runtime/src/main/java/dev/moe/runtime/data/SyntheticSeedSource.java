package dev.moe.runtime.data;

import dev.moe.api.FloatMatrix;
import dev.moe.gating.nn.Permutations;
import dev.moe.runtime.MoeException;
import dev.moe.runtime.config.MoeConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The article's synthetic data set: standard normal features (4), three equally frequent classes in
 * random order; class 0 has feature0 + 1, class 1 has feature1 - 1, class 2 has feature0 - 1.
 */
public final class SyntheticSeedSource implements DataSource {

    public static final String NAME = "synthetic-seed";
    public static final int FEATURES = 4;
    public static final int DEFAULT_ROWS = 5000;

    @Override
    public Dataset load(MoeConfig.DataConfig config, Path baseDirectory, long seed) {
        int rows = config.rows() == null ? DEFAULT_ROWS : config.rows();
        if (rows < 3) {
            throw new MoeException("data.rows must be at least 3 for " + NAME + ", got " + rows);
        }
        if (config.path() != null || config.label() != null) {
            throw new MoeException("data: " + NAME + " takes only 'rows', not 'path' or 'label'");
        }
        return generate(rows, seed);
    }

    public static Dataset generate(int rows, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] labels = new int[rows];
        for (int i = 0; i < rows; i++) {
            labels[i] = i % 3;
        }
        Permutations.shuffle(labels, random);
        float[] x = new float[rows * FEATURES];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < FEATURES; j++) {
                x[i * FEATURES + j] = (float) random.nextGaussian();
            }
            switch (labels[i]) {
                case 0 -> x[i * FEATURES] += 1;
                case 1 -> x[i * FEATURES + 1] -= 1;
                default -> x[i * FEATURES] -= 1;
            }
        }
        return new Dataset(NAME, new FloatMatrix(rows, FEATURES, x), labels,
                List.of("feature0", "feature1", "feature2", "feature3"), List.of("0", "1", "2"));
    }
}
