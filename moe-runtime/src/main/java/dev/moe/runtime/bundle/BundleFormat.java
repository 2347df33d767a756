package dev.moe.runtime.bundle;

import dev.moe.runtime.MoeException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The layout of a saved mixture ({@code .moe}): a zip file with
 * <ul>
 *   <li>{@code manifest.json}: {@link BundleManifest}, written last, with the SHA-256 of every other entry;</li>
 *   <li>{@code gate/means.f32}, {@code gate/scales.f32}, {@code gate/parameters.f32}: the gate's standardisation
 *       and its MLP's flat parameters, little-endian float32 (the exact values, bit for bit);</li>
 *   <li>{@code experts/N-ID.bin}: each embedded expert, in its provider's own format;</li>
 *   <li>{@code config.yaml}: the config it was trained from, verbatim, when known.</li>
 * </ul>
 * No Java serialization anywhere: reading a bundle parses JSON, floats and the providers' formats, nothing else.
 */
public final class BundleFormat {

    /** The {@code format} field of every manifest. */
    public static final String FORMAT = "moe-mixture";
    /**
     * The layout version this program writes and the newest it reads. 2 added the gate's inputs and the experts'
     * calibrations; a version-1 bundle reads as a gate on the features over uncalibrated experts. 3 added the
     * categorical columns' encoding ({@code categorical}); a bundle before 3 reads its features as numeric columns.
     * 4 added filled numeric columns with their medians ({@code fill}); a bundle before 4 fills nothing.
     */
    public static final int VERSION = 4;

    /**
     * The version a bundle is written in: the oldest that holds it, 4 only when it fills numeric columns, 3 when it
     * has categorical columns, so that a bundle stays readable by the moe versions that can score it.
     */
    public static int versionFor(boolean categorical, boolean filled) {
        return filled ? 4 : categorical ? 3 : 2;
    }

    /** As {@link #versionFor(boolean, boolean)}, for a bundle that fills nothing. */
    public static int versionFor(boolean categorical) {
        return versionFor(categorical, false);
    }

    public static final String MANIFEST = "manifest.json";
    public static final String GATE_MEANS = "gate/means.f32";
    public static final String GATE_SCALES = "gate/scales.f32";
    public static final String GATE_PARAMETERS = "gate/parameters.f32";
    /** Each expert's calibration as float32 pairs (temperature, floor), in the gate's order; only when calibrated. */
    public static final String GATE_CALIBRATION = "gate/calibration.f32";
    public static final String CONFIG = "config.yaml";
    public static final String EMBEDDED = "embedded";
    public static final String REFERENCE = "reference";

    private BundleFormat() {
    }

    /** The entry of the {@code index}-th expert: its id kept readable, but only with characters safe in any zip tool. */
    static String expertEntry(int index, String id) {
        String safe = id.replaceAll("[^A-Za-z0-9._-]", "_");
        if (safe.length() > 60) {
            safe = safe.substring(0, 60);
        }
        return "experts/" + index + "-" + safe + ".bin";
    }

    static byte[] floats(float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(Math.multiplyExact(values.length, 4)).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return buffer.array();
    }

    /** @throws IllegalArgumentException when the length is not a whole number of floats */
    static float[] floats(byte[] bytes) {
        if (bytes.length % 4 != 0) {
            throw new IllegalArgumentException(bytes.length + " bytes are not a whole number of float32 values");
        }
        float[] values = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return values;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }

    static String sha256(byte[] bytes) {
        return hex(sha256().digest(bytes));
    }

    /** SHA-256 of a file's bytes, read a buffer at a time (a data file may be far larger than the heap). */
    public static String fileSha256(Path file) {
        MessageDigest digest = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new MoeException("cannot read data file " + file + ": " + e.getMessage());
        }
        return hex(digest.digest());
    }
}
