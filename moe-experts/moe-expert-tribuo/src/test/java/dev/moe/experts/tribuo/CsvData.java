package dev.moe.experts.tribuo;

import dev.moe.api.FloatMatrix;
import dev.moe.api.TrainingSet;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

/**
 * Test data: a CSV from {@code src/test/resources/data} (header, last column {@code label}) as a TrainingSet,
 * and a seeded train/test split.
 */
final class CsvData {

    private CsvData() {
    }

    static TrainingSet read(String name) {
        InputStream in = CsvData.class.getResourceAsStream("/data/" + name);
        if (in == null) {
            throw new IllegalArgumentException("no test resource /data/" + name);
        }
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String[] header = reader.readLine().split(",");
            List<String> featureNames = Arrays.asList(header).subList(0, header.length - 1);
            List<float[]> rows = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",");
                float[] row = new float[featureNames.size()];
                for (int c = 0; c < row.length; c++) {
                    row[c] = Float.parseFloat(cells[c].trim());
                }
                rows.add(row);
                labels.add(cells[cells.length - 1].trim());
            }
            List<String> labelNames = new ArrayList<>(new TreeSet<>(labels));
            float[] values = new float[rows.size() * featureNames.size()];
            int[] labelIndices = new int[rows.size()];
            for (int r = 0; r < rows.size(); r++) {
                System.arraycopy(rows.get(r), 0, values, r * featureNames.size(), featureNames.size());
                labelIndices[r] = labelNames.indexOf(labels.get(r));
            }
            return new TrainingSet(new FloatMatrix(rows.size(), featureNames.size(), values), labelIndices,
                    featureNames, labelNames);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A seeded shuffle split: {@code [train, test]} with {@code trainFraction} of the rows in train. */
    static TrainingSet[] split(TrainingSet data, double trainFraction, long seed) {
        int n = data.rows();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random random = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int cut = (int) Math.round(n * trainFraction);
        return new TrainingSet[] {subset(data, Arrays.copyOfRange(order, 0, cut)),
                subset(data, Arrays.copyOfRange(order, cut, n))};
    }

    static TrainingSet subset(TrainingSet data, int[] rows) {
        int[] labels = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            labels[i] = data.labels()[rows[i]];
        }
        return new TrainingSet(data.features().selectRows(rows), labels, data.featureNames(), data.labelNames());
    }

    /** Accuracy of probability rows whose columns are {@code predictedLabels} against the set's labels. */
    static double accuracy(FloatMatrix probabilities, List<String> predictedLabels, TrainingSet truth) {
        int correct = 0;
        for (int r = 0; r < truth.rows(); r++) {
            String predicted = predictedLabels.get(probabilities.argMaxOfRow(r));
            if (predicted.equals(truth.labelNames().get(truth.labels()[r]))) {
                correct++;
            }
        }
        return (double) correct / truth.rows();
    }
}
