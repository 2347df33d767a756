package dev.moe.experts.nd4j;

import dev.moe.api.ExpertException;
import dev.moe.api.io.AtomicFiles;
import dev.moe.api.ExpertProvenance;
import dev.moe.api.ExpertSignature;
import dev.moe.gating.mixture.FeatureScaler;
import dev.moe.gating.nn.Activation;
import dev.moe.gating.nn.Mlp;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The nd4j-mlp expert's file format: a small versioned binary of names, layer sizes, scaler and
 * parameters. No Java serialization, so a file from elsewhere can at worst be refused, never run code.
 */
public final class MlpExpertFormat {

    private static final int MAGIC = 0x4D4F454D; // "MOEM"
    public static final int VERSION = 1;

    private MlpExpertFormat() {
    }

    /** Writes atomically ({@link AtomicFiles}): a crash or an error leaves no half file, and the old one as it was. */
    public static void save(MlpExpert expert, Path file) {
        try {
            AtomicFiles.write(file, out -> write(expert, out));
        } catch (IOException e) {
            throw new ExpertException("cannot write expert '" + expert.id() + "' to " + file + ": " + e.getMessage(), e);
        }
    }

    public static void write(MlpExpert expert, OutputStream stream) throws IOException {
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(stream));
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeUTF(expert.id());
        writeStrings(out, expert.featureNames());
        writeStrings(out, expert.labelNames());
        Mlp network = expert.network();
        int[] sizes = network.sizes();
        out.writeInt(sizes.length);
        for (int s : sizes) {
            out.writeInt(s);
        }
        for (Activation a : network.activations()) {
            out.writeUTF(a.configName());
        }
        writeFloats(out, expert.scaler().means());
        writeFloats(out, expert.scaler().scales());
        writeFloats(out, network.parameterValues());
        out.writeInt(expert.provenance().size());
        for (Map.Entry<String, String> e : expert.provenance().entrySet()) {
            out.writeUTF(e.getKey());
            out.writeUTF(e.getValue());
        }
        out.flush();
    }

    public static MlpExpert load(Path file) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            return read(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new ExpertException("nd4j-mlp model file not found: " + file);
        } catch (IOException e) {
            throw new ExpertException("cannot read nd4j-mlp model " + file + ": " + e.getMessage(), e);
        }
    }

    /** @param source names the file or resource in messages */
    public static MlpExpert read(InputStream stream, String source) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        try {
            if (in.readInt() != MAGIC) {
                throw new ExpertException(source + " is not an nd4j-mlp model file");
            }
            int version = in.readInt();
            if (version > VERSION) {
                throw new ExpertException(source + " has format version " + version
                        + "; this program reads up to " + VERSION + ": update moe");
            }
            String id = in.readUTF();
            List<String> features = readStrings(in, source);
            List<String> labels = readStrings(in, source);
            int[] sizes = new int[checkedCount(in.readInt(), source)];
            for (int i = 0; i < sizes.length; i++) {
                sizes[i] = in.readInt();
            }
            List<Activation> activations = new ArrayList<>();
            for (int i = 0; i + 2 < sizes.length; i++) {
                activations.add(Activation.fromConfigName(in.readUTF()));
            }
            FeatureScaler scaler = new FeatureScaler(readFloats(in, source), readFloats(in, source));
            float[] parameters = readFloats(in, source);
            Map<String, String> provenance = new LinkedHashMap<>();
            int entries = checkedCount(in.readInt(), source);
            for (int i = 0; i < entries; i++) {
                provenance.put(in.readUTF(), in.readUTF());
            }
            Mlp network = Mlp.fromParameters(sizes, activations, 0.0, parameters, DataType.FLOAT);
            return new MlpExpert(new ExpertSignature(id, features, labels,
                    ExpertProvenance.fromMap(provenance, MlpExpertProvider.NAME)), scaler, network);
        } catch (EOFException e) {
            throw new ExpertException(source + " is truncated");
        } catch (IllegalArgumentException e) {
            throw new ExpertException(source + " is corrupt: " + e.getMessage());
        }
    }

    private static int checkedCount(int count, String source) {
        if (count < 0 || count > 100_000_000) {
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
        int n = checkedCount(in.readInt(), source);
        List<String> values = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            values.add(in.readUTF());
        }
        return values;
    }

    private static void writeFloats(DataOutputStream out, float[] values) throws IOException {
        out.writeInt(values.length);
        for (float v : values) {
            out.writeFloat(v);
        }
    }

    private static float[] readFloats(DataInputStream in, String source) throws IOException {
        float[] values = new float[checkedCount(in.readInt(), source)];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readFloat();
        }
        return values;
    }
}
