package dev.moe.experts.nd4j;

import dev.moe.api.ExpertException;
import dev.moe.api.io.AtomicFiles;
import dev.moe.api.io.ModelStreams;
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

import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The nd4j-mlp expert's file format: a small versioned binary of names, layer sizes, scaler and
 * parameters. No Java serialization, so a file from elsewhere can at worst be refused, never run code.
 */
public final class MlpExpertFormat {

    /** Most layers, or values of one array, a file may say it holds: far above any real network. */
    private static final int MAX_COUNT = 100_000_000;

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
        ModelStreams.writeStrings(out, expert.featureNames());
        ModelStreams.writeStrings(out, expert.labelNames());
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
        ModelStreams.writeMap(out, expert.provenance());
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
            List<String> features = ModelStreams.readStrings(in, source);
            List<String> labels = ModelStreams.readStrings(in, source);
            int[] sizes = new int[ModelStreams.count(in.readInt(), source, MAX_COUNT)];
            for (int i = 0; i < sizes.length; i++) {
                sizes[i] = in.readInt();
            }
            List<Activation> activations = new ArrayList<>();
            for (int i = 0; i + 2 < sizes.length; i++) {
                activations.add(Activation.fromConfigName(in.readUTF()));
            }
            FeatureScaler scaler = new FeatureScaler(readFloats(in, source), readFloats(in, source));
            float[] parameters = readFloats(in, source);
            Map<String, String> provenance = ModelStreams.readMap(in, source);
            Mlp network = Mlp.fromParameters(sizes, activations, 0.0, parameters, DataType.FLOAT);
            return new MlpExpert(new ExpertSignature(id, features, labels,
                    ExpertProvenance.fromMap(provenance, MlpExpertProvider.NAME)), scaler, network);
        } catch (EOFException e) {
            throw new ExpertException(source + " is truncated");
        } catch (IllegalArgumentException e) {
            throw new ExpertException(source + " is corrupt: " + e.getMessage());
        }
    }

    private static void writeFloats(DataOutputStream out, float[] values) throws IOException {
        out.writeInt(values.length);
        for (float v : values) {
            out.writeFloat(v);
        }
    }

    private static float[] readFloats(DataInputStream in, String source) throws IOException {
        float[] values = new float[ModelStreams.count(in.readInt(), source, MAX_COUNT)];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readFloat();
        }
        return values;
    }
}
