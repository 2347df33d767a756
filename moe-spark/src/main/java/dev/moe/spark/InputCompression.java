package dev.moe.spark;

import dev.moe.runtime.MoeException;
import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.hadoop.io.compress.GzipCodec;

/**
 * Spark unpacks an input file by its name ({@code .gz}), the local engine by its first bytes ({@code io.Gzip}): a gzip
 * file named {@code data.csv} reads with {@code moe predict} but reaches Spark as binary text (a header of garbage, or
 * a run that fails deep in a task), and a plain file named {@code .gz} fails in the codec. Both are said in one line on
 * the driver, before any job, with what to do; so is a spreadsheet's workbook ({@code io.Workbook}), as locally.
 */
final class InputCompression {

    /** Files of a folder or pattern looked at: enough for a folder written by one tool, few opens on a store like S3. */
    static final int MAX_FILES = 16;

    private InputCompression() {
    }

    /**
     * @param path as given to {@code spark.read()}: a file, a folder or a pattern, on any file system Hadoop knows
     * @throws MoeException for a file whose first bytes and name disagree on gzip
     */
    static void requireNameMatchesBytes(Configuration conf, String path) {
        FileSystem fs;
        FileStatus[] matches;
        try {
            Path p = new Path(path);
            fs = p.getFileSystem(conf);
            matches = fs.globStatus(p);
        } catch (IOException | IllegalArgumentException e) {
            return; // Spark's own read says what is wrong with the path
        }
        if (matches == null) {
            return;
        }
        CompressionCodecFactory codecs = new CompressionCodecFactory(conf);
        int looked = 0;
        for (FileStatus match : matches) {
            FileStatus[] files;
            try {
                files = match.isDirectory() ? fs.listStatus(match.getPath()) : new FileStatus[] {match};
            } catch (IOException e) {
                return;
            }
            for (FileStatus file : files) {
                String name = file.getPath().getName();
                if (!file.isFile() || name.startsWith("_") || name.startsWith(".")) {
                    continue; // Spark skips these too (_SUCCESS, .crc files)
                }
                if (looked++ == MAX_FILES) {
                    return;
                }
                String shown = matches.length == 1 && !match.isDirectory() ? path : file.getPath().toString();
                check(fs, file, codecs.getCodec(file.getPath()), shown);
            }
        }
    }

    private static void check(FileSystem fs, FileStatus file, CompressionCodec codec, String shown) {
        boolean gzipBytes;
        String notCsv; // a workbook's or an ARFF file's refusal
        try (InputStream in = fs.open(file.getPath())) {
            // Enough of the first line for an ARFF file's "@relation" as well as a workbook's signature.
            byte[] magic = in.readNBytes(16);
            gzipBytes = magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b;
            notCsv = dev.moe.runtime.io.Workbook.refusal(shown, file.getPath().getName(), magic);
            if (notCsv == null && !gzipBytes) {
                notCsv = dev.moe.runtime.io.Arff.refusal(shown, file.getPath().getName(),
                        new String(magic, java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        } catch (IOException e) {
            return; // Spark's read names it
        }
        if (notCsv != null) {
            throw new MoeException(notCsv); // Spark would read its bytes as text, as the local engine refuses to
        }
        if (gzipBytes && codec == null) {
            throw new MoeException(shown + ": gzip-compressed, but its name does not end in .gz, which is how Spark knows to"
                    + " unpack a file: rename it to " + file.getPath().getName() + ".gz (moe's local engine reads it either way)");
        }
        if (!gzipBytes && codec instanceof GzipCodec && file.getLen() > 0) {
            throw new MoeException(shown + ": named .gz but not gzip-compressed, and Spark unpacks a file by its name: rename it"
                    + " without .gz, or compress it (gzip)");
        }
    }
}
