package dev.moe.runtime.scoring;

import dev.moe.api.ExpertException;
import dev.moe.gating.mixture.AlignedExpert;
import dev.moe.gating.mixture.MixtureModel;
import dev.moe.runtime.MoeException;
import dev.moe.runtime.io.AtomicFiles;
import dev.moe.runtime.bundle.SavedMixture;
import dev.moe.runtime.data.CsvSource;
import dev.moe.runtime.io.OutputTarget;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Runs a saved mixture over a CSV file, a block of rows at a time, and writes one output row per input row, in
 * input order, in the {@link PredictionFormat}.
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
            EncodedInput columns = new EncodedInput(mixture.encoding(), reader.file().toString(), reader.header());
            AtomicFiles.write(output, "predictions", out -> {
                Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
                writer.write(header(model));
                // Blocks are predicted and formatted on every core; their text is written here in file order.
                try (ParallelBlocks<String> predicting = new ParallelBlocks<>(text -> write(writer, text))) {
                    for (CsvSource.Block block = columns.next(reader, batchRows, -1); block != null;
                         block = columns.next(reader, batchRows, -1)) {
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
            columns.report(input);
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
            PredictionFormat.appendCsvRow(text, model.labelNames(), prediction, r);
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

    static String header(MixtureModel model) {
        return PredictionFormat.header(model.labelNames(), model.experts().stream().map(AlignedExpert::id).toList());
    }
}
