package dev.moe.runtime.evaluation;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Which rows a repeat was evaluated on, as a short fingerprint for the report: two reports whose repeats carry the same
 * fingerprints were scored on the same rows, so their figures can be compared repeat by repeat ({@code moe compare}).
 * It is the data set's row count, each test row's position in it and its label: the same rows of the same data under
 * another config (other experts, another gate, another encoding of the columns) keep it; another file, split or seed
 * changes it.
 */
public final class TestRows {

    private TestRows() {
    }

    /** The fingerprint of {@code testRows}, positions in a data set of {@code dataRows} rows with these labels. */
    public static String fingerprint(int dataRows, int[] testRows, int[] labels, List<String> labelNames) {
        MessageDigest digest = sha256();
        digest.update(("rows " + dataRows + "\n").getBytes(StandardCharsets.UTF_8));
        for (int row : testRows) {
            digest.update((row + " " + labelNames.get(labels[row]) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return "rows:" + HexFormat.of().formatHex(digest.digest(), 0, 8);
    }

    /** The fingerprint of every row of a file, in order, by its SHA-256 (a saved mixture evaluated on labelled data). */
    public static String ofFile(String sha256) {
        return "file:" + sha256.substring(0, Math.min(16, sha256.length()));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
