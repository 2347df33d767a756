package dev.moe.experts.tribuo;

import dev.moe.api.ExpertException;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
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
import org.tribuo.Model;
import org.tribuo.classification.Label;

/**
 * A {@link TribuoExpert} as one stream, for saved mixtures: a small versioned header (how scores become
 * probabilities, the feature and label names in the expert's order, its provenance) followed by the model in
 * Tribuo's protobuf format. No Java serialization: a stream from elsewhere is parsed, never run.
 */
public final class TribuoExpertFormat {

    private static final int MAGIC = 0x4D4F4554; // "MOET"
    public static final int VERSION = 1;
    /** More than any Tribuo model a mixture would hold; refuses a corrupt length before allocating it. */
    private static final int MAX_MODEL_BYTES = Integer.MAX_VALUE - 16;

    private TribuoExpertFormat() {
    }

    /** Writes the expert; does not close {@code stream}. */
    public static void write(TribuoExpert expert, OutputStream stream) throws IOException {
        byte[] model = expert.model().serialize().toByteArray();
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(stream));
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeBoolean(expert.usesScores());
        writeStrings(out, expert.featureNames());
        writeStrings(out, expert.labelNames());
        out.writeInt(expert.provenance().size());
        for (Map.Entry<String, String> e : expert.provenance().entrySet()) {
            out.writeUTF(e.getKey());
            out.writeUTF(e.getValue());
        }
        out.writeInt(model.length);
        out.write(model);
        out.flush();
    }

    /**
     * Reads an expert {@link #write} wrote, under the given id.
     *
     * @param source names the stream in messages (a saved mixture and its entry)
     * @throws ExpertException naming {@code source} when the stream is truncated, corrupt, newer or not a Tribuo expert
     */
    public static TribuoExpert read(InputStream stream, String id, String source) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        try {
            if (in.readInt() != MAGIC) {
                throw new ExpertException(source + " is not a saved tribuo expert");
            }
            int version = in.readInt();
            if (version > VERSION) {
                throw new ExpertException(source + " has tribuo expert format version " + version
                        + "; this program reads up to " + VERSION + ": update moe");
            }
            boolean usesScores = in.readBoolean();
            List<String> features = readStrings(in, source);
            List<String> labels = readStrings(in, source);
            Map<String, String> provenance = new LinkedHashMap<>();
            int entries = checkedCount(in.readInt(), source, 1_000_000);
            for (int i = 0; i < entries; i++) {
                provenance.put(in.readUTF(), in.readUTF());
            }
            int length = checkedCount(in.readInt(), source, MAX_MODEL_BYTES);
            byte[] bytes = in.readNBytes(length);
            if (bytes.length != length) {
                throw new EOFException();
            }
            Model<Label> model = TribuoModelFiles.readClassifier(new ByteArrayInputStream(bytes), source);
            return new TribuoExpert(id, model, features, labels, provenance,
                    usesScores ? ProbabilityMode.SCORES : ProbabilityMode.ONE_HOT);
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
