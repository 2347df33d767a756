package dev.moe.runtime.scoring;

import dev.moe.runtime.data.CategoricalEncoding;
import dev.moe.runtime.data.CsvSource;
import java.util.List;

/**
 * A saved mixture's input columns found in a CSV header and read a block at a time as the mixture's features: numeric
 * columns parsed, categorical ones one-hot encoded with the saved levels, filled ones' gaps given the saved medians
 * ({@link CategoricalEncoding}). Cells encoded as none of the known levels, and filled ones, are counted in
 * {@link #tally()}. Not thread-safe: one reader's.
 */
final class EncodedInput {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EncodedInput.class);

    private final CategoricalEncoding encoding;
    private final int[] numeric;
    private final int[] text;
    private final boolean[] fillable;
    private final CategoricalEncoding.Tally tally = new CategoricalEncoding.Tally();

    /**
     * @param source names the input in messages
     * @throws dev.moe.runtime.MoeException naming the input and every column it lacks
     */
    EncodedInput(CategoricalEncoding encoding, String source, List<String> header) {
        this.encoding = encoding;
        int[] columns = InputColumns.features(source, header, encoding.inputColumns());
        this.numeric = pick(columns, encoding.numericInputs());
        this.text = pick(columns, encoding.categoricalInputs());
        this.fillable = encoding.fillableInputs();
    }

    private static int[] pick(int[] columns, int[] which) {
        int[] picked = new int[which.length];
        for (int i = 0; i < which.length; i++) {
            picked[i] = columns[which[i]];
        }
        return picked;
    }

    /** The next block with the mixture's features, or null at the end. */
    CsvSource.Block next(CsvSource.Rows reader, int maxRows, int labelColumn) {
        CsvSource.Block block = reader.next(maxRows, numeric, labelColumn, text, fillable);
        if (block == null || encoding.isIdentity()) {
            return block;
        }
        return new CsvSource.Block(encoding.encode(block.features(), block.text(), tally), block.labels(), block.lines());
    }

    CategoricalEncoding.Tally tally() {
        return tally;
    }

    /** Says on stderr (one line) how many categorical cells were none of the known levels, and how many were filled, if any. */
    void report(Object input) {
        if (!tally.isEmpty()) {
            LOG.warn("{}: {}", input, tally.summary());
        }
    }
}
