package dev.moe.experts.onnx;

import dev.moe.api.ExpertException;
import dev.moe.api.io.ModelSources;
import dev.moe.api.io.ModelStreams;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;


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
        ModelStreams.writeStrings(out, expert.featureNames());
        ModelStreams.writeStrings(out, expert.labelNames());
        ModelStreams.writeMap(out, expert.provenance());
        byte[] model = expert.bytes();
        ModelStreams.writeBytes(out, model);
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
            List<String> features = ModelStreams.readStrings(in, source);
            List<String> labels = ModelStreams.readStrings(in, source);
            Map<String, String> provenance = ModelStreams.readMap(in, source);
            byte[] bytes = ModelStreams.readBytes(in, source);
            if (threads < 1) {
                throw new ExpertException(source + " is corrupt: " + threads + " threads");
            }
            String sha = provenance.get("sha256");
            if (sha != null && !sha.equals(ModelSources.sha256(bytes))) {
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
}
