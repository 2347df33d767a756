package dev.moe.runtime.bundle;

import dev.moe.runtime.MoeException;
import dev.moe.runtime.io.OutputTarget;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.Objects;

/**
 * Writes a file so that readers only ever see the old one or the complete new one: the content goes to a
 * temporary file beside the target ({@code .NAME.*.tmp}), which is renamed over the target only once it is
 * complete and flushed to disk. Any error (or an interrupt) deletes the temporary file and leaves the target as
 * it was; a JVM killed outright can leave the temporary file behind, never a half-written target, and the next
 * write of the same target removes it. Where the file goes is {@link OutputTarget}'s policy: symbolic links are
 * written through, devices and pipes written directly, {@code -} is standard output, and the target is locked
 * against a second writer for the duration.
 */
public final class AtomicFiles {

    /** Writes the content; may throw any exception, which aborts the write. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** The last step, renaming the complete temporary file over the target; replaceable in tests. */
    @FunctionalInterface
    interface Commit {
        void move(Path complete, Path target) throws IOException;
    }

    static final Commit RENAME = (complete, target) -> {
        try {
            Files.move(complete, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(complete, target, StandardCopyOption.REPLACE_EXISTING);
        }
    };

    private AtomicFiles() {
    }

    /**
     * @param what names the file in messages, e.g. "model bundle"
     * @throws MoeException naming the file when it cannot be written; whatever {@code content} throws otherwise
     */
    public static void write(Path target, String what, Content content) {
        write(target, what, content, RENAME);
    }

    static void write(Path target, String what, Content content, Commit commit) {
        Objects.requireNonNull(content, "content");
        try (OutputTarget output = OutputTarget.forWrite(target, what)) {
            if (output.kind() != OutputTarget.Kind.FILE) {
                // Standard output, a device or a pipe: written through, never renamed over.
                try (OutputStream stream = output.openStream();
                     OutputStream out = new BufferedOutputStream(stream, 1 << 16)) {
                    content.writeTo(out);
                    out.flush();
                } catch (IOException e) {
                    if (output.isStdout() && String.valueOf(e.getMessage()).contains("Broken pipe")) {
                        throw new OutputTarget.StandardOutputClosed();
                    }
                    throw new MoeException("cannot write " + what + " " + target + ": " + describe(e));
                }
                output.written();
                return;
            }
            writeFile(output, target, what, content, commit);
        }
    }

    private static void writeFile(OutputTarget output, Path target, String what, Content content, Commit commit) {
        Path absolute = output.real();
        Path tmp;
        try {
            tmp = createTemporary(output);
        } catch (IOException e) {
            throw new MoeException("cannot write " + what + " " + target + ": " + describe(e));
        }
        // A Ctrl-C runs the shutdown hooks, not the finally below: OutputTarget's removes the temporary file then.
        OutputTarget.temporary(tmp, false);
        boolean committed = false;
        try {
            try (OutputStream file = Files.newOutputStream(tmp);
                 OutputStream out = new BufferedOutputStream(file, 1 << 16)) {
                content.writeTo(out);
                out.flush();
            }
            syncToDisk(tmp);
            commit.move(tmp, absolute);
            committed = true;
            output.written();
        } catch (IOException e) {
            throw new MoeException("cannot write " + what + " " + target + ": " + describe(e));
        } finally {
            if (!committed) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // Nothing more to do: the target is untouched either way.
                }
            }
            OutputTarget.temporary(tmp, true);
        }
    }

    /**
     * A new empty file beside the target. Unlike {@code Files.createTempFile} (owner-only permissions), it gets the
     * permissions any new file gets here (the umask's), or the target's when it replaces one.
     */
    private static Path createTemporary(OutputTarget output) throws IOException {
        Path target = output.real();
        for (int attempt = 0; ; attempt++) {
            Path tmp = output.temporarySibling();
            try {
                Files.createFile(tmp);
            } catch (FileAlreadyExistsException e) {
                if (attempt < 100) {
                    continue;
                }
                throw e;
            }
            try {
                if (Files.exists(target) && Files.getFileStore(tmp).supportsFileAttributeView(PosixFileAttributeView.class)) {
                    Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(target));
                }
            } catch (IOException | UnsupportedOperationException e) {
                // The permissions are a courtesy: the content is what must be right.
            }
            return tmp;
        }
    }

    /** Flushes the complete file to the disk before the rename, so that a power cut cannot leave it empty. */
    private static void syncToDisk(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    private static String describe(IOException e) {
        String type = e.getClass().getSimpleName();
        return e.getMessage() == null ? type : type.equals("IOException") ? e.getMessage() : type + ": " + e.getMessage();
    }
}
