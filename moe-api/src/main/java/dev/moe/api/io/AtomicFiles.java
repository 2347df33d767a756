package dev.moe.api.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * Writes a file so that readers only ever see the old one or the complete new one: the content goes to a temporary
 * file beside the target ({@code .NAME.*.tmp}, with the target's permissions when it replaces one), which is flushed
 * to the disk and only then renamed over the target. Any error deletes the temporary file and leaves the target as it
 * was. The one implementation, for moe and for expert plugins (JDK only); moe's commands add their output policy
 * (locks, standard output, links) around it.
 */
public final class AtomicFiles {

    /** Writes the content; may throw any exception, which aborts the write. Closing the stream is allowed. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** The last step, renaming the complete temporary file over the target; replaceable in tests. */
    @FunctionalInterface
    public interface Commit {
        void move(Path complete, Path target) throws IOException;
    }

    /** An atomic rename where the file system has one, else a plain replacing move. */
    public static final Commit RENAME = (complete, target) -> {
        try {
            Files.move(complete, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(complete, target, StandardCopyOption.REPLACE_EXISTING);
        }
    };

    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicFiles() {
    }

    /** Writes {@code target} (its folder is created when missing) through a temporary file beside it. */
    public static void write(Path target, Content content) throws IOException {
        Path absolute = target.toAbsolutePath();
        Files.createDirectories(absolute.getParent());
        write(absolute, temporarySibling(absolute), content, RENAME);
    }

    /**
     * @param temporary a path beside the target that does not exist yet (see {@link #temporarySibling})
     */
    public static void write(Path target, Path temporary, Content content, Commit commit) throws IOException {
        Objects.requireNonNull(content, "content");
        createLike(temporary, target);
        boolean committed = false;
        try {
            try (OutputStream file = Files.newOutputStream(temporary);
                 OutputStream out = new BufferedOutputStream(file, 1 << 16)) {
                content.writeTo(new FilterOutputStream(out) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len);
                    }

                    @Override
                    public void close() throws IOException {
                        flush(); // the file is closed below, after the content is complete
                    }
                });
                out.flush();
            }
            syncToDisk(temporary);
            commit.move(temporary, target);
            committed = true;
        } finally {
            if (!committed) {
                Files.deleteIfExists(temporary);
            }
        }
    }

    /** A fresh name beside the target: {@code .NAME.RANDOM.tmp}. */
    public static Path temporarySibling(Path target) {
        return target.resolveSibling("." + target.getFileName() + "." + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".tmp");
    }

    /**
     * A new empty file. Unlike {@code Files.createTempFile} (owner-only permissions), it gets the permissions any new
     * file gets here (the umask's), or the target's when it replaces one.
     */
    private static void createLike(Path temporary, Path target) throws IOException {
        Files.createFile(temporary);
        try {
            if (Files.exists(target) && Files.getFileStore(temporary).supportsFileAttributeView(PosixFileAttributeView.class)) {
                Files.setPosixFilePermissions(temporary, Files.getPosixFilePermissions(target));
            }
        } catch (IOException | UnsupportedOperationException e) {
            // The permissions are a courtesy: the content is what must be right.
        }
    }

    /** Flushes the complete file to the disk before the rename, so that a power cut cannot leave it empty. */
    private static void syncToDisk(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }
}
