package dev.moe.experts.xgboost;

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
 * An {@link XGBoostExpert} as one stream, for saved mixtures: a small versioned header (which rounds it evaluates, the
 * feature and label names in the expert's order, its provenance) followed by the XGBoost model file's bytes as they
 * were loaded. Read back, the model is read from those bytes, without its original file.
 */
final class XGBoostExpertFormat {

    private static final int MAGIC = 0x4D4F4558; // "MOEX"
    static final int VERSION = 1;

    private XGBoostExpertFormat() {
    }

    /** Writes the expert; does not close {@code stream}. */
    static void write(XGBoostExpert expert, OutputStream stream) throws IOException {
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(stream));
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeBoolean(expert.allRounds());
        ModelStreams.writeStrings(out, expert.featureNames());
        ModelStreams.writeStrings(out, expert.labelNames());
        ModelStreams.writeMap(out, expert.provenance());
        ModelStreams.writeBytes(out, expert.bytes());
        out.flush();
    }

    /**
     * Reads an expert {@link #write} wrote, under the given id.
     *
     * @param source names the stream in messages (a saved mixture and its entry)
     * @throws ExpertException naming {@code source} when the stream is truncated, corrupt or newer
     */
    static XGBoostExpert read(InputStream stream, String id, String source) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        try {
            if (in.readInt() != MAGIC) {
                throw new ExpertException(source + " is not a saved xgboost expert");
            }
            int version = in.readInt();
            if (version > VERSION) {
                throw new ExpertException(source + " has xgboost expert format version " + version
                        + "; this program reads up to " + VERSION + ": update moe");
            }
            boolean allRounds = in.readBoolean();
            List<String> features = ModelStreams.readStrings(in, source);
            List<String> labels = ModelStreams.readStrings(in, source);
            Map<String, String> provenance = ModelStreams.readMap(in, source);
            byte[] bytes = ModelStreams.readBytes(in, source);
            String sha = provenance.get("sha256");
            if (sha != null && !sha.equals(ModelSources.sha256(bytes))) {
                throw new ExpertException(source + " is corrupt: its XGBoost model's SHA-256 differs from the one recorded");
            }
            return XGBoostExpertProvider.open(id, bytes, source, features, labels, allRounds, provenance);
        } catch (EOFException e) {
            throw new ExpertException(source + " is truncated");
        } catch (IllegalArgumentException e) {
            throw new ExpertException(source + " is corrupt: " + e.getMessage());
        }
    }
}
