package dev.moe.runtime.io;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where a text file stops being UTF-8, by line: for the one-line message about a file saved in another encoding
 * (Latin-1, Windows-1252), which a decoder reports only by byte offset, often a buffer ahead of the line being read.
 * Only run once reading has failed, so a slow byte-by-byte scan costs nothing in the normal case.
 */
public final class Utf8 {

    /**
     * The first byte that is not UTF-8.
     *
     * @param line   its line, from 1
     * @param value  the byte, 0-255
     * @param offset its offset in the file, from 0
     */
    public record Invalid(long line, int value, long offset) {

        /** E.g. {@code line 4: byte 0xE9 is not UTF-8}. */
        public String describe() {
            return "line " + line + ": byte 0x" + Integer.toHexString(value).toUpperCase(Locale.ROOT) + " is not UTF-8";
        }
    }

    private Utf8() {
    }

    /** The file's first byte that is not UTF-8 (gunzipped first, when it is gzip), or null when it all is. */
    public static Invalid firstInvalid(Path file) {
        try (InputStream in = Gzip.decompressed(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            return firstInvalid(in);
        } catch (IOException e) {
            return null;
        }
    }

    /** The bytes' first byte that is not UTF-8, or null when they all are. */
    public static Invalid firstInvalid(byte[] bytes) {
        try {
            return firstInvalid(new java.io.ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new IllegalStateException(e); // not from memory
        }
    }

    private static boolean ascii(byte[] buffer, int length) {
        for (int i = 0; i < length; i++) {
            if (buffer[i] < 0) {
                return false;
            }
        }
        return true;
    }

    private static int newlines(byte[] buffer, int length) {
        int n = 0;
        for (int i = 0; i < length; i++) {
            n += buffer[i] == '\n' ? 1 : 0;
        }
        return n;
    }

    /**
     * Well-formed UTF-8 as the JDK's strict decoder has it (what Jackson's accepts too): no overlong forms, no
     * surrogates, nothing above U+10FFFF. A sequence cut off by the end of the input is invalid at its first byte.
     */
    static Invalid firstInvalid(InputStream in) throws IOException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        byte[] buffer = new byte[1 << 16];
        ByteBuffer bytes = ByteBuffer.wrap(buffer).limit(0);
        CharBuffer chars = CharBuffer.allocate(1 << 16);
        long line = 1;
        long base = 0; // the offset in the input of buffer[0]
        boolean end = false;
        while (true) {
            if (!end) {
                // Keep the bytes not decoded yet (a sequence cut by the read), then read more behind them.
                base += bytes.position();
                bytes.compact();
                int n = in.read(buffer, bytes.position(), bytes.remaining());
                if (n < 0) {
                    end = true;
                } else {
                    bytes.position(bytes.position() + n);
                }
                bytes.flip();
            }
            if (bytes.position() == 0 && ascii(buffer, bytes.limit())) {
                // Most CSV files are ASCII throughout: a chunk of it is valid as it is, and its lines are its '\n' bytes.
                line += newlines(buffer, bytes.limit());
                bytes.position(bytes.limit());
                if (end) {
                    return null;
                }
                continue;
            }
            CoderResult result = decoder.decode(bytes, chars, end);
            chars.flip();
            for (int i = 0; i < chars.limit(); i++) {
                if (chars.get(i) == '\n') {
                    line++;
                }
            }
            chars.clear();
            if (result.isError()) {
                // The decoder stops at the first byte of the sequence it refuses.
                return new Invalid(line, buffer[bytes.position()] & 0xFF, base + bytes.position());
            }
            if (end && result.isUnderflow()) {
                return null;
            }
        }
    }
}
