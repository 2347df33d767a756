package dev.moe.api.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
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
        /**
         * Writes the whole content.
         *
         * @param out the temporary file, buffered; closing it only flushes, so it may be handed to code that closes
         * @throws IOException when the content cannot be produced; the target stays as it was
         */
        void writeTo(OutputStream out) throws IOException;
    }

    /** The last step, renaming the complete temporary file over the target; replaceable in tests. */
    @FunctionalInterface
    public interface Commit {
        /**
         * Puts the complete file in the target's place.
         *
         * @param complete the temporary file, complete and flushed to the disk
         * @param target   the file to create or replace
         * @throws IOException when the move fails; the caller then deletes {@code complete}
         */
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

    /**
     * Writes {@code target} (its folder is created when missing) through a temporary file beside it, committed with
     * {@link #RENAME}.
     *
     * @param target  the file to create or replace; a relative path resolves against the working directory
     * @param content writes the bytes; called once
     * @throws IOException when creating the folder or the temporary file, writing the content or renaming fails; the
     *                     target is then unchanged, as it is when the content throws anything else
     */
    public static void write(Path target, Content content) throws IOException {
        Path absolute = target.toAbsolutePath();
        Files.createDirectories(absolute.getParent());
        write(absolute, temporarySibling(absolute), content, RENAME);
    }

    /**
     * The steps of {@link #write(Path, Content)} with the temporary file and the last step given, for tests and for
     * callers that name the temporary file themselves. Unlike that method, it creates no folder.
     *
     * @param target    the file to create or replace; its folder must exist
     * @param temporary a path beside the target that does not exist yet (see {@link #temporarySibling}); it is
     *                  created here and deleted on any error after that
     * @param content   writes the bytes; called once
     * @param commit    moves the complete temporary file over the target, usually {@link #RENAME}
     * @throws IOException when the temporary file exists already or cannot be created, or when the content, the
     *                     flush to the disk or the commit fails; the target is then unchanged
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

    /**
     * A fresh name beside the target: {@code .NAME.RANDOM.tmp}, hidden on Unix and random (64 bits) so that concurrent
     * writers of the same target do not collide. Creates nothing.
     *
     * @param target the file to be written
     * @return a path in the target's folder
     */
    public static Path temporarySibling(Path target) {
        return target.resolveSibling(temporaryName(target.getFileName().toString()));
    }

    /**
     * A fresh name for a temporary file beside a file named {@code fileName}: {@link #siblingStem} of it, a random part
     * and {@code .tmp}.
     *
     * @param fileName the target's own name, without its folder
     * @return a name in the same folder
     */
    public static String temporaryName(String fileName) {
        return siblingStem(fileName) + "." + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".tmp";
    }

    /** Bytes left for a sibling's suffix: a random part of up to 13 characters and ".tmp", or ".lock". */
    private static final int STEM_BYTES = 255 - ".".length() - 13 - ".tmp".length();

    /**
     * The start of the names moe gives the files it keeps beside a target (temporary files, the lock):
     * {@code .NAME}, hidden on Unix. A name near the file system's limit of 255 bytes is legal, but these siblings of it
     * would not be; so a long name is cut (on a character's edge) and tagged with its hash, which keeps two long names
     * with the same start apart.
     *
     * @param fileName the target's own name, without its folder
     * @return the stem, at most 237 bytes of UTF-8
     */
    public static String siblingStem(String fileName) {
        String stem = "." + fileName;
        byte[] utf8 = stem.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= STEM_BYTES) {
            return stem;
        }
        String tag = String.format("~%08x", fileName.hashCode());
        int budget = STEM_BYTES - tag.length();
        StringBuilder cut = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < stem.length(); ) {
            int cp = stem.codePointAt(i);
            int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + n > budget) {
                break;
            }
            cut.appendCodePoint(cp);
            bytes += n;
            i += Character.charCount(cp);
        }
        return cut + tag;
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
