package dev.moe.api.io;

import dev.moe.api.ExpertException;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pieces every expert provider's binary format reads and writes (counts, lists of names, a length-prefixed block
 * of a model's own bytes), with the checks a damaged file needs: a count read from the file is never trusted to size
 * an allocation, and a file that ends early reads as {@link EOFException}, which the format turns into "SOURCE is
 * truncated". One implementation for the built-in providers (nd4j-mlp, tribuo, onnx, xgboost) and for plugins (JDK only).
 */
public final class ModelStreams {

    /** Most names a list may hold: far above any real model's features or labels, far below memory's limit. */
    private static final int MAX_NAMES = 10_000_000;

    /** A byte array's largest length on HotSpot. */
    private static final int MAX_BYTES = Integer.MAX_VALUE - 16;

    private ModelStreams() {
    }

    /**
     * A count read from the file, checked before anything is sized by it.
     *
     * @param count  the count as read
     * @param source how errors name the file
     * @param max    the largest count the format allows
     * @return {@code count}
     * @throws ExpertException "SOURCE is corrupt: implausible count N" when it is negative or above {@code max}
     */
    public static int count(int count, String source, int max) {
        if (count < 0 || count > max) {
            throw new ExpertException(source + " is corrupt: implausible count " + count);
        }
        return count;
    }

    /**
     * Writes the list's size, then each value in modified UTF-8 ({@link DataOutputStream#writeUTF}).
     *
     * @param out    the format's stream
     * @param values the names, in order
     * @throws IOException when the stream cannot be written
     */
    public static void writeStrings(DataOutputStream out, List<String> values) throws IOException {
        out.writeInt(values.size());
        for (String v : values) {
            out.writeUTF(v);
        }
    }

    /**
     * Reads a list {@link #writeStrings} wrote.
     *
     * @param in     the format's stream
     * @param source how errors name the file
     * @return the names, in order
     * @throws IOException when the stream cannot be read, {@link EOFException} when it ends early
     */
    public static List<String> readStrings(DataInputStream in, String source) throws IOException {
        int n = count(in.readInt(), source, MAX_NAMES);
        List<String> values = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
            values.add(in.readUTF());
        }
        return values;
    }

    /**
     * Writes the number of entries, then each key and value in modified UTF-8 (an expert's provenance, say).
     *
     * @param out     the format's stream
     * @param entries the entries, written in their iteration order
     * @throws IOException when the stream cannot be written
     */
    public static void writeMap(DataOutputStream out, Map<String, String> entries) throws IOException {
        out.writeInt(entries.size());
        for (Map.Entry<String, String> e : entries.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeUTF(e.getValue());
        }
    }

    /**
     * Reads the entries {@link #writeMap} wrote.
     *
     * @param in     the format's stream
     * @param source how errors name the file
     * @return the entries, in the order they were written
     * @throws IOException when the stream cannot be read, {@link EOFException} when it ends early
     */
    public static Map<String, String> readMap(DataInputStream in, String source) throws IOException {
        int n = count(in.readInt(), source, MAX_NAMES);
        Map<String, String> entries = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            entries.put(in.readUTF(), in.readUTF());
        }
        return entries;
    }

    /**
     * Writes the length, then the bytes (a model file's whole content, for {@link #readBytes}).
     *
     * @param out   the format's stream
     * @param bytes the bytes
     * @throws IOException when the stream cannot be written
     */
    public static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    /**
     * Reads the bytes {@link #writeBytes} wrote.
     *
     * @param in     the format's stream
     * @param source how errors name the file
     * @return the bytes
     * @throws IOException when the stream cannot be read, {@link EOFException} when it holds fewer bytes than its
     *                     length says
     */
    public static byte[] readBytes(DataInputStream in, String source) throws IOException {
        int length = count(in.readInt(), source, MAX_BYTES);
        byte[] bytes = in.readNBytes(length);
        if (bytes.length != length) {
            throw new EOFException();
        }
        return bytes;
    }
}
