package dev.moe.experts.tribuo;

import dev.moe.api.ExpertException;
import dev.moe.api.io.ModelStreams;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;


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

    private TribuoExpertFormat() {
    }

    /** Writes the expert; does not close {@code stream}. */
    public static void write(TribuoExpert expert, OutputStream stream) throws IOException {
        byte[] model = expert.model().serialize().toByteArray();
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(stream));
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeBoolean(expert.usesScores());
        ModelStreams.writeStrings(out, expert.featureNames());
        ModelStreams.writeStrings(out, expert.labelNames());
        ModelStreams.writeMap(out, expert.provenance());
        ModelStreams.writeBytes(out, model);
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
            List<String> features = ModelStreams.readStrings(in, source);
            List<String> labels = ModelStreams.readStrings(in, source);
            Map<String, String> provenance = ModelStreams.readMap(in, source);
            byte[] bytes = ModelStreams.readBytes(in, source);
            Model<Label> model = TribuoModelFiles.readClassifier(new ByteArrayInputStream(bytes), source);
            return new TribuoExpert(id, model, features, labels, provenance,
                    usesScores ? ProbabilityMode.SCORES : ProbabilityMode.ONE_HOT);
        } catch (EOFException e) {
            throw new ExpertException(source + " is truncated");
        } catch (IllegalArgumentException e) {
            throw new ExpertException(source + " is corrupt: " + e.getMessage());
        }
    }
}
