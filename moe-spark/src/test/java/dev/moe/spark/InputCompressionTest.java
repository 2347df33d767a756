package dev.moe.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.moe.runtime.MoeException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver's check that a file's name and first bytes agree on gzip, on Hadoop's local file system (no Spark job):
 * a file, a folder Spark wrote, a pattern, and the files Spark itself skips.
 */
class InputCompressionTest {

    static final String CSV = "a,b\n1,2\n";

    @TempDir
    Path dir;

    final Configuration conf = new Configuration();

    Path gzip(String name) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(CSV.getBytes(StandardCharsets.UTF_8));
        }
        return file;
    }

    Path plain(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    String refusal(String path) {
        return assertThrows(MoeException.class, () -> InputCompression.requireNameMatchesBytes(conf, path)).getMessage();
    }

    void accepted(String path) {
        InputCompression.requireNameMatchesBytes(conf, path);
    }

    @Test
    void aFileWhoseNameAndBytesDisagreeIsNamedAsGivenWithWhatToDo() throws IOException {
        Path packed = gzip("packed.csv");
        assertEquals(packed + ": gzip-compressed, but its name does not end in .gz, which is how Spark knows to unpack a"
                + " file: rename it to packed.csv.gz (moe's local engine reads it either way)", refusal(packed.toString()));
        Path named = plain("plain.csv.gz", CSV);
        assertEquals(named + ": named .gz but not gzip-compressed, and Spark unpacks a file by its name: rename it without"
                + " .gz, or compress it (gzip)", refusal(named.toString()));
        // One byte is no gzip header, and neither is 0x1f followed by another byte.
        assertEquals(true, refusal(plain("one.csv.gz", "a").toString()).contains("named .gz but not gzip-compressed"));
        Path half = dir.resolve("half.csv.gz");
        Files.write(half, new byte[] {0x1f, 0x00, 0x01});
        assertEquals(true, refusal(half.toString()).contains("named .gz but not gzip-compressed"));
    }

    @Test
    void filesWhoseNameAndBytesAgreeAndAnEmptyGzFilePass() throws IOException {
        accepted(gzip("data.csv.gz").toString());
        accepted(plain("data.csv", CSV).toString());
        accepted(plain("empty.csv.gz", "").toString());
        Path notGzip = dir.resolve("binary.csv");
        Files.write(notGzip, new byte[] {0x1f, 0x00});
        accepted(notGzip.toString());
        accepted(dir.resolve("missing.csv").toString()); // Spark's own read names a missing file
    }

    @Test
    void aFolderIsCheckedFileByFileSkippingTheFilesSparkSkips() throws IOException {
        plain("out/part-00000.csv", CSV);
        gzip("out/_SUCCESS");
        gzip("out/.part-00000.csv.crc");
        Files.createDirectories(dir.resolve("out/sub"));
        accepted(dir.resolve("out").toString());
        Path packed = gzip("out/part-00001.csv");
        assertEquals(true, refusal(dir.resolve("out").toString()).startsWith("file:" + packed + ": gzip-compressed"),
                "a file of a folder is named by its own path");
    }

    @Test
    void aPatternIsCheckedUpToSixteenFiles() throws IOException {
        for (int i = 0; i < InputCompression.MAX_FILES + 2; i++) {
            plain(String.format("many/f%02d.csv", i), CSV);
        }
        String pattern = dir.resolve("many").toString() + "/*.csv";
        accepted(pattern);
        // The 17th file is past the files looked at; the 16th is not.
        gzip(String.format("many/f%02d.csv", InputCompression.MAX_FILES));
        accepted(pattern);
        Path last = gzip(String.format("many/f%02d.csv", InputCompression.MAX_FILES - 1));
        assertEquals(true, refusal(pattern).startsWith("file:" + last + ": gzip-compressed"), refusal(pattern));
    }
}
