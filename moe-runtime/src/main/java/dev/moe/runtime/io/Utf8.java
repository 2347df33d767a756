package dev.moe.runtime.io;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
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

    /** The file's first byte that is not UTF-8, or null when it all is (or cannot be read). */
    public static Invalid firstInvalid(Path file) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
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

    /**
     * Well-formed UTF-8 as RFC 3629 has it (what Java's and Jackson's decoders accept): no overlong forms, no
     * surrogates, nothing above U+10FFFF. A sequence cut off by the end of the input is invalid at its first byte.
     */
    static Invalid firstInvalid(InputStream in) throws IOException {
        long line = 1;
        long offset = 0;
        int b;
        while ((b = in.read()) >= 0) {
            long at = offset++;
            if (b < 0x80) {
                if (b == '\n') {
                    line++;
                }
                continue;
            }
            int more;
            int low = 0x80;
            int high = 0xBF;
            if (b >= 0xC2 && b <= 0xDF) {
                more = 1;
            } else if (b >= 0xE0 && b <= 0xEF) {
                more = 2;
                low = b == 0xE0 ? 0xA0 : 0x80; // E0 80..9F would be overlong
                high = b == 0xED ? 0x9F : 0xBF; // ED A0..BF would be a surrogate
            } else if (b >= 0xF0 && b <= 0xF4) {
                more = 3;
                low = b == 0xF0 ? 0x90 : 0x80;
                high = b == 0xF4 ? 0x8F : 0xBF;
            } else {
                return new Invalid(line, b, at);
            }
            for (int k = 0; k < more; k++) {
                int c = in.read();
                offset++;
                boolean ok = k == 0 ? c >= low && c <= high : c >= 0x80 && c <= 0xBF;
                if (!ok) {
                    return new Invalid(line, b, at);
                }
            }
        }
        return null;
    }
}
