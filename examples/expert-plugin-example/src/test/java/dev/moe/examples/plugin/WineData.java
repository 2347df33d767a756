package dev.moe.examples.plugin;

import dev.moe.api.FloatMatrix;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The wine data set of {@code src/test/resources/data/wine.csv} (a copy of the project's shared wine.csv: header,
 * 13 features, last column {@code label}) and the seeded 70/30 split the shipped model was trained on.
 */
record WineData(List<String> featureNames, FloatMatrix features, List<String> labels) {

    static final long SPLIT_SEED = 42L;

    static WineData read() {
        var in = WineData.class.getResourceAsStream("/data/wine.csv");
        if (in == null) {
            throw new IllegalStateException("test resource /data/wine.csv is missing");
        }
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String[] header = reader.readLine().split(",");
            List<String> names = Arrays.asList(header).subList(0, header.length - 1);
            List<Float> values = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    String[] cells = line.split(",");
                    for (int c = 0; c < names.size(); c++) {
                        values.add(Float.parseFloat(cells[c].trim()));
                    }
                    labels.add(cells[cells.length - 1].trim());
                }
            }
            float[] v = new float[values.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = values.get(i);
            }
            return new WineData(List.copyOf(names), new FloatMatrix(labels.size(), names.size(), v), List.copyOf(labels));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code [train, test]}: a seeded shuffle, 70% of the rows for training. */
    WineData[] split() {
        int n = labels.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random random = new Random(SPLIT_SEED);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int cut = (int) Math.round(n * 0.7);
        return new WineData[] {rows(Arrays.copyOfRange(order, 0, cut)), rows(Arrays.copyOfRange(order, cut, n))};
    }

    private WineData rows(int[] indices) {
        List<String> picked = new ArrayList<>();
        for (int i : indices) {
            picked.add(labels.get(i));
        }
        return new WineData(featureNames, features.selectRows(indices), List.copyOf(picked));
    }
}
