package dev.moe.runtime.bundle;

import dev.moe.api.ExpertException;
import dev.moe.api.FloatMatrix;
import dev.moe.gating.mixture.AlignedExpert;
import dev.moe.gating.mixture.MixtureModel;
import dev.moe.runtime.MoeException;
import dev.moe.runtime.data.CsvSource;
import dev.moe.runtime.io.OutputTarget;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs a saved mixture over a CSV file, a block of rows at a time, and writes one output row per input row, in
 * input order:
 * <pre>
 * predicted,probability,p:LABEL1,...,p:LABELn,weight:EXPERT1,...,weight:EXPERTm
 * </pre>
 * {@code predicted} is the most probable label (the first on ties), {@code probability} its probability, then every
 * label's probability and every expert's routing weight (0 for an expert the strategy did not choose for that
 * row). Numbers are written as the shortest decimal that reads back as the same float.
 *
 * <p>The input's columns are found by name: it needs every feature the mixture reads, in any order; other columns
 * (a label column, ids) are ignored but must be present on every row. The output is written to a temporary file
 * beside the target and renamed at the end: on any error there is no output file, and an existing one is untouched.
 */
public final class CsvPredictions {

    /** Rows per block: enough to amortise a gate call, small enough to stream files of any size. */
    public static final int BATCH_ROWS = 4096;

    private CsvPredictions() {
    }

    /** @return how many rows were predicted */
    public static long write(SavedMixture mixture, Path input, Path output) {
        return write(mixture, input, output, BATCH_ROWS);
    }

    public static long write(SavedMixture mixture, Path input, Path output, int batchRows) {
        if (batchRows < 1) {
            throw new IllegalArgumentException("batchRows must be positive, got " + batchRows);
        }
        if (!OutputTarget.isDash(input) && !OutputTarget.isDash(output)
                && OutputTarget.realPath(input).equals(OutputTarget.realPath(output))) {
            throw new MoeException(output + ": the output would overwrite the input; choose another --output");
        }
        MixtureModel model = mixture.model();
        long[] rows = new long[1];
        try (CsvSource.Rows reader = CsvSource.Rows.open(input)) {
            int[] columns = featureColumns(reader, mixture.featureNames());
            AtomicFiles.write(output, "predictions", out -> {
                Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
                writer.write(header(model));
                // Blocks are predicted and formatted on every core; their text is written here in file order.
                try (ParallelBlocks<String> predicting = new ParallelBlocks<>(text -> write(writer, text))) {
                    for (CsvSource.Block block = reader.next(batchRows, columns, -1); block != null;
                         block = reader.next(batchRows, columns, -1)) {
                        CsvSource.Block predicted = block;
                        predicting.submit(() -> format(model, predict(model, predicted, input), predicted.rows()));
                        rows[0] += block.rows();
                    }
                    predicting.finish();
                } catch (UncheckedIOException e) {
                    throw e.getCause(); // a failed write: reported by AtomicFiles with the file's name
                }
                if (rows[0] == 0) {
                    throw new MoeException(input + ": no data rows after the header");
                }
                writer.flush();
            });
        }
        return rows[0];
    }

    /** The block's predictions; an expert's invalid output is reported with the lines of the block. */
    static MixtureModel.Prediction predict(MixtureModel model, CsvSource.Block block, Path input) {
        try {
            return model.predict(block.features());
        } catch (ExpertException e) {
            throw new MoeException(input + ": " + linesOf(block) + ": " + e.getMessage(), e);
        }
    }

    static String linesOf(CsvSource.Block block) {
        int[] lines = block.lines();
        return lines.length == 1 ? "line " + lines[0] : "lines " + lines[0] + "-" + lines[lines.length - 1];
    }

    private static String format(MixtureModel model, MixtureModel.Prediction prediction, int rows) {
        StringBuilder text = new StringBuilder(rows * 64);
        for (int r = 0; r < rows; r++) {
            appendRow(text, model, prediction, r);
        }
        return text.toString();
    }

    private static void write(Writer writer, String text) {
        try {
            writer.write(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The header index of each of the mixture's features, in the mixture's order.
     *
     * @throws MoeException naming the file and every feature it lacks
     */
    static int[] featureColumns(CsvSource.Rows reader, List<String> features) {
        Map<String, Integer> index = new HashMap<>();
        List<String> header = reader.header();
        for (int j = 0; j < header.size(); j++) {
            Integer previous = index.put(header.get(j), j);
            if (previous != null && features.contains(header.get(j))) {
                throw new MoeException(reader.file() + ": column '" + header.get(j) + "' appears twice in the header");
            }
        }
        int[] columns = new int[features.size()];
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < columns.length; i++) {
            Integer j = index.get(features.get(i));
            if (j == null) {
                missing.add(features.get(i));
            } else {
                columns[i] = j;
            }
        }
        if (!missing.isEmpty()) {
            throw new MoeException(reader.file() + ": no column" + (missing.size() == 1 ? " '" : "s '") + String.join("', '", missing)
                    + "' in the header; the model reads " + features.size() + " features (" + String.join(", ", features)
                    + "), the file has " + String.join(", ", header));
        }
        return columns;
    }

    static String header(MixtureModel model) {
        StringBuilder h = new StringBuilder("predicted,probability");
        for (String label : model.labelNames()) {
            h.append(',').append(cell("p:" + label));
        }
        for (AlignedExpert e : model.experts()) {
            h.append(',').append(cell("weight:" + e.id()));
        }
        return h.append('\n').toString();
    }

    private static void appendRow(StringBuilder line, MixtureModel model, MixtureModel.Prediction prediction, int r) {
        FloatMatrix p = prediction.probabilities();
        FloatMatrix w = prediction.weights();
        int best = p.argMaxOfRow(r);
        line.append(cell(model.labelNames().get(best))).append(',').append(number(p.get(r, best)));
        for (int j = 0; j < p.columns(); j++) {
            line.append(',').append(number(p.get(r, j)));
        }
        for (int k = 0; k < w.columns(); k++) {
            line.append(',').append(number(w.get(r, k)));
        }
        line.append('\n');
    }

    /** The shortest decimal that reads back as the same float; plain 0 and 1 for the common exact values. */
    static String number(float v) {
        if (v == 0f) {
            return "0";
        }
        if (v == 1f) {
            return "1";
        }
        return Float.toString(v).toLowerCase(Locale.ROOT);
    }

    /** A CSV field, quoted when it holds a comma, a quote, a line break or surrounding spaces. */
    static String cell(String s) {
        boolean quote = s.isEmpty() ? false : s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0
                || s.indexOf('\r') >= 0 || Character.isWhitespace(s.charAt(0)) || Character.isWhitespace(s.charAt(s.length() - 1));
        return quote ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }
}
