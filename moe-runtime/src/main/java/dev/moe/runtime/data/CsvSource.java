package dev.moe.runtime.data;

import dev.moe.api.FloatMatrix;
import dev.moe.runtime.MoeException;
import dev.moe.runtime.config.MoeConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A CSV file with a header row: one label column (named by {@code data.label}, default {@code label}),
 * every other column a numeric feature. Errors name the file, line and column. Labels are ordered
 * numerically when they all are numbers, otherwise alphabetically.
 */
public final class CsvSource implements DataSource {

    public static final String NAME = "csv";

    @Override
    public Dataset load(MoeConfig.DataConfig config, Path baseDirectory, long seed) {
        if (config.path() == null) {
            throw new MoeException("data.path is required for the csv source");
        }
        if (config.rows() != null) {
            throw new MoeException("data.rows applies to synthetic-seed only; a csv source reads every row");
        }
        Path file = baseDirectory.resolve(config.path()).normalize();
        return read(file, config.label() == null ? "label" : config.label());
    }

    public static Dataset read(Path file, String labelColumn) {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = reader.readLine();
            if (header == null || header.isBlank()) {
                throw new MoeException(file + ": the file is empty (expected a header row)");
            }
            String[] columns = split(header);
            int labelIndex = Arrays.asList(columns).indexOf(labelColumn);
            if (labelIndex < 0) {
                throw new MoeException(file + ": no label column '" + labelColumn + "' in the header ("
                        + String.join(", ", columns) + ")");
            }
            List<String> featureNames = new ArrayList<>();
            for (int j = 0; j < columns.length; j++) {
                if (j != labelIndex) {
                    featureNames.add(columns[j]);
                }
            }
            int f = featureNames.size();
            float[] values = new float[1024 * Math.max(1, f)];
            List<String> rawLabels = new ArrayList<>();
            String line;
            int lineNumber = 1;
            int rows = 0;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = split(line);
                if (cells.length != columns.length) {
                    throw new MoeException(file + ": line " + lineNumber + ": " + cells.length + " fields, the header has " + columns.length);
                }
                if ((long) (rows + 1) * f > values.length) {
                    values = Arrays.copyOf(values, Math.max(values.length * 2, (rows + 1) * f));
                }
                int k = 0;
                for (int j = 0; j < cells.length; j++) {
                    if (j == labelIndex) {
                        if (cells[j].isEmpty()) {
                            throw new MoeException(file + ": line " + lineNumber + ": empty label");
                        }
                        rawLabels.add(cells[j]);
                        continue;
                    }
                    values[rows * f + k++] = parse(cells[j], file, lineNumber, columns[j]);
                }
                rows++;
            }
            if (rows == 0) {
                throw new MoeException(file + ": no data rows after the header");
            }
            List<String> labelNames = orderedLabels(rawLabels);
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < labelNames.size(); i++) {
                index.put(labelNames.get(i), i);
            }
            int[] labels = new int[rows];
            for (int i = 0; i < rows; i++) {
                labels[i] = index.get(rawLabels.get(i));
            }
            return new Dataset(file.getFileName().toString(), new FloatMatrix(rows, f, Arrays.copyOf(values, rows * f)),
                    labels, featureNames, labelNames);
        } catch (NoSuchFileException e) {
            throw new MoeException("data file not found: " + file);
        } catch (IOException e) {
            throw new MoeException("cannot read data file " + file + ": " + e.getMessage());
        }
    }

    private static String[] split(String line) {
        String[] cells = line.split(",", -1);
        for (int i = 0; i < cells.length; i++) {
            cells[i] = unquote(cells[i].trim());
        }
        return cells;
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    private static float parse(String cell, Path file, int line, String column) {
        float v;
        try {
            v = Float.parseFloat(cell);
        } catch (NumberFormatException e) {
            throw new MoeException(file + ": line " + line + ", column '" + column + "': not a number: '" + cell + "'");
        }
        if (!Float.isFinite(v)) {
            // Policy: non-finite features are rejected; a mixture cannot score them meaningfully.
            throw new MoeException(file + ": line " + line + ", column '" + column + "': " + cell + " is not a finite number");
        }
        return v;
    }

    static List<String> orderedLabels(List<String> raw) {
        TreeSet<String> distinct = new TreeSet<>(raw);
        boolean numeric = distinct.stream().allMatch(CsvSource::isNumber);
        List<String> ordered = new ArrayList<>(distinct);
        if (numeric) {
            ordered.sort(Comparator.comparingDouble(Double::parseDouble));
        }
        return List.copyOf(ordered);
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
