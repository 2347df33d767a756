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
        if (config.rows() != null && config.rows() < 3) {
            throw new MoeException("data.rows must be at least 3, got " + config.rows());
        }
        Path file = baseDirectory.resolve(config.path()).normalize();
        Dataset data = read(file, config.label() == null ? "label" : config.label());
        // rows: a seeded random sample, to try a large file quickly; a new sample for every repeat's seed.
        if (config.rows() != null && config.rows() < data.rows()) {
            int[] sample = java.util.Arrays.copyOf(
                    dev.moe.gating.nn.Permutations.shuffled(data.rows(), new java.util.SplittableRandom(seed ^ 0x5DEECE66DL)), config.rows());
            java.util.Arrays.sort(sample);
            return data.subset(sample);
        }
        return data;
    }

    public static Dataset read(Path file, String labelColumn) {
        try (Rows reader = Rows.open(file)) {
            List<String> columns = reader.header();
            int labelIndex = columns.indexOf(labelColumn);
            if (labelIndex < 0) {
                throw new MoeException(file + ": no label column '" + labelColumn + "' in the header ("
                        + String.join(", ", columns) + ")");
            }
            List<String> featureNames = new ArrayList<>();
            int[] featureColumns = new int[columns.size() - 1];
            for (int j = 0; j < columns.size(); j++) {
                if (j != labelIndex) {
                    featureColumns[featureNames.size()] = j;
                    featureNames.add(columns.get(j));
                }
            }
            Block all = reader.next(Integer.MAX_VALUE, featureColumns, labelIndex);
            if (all == null) {
                throw new MoeException(file + ": no data rows after the header");
            }
            List<String> rawLabels = all.labels();
            List<String> labelNames = orderedLabels(rawLabels);
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < labelNames.size(); i++) {
                index.put(labelNames.get(i), i);
            }
            int[] labels = new int[all.rows()];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = index.get(rawLabels.get(i));
            }
            return new Dataset(file.getFileName().toString(), all.features(), labels, featureNames, labelNames);
        }
    }

    /**
     * A block of rows read by {@link Rows#next}.
     *
     * @param features  rows x the requested columns, in the requested order
     * @param labels    each row's label cell, or an empty list when no label column was requested
     * @param lines     each row's line number in the file (1 is the header), for messages
     */
    public record Block(FloatMatrix features, List<String> labels, int[] lines) {
        public int rows() {
            return features.rows();
        }
    }

    /**
     * Streams a CSV file a block of rows at a time, with the checks and messages of {@link #read}: ragged rows,
     * non-numeric and non-finite values, empty labels, each naming the file, line and column. Only the requested
     * columns are parsed; every row's field count is checked all the same. Not thread-safe.
     */
    public static final class Rows implements AutoCloseable {

        private final Path file;
        private final BufferedReader reader;
        private final List<String> header;
        private int lineNumber = 1;

        private Rows(Path file, BufferedReader reader, List<String> header) {
            this.file = file;
            this.reader = reader;
            this.header = header;
        }

        /**
         * Opens the file and reads its header row.
         *
         * @throws MoeException naming the file when it is missing, unreadable or empty
         */
        public static Rows open(Path file) {
            BufferedReader reader = null;
            try {
                reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                String header = reader.readLine();
                if (header == null || header.isBlank()) {
                    throw new MoeException(file + ": the file is empty (expected a header row)");
                }
                return new Rows(file, reader, List.of(split(header)));
            } catch (NoSuchFileException e) {
                throw new MoeException("data file not found: " + file);
            } catch (IOException e) {
                closeQuietly(reader);
                throw new MoeException("cannot read data file " + file + ": " + e.getMessage());
            } catch (RuntimeException e) {
                closeQuietly(reader);
                throw e;
            }
        }

        public Path file() {
            return file;
        }

        /** The header's column names, in order. */
        public List<String> header() {
            return header;
        }

        /**
         * The next rows, at most {@code maxRows} of them (blank lines skipped), or null at the end of the file.
         *
         * @param featureColumns header indices of the columns to parse as numbers, in the order wanted
         * @param labelColumn    header index of a label column to keep as text (must not be empty), or -1
         */
        public Block next(int maxRows, int[] featureColumns, int labelColumn) {
            int f = featureColumns.length;
            int capacity = Math.min(maxRows, 1024);
            float[] values = new float[capacity * Math.max(1, f)];
            int[] lines = new int[capacity];
            List<String> labels = new ArrayList<>();
            int rows = 0;
            try {
                String line;
                while (rows < maxRows && (line = reader.readLine()) != null) {
                    lineNumber++;
                    if (line.isBlank()) {
                        continue;
                    }
                    String[] cells = split(line);
                    if (cells.length != header.size()) {
                        throw new MoeException(file + ": line " + lineNumber + ": " + cells.length + " fields, the header has "
                                + header.size());
                    }
                    if (rows == lines.length) {
                        int grown = (int) Math.min(Math.max(2L * lines.length, 1), Integer.MAX_VALUE - 8);
                        lines = Arrays.copyOf(lines, grown);
                        values = Arrays.copyOf(values, Math.multiplyExact(grown, Math.max(1, f)));
                    }
                    for (int k = 0; k < f; k++) {
                        int j = featureColumns[k];
                        values[rows * f + k] = parse(cells[j], file, lineNumber, header.get(j));
                    }
                    if (labelColumn >= 0) {
                        if (cells[labelColumn].isEmpty()) {
                            throw new MoeException(file + ": line " + lineNumber + ": empty label");
                        }
                        labels.add(cells[labelColumn]);
                    }
                    lines[rows] = lineNumber;
                    rows++;
                }
            } catch (IOException e) {
                throw new MoeException("cannot read data file " + file + ": " + e.getMessage());
            }
            if (rows == 0) {
                return null;
            }
            return new Block(new FloatMatrix(rows, f, Arrays.copyOf(values, rows * f)), List.copyOf(labels),
                    Arrays.copyOf(lines, rows));
        }

        @Override
        public void close() {
            closeQuietly(reader);
        }

        private static void closeQuietly(BufferedReader reader) {
            if (reader != null) {
                try {
                    reader.close();
                } catch (IOException ignored) {
                    // Only read from: nothing is lost.
                }
            }
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
