package dev.moe.runtime.io;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * Data files may be gzip-compressed ({@code data.csv.gz}), as Spark and most tools that write large CSVs have them:
 * recognised by their first two bytes, not by their name, so a renamed file reads the same.
 */
public final class Gzip {

    private static final int BUFFER = 1 << 16;

    private Gzip() {
    }

    /**
     * The stream's text: gunzipped when it starts with gzip's magic number, as it is otherwise.
     *
     * @param in a stream that supports {@link InputStream#mark}
     * @return a buffered stream (that supports mark) over the uncompressed bytes; closing it closes {@code in}
     */
    public static InputStream decompressed(InputStream in) throws IOException {
        if (!in.markSupported()) {
            throw new IllegalArgumentException("the stream must support mark");
        }
        in.mark(2);
        byte[] magic = in.readNBytes(2);
        in.reset();
        boolean gzip = magic.length == 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b;
        return gzip ? new BufferedInputStream(new GZIPInputStream(in, BUFFER), BUFFER) : in;
    }

    /** A read error in words: a cut or damaged gzip stream says so, where the JDK says "Unexpected end of ZLIB input". */
    public static String describe(IOException e) {
        if (e instanceof java.io.EOFException && String.valueOf(e.getMessage()).contains("ZLIB")) {
            return "the gzip data ends early (an incomplete copy?)";
        }
        if (e instanceof java.util.zip.ZipException) {
            return "damaged gzip data (" + e.getMessage() + ")";
        }
        return e.getMessage();
    }
}
