package dev.moe.experts.onnx;

import dev.moe.api.ExpertException;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An {@link OnnxExpert} as one stream, for saved mixtures: a small versioned header (what the output holds, the output
 * chosen, threads, the feature and label names in the expert's order, its provenance) followed by the ONNX model's
 * bytes as they were loaded. Read back, the model runs without its original file.
 */
final class OnnxExpertFormat {

    private static final int MAGIC = 0x4D4F454F; // "MOEO"
    static final int VERSION = 1;

    private OnnxExpertFormat() {
    }

    /** Writes the expert; does not close {@code stream}. */
    static void write(OnnxExpert expert, OutputStream stream) throws IOException {
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(stream));
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeUTF(expert.scores().configName());
        out.writeBoolean(expert.output() != null);
        if (expert.output() != null) {
            out.writeUTF(expert.output());
        }
        out.writeInt(expert.threads());
        writeStrings(out, expert.featureNames());
        writeStrings(out, expert.labelNames());
        out.writeInt(expert.provenance().size());
        for (Map.Entry<String, String> e : expert.provenance().entrySet()) {
            out.writeUTF(e.getKey());
            out.writeUTF(e.getValue());
        }
        byte[] model = expert.bytes();
        out.writeInt(model.length);
        out.write(model);
        out.flush();
    }

    /**
     * Reads an expert {@link #write} wrote, under the given id.
     *
     * @param source names the stream in messages (a saved mixture and its entry)
     * @throws ExpertException naming {@code source} when the stream is truncated, corrupt or newer
     */
    static OnnxExpert read(InputStream stream, String id, String source) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        try {
            if (in.readInt() != MAGIC) {
                throw new ExpertException(source + " is not a saved onnx expert");
            }
            int version = in.readInt();
            if (version > VERSION) {
                throw new ExpertException(source + " has onnx expert format version " + version
                        + "; this program reads up to " + VERSION + ": update moe");
            }
            ScoreKind scores = ScoreKind.fromConfigName(in.readUTF());
            String output = in.readBoolean() ? in.readUTF() : null;
            int threads = in.readInt();
            List<String> features = readStrings(in, source);
            List<String> labels = readStrings(in, source);
            Map<String, String> provenance = new LinkedHashMap<>();
            int entries = checkedCount(in.readInt(), source, 1_000_000);
            for (int i = 0; i < entries; i++) {
                provenance.put(in.readUTF(), in.readUTF());
            }
            int length = checkedCount(in.readInt(), source, Integer.MAX_VALUE - 16);
            byte[] bytes = in.readNBytes(length);
            if (bytes.length != length) {
                throw new EOFException();
            }
            if (threads < 1) {
                throw new ExpertException(source + " is corrupt: " + threads + " threads");
            }
            String sha = provenance.get("sha256");
            if (sha != null && !sha.equals(OnnxExpertProvider.sha256(bytes))) {
                throw new ExpertException(source + " is corrupt: its ONNX model's SHA-256 differs from the one recorded");
            }
            return OnnxExpertProvider.open(id, bytes, source,
                    new OnnxExpertProvider.Settings(features, labels, output, scores, threads), provenance);
        } catch (EOFException e) {
            throw new ExpertException(source + " is truncated");
        } catch (IllegalArgumentException e) {
            throw new ExpertException(source + " is corrupt: " + e.getMessage());
        }
    }

    private static int checkedCount(int count, String source, int max) {
        if (count < 0 || count > max) {
            throw new ExpertException(source + " is corrupt: implausible count " + count);
        }
        return count;
    }

    private static void writeStrings(DataOutputStream out, List<String> values) throws IOException {
        out.writeInt(values.size());
        for (String v : values) {
            out.writeUTF(v);
        }
    }

    private static List<String> readStrings(DataInputStream in, String source) throws IOException {
        int n = checkedCount(in.readInt(), source, 10_000_000);
        List<String> values = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
            values.add(in.readUTF());
        }
        return values;
    }
}
