package dev.moe.runtime.io;

import dev.moe.runtime.MoeException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Writes a file so that readers only ever see the old one or the complete new one, through the one implementation
 * ({@link dev.moe.api.io.AtomicFiles}: a temporary file beside the target, flushed to disk, renamed over it), with
 * moe's output policy around it ({@link OutputTarget}): symbolic links are written through, devices and pipes
 * written directly, {@code -} is standard output, the target is locked against a second writer for the duration, and
 * a Ctrl-C removes the temporary file. A JVM killed outright can leave the temporary file behind, never a
 * half-written target, and the next write of the same target removes it.
 */
public final class AtomicFiles {

    /** Writes the content; may throw any exception, which aborts the write. */
    public interface Content extends dev.moe.api.io.AtomicFiles.Content {
    }

    static final dev.moe.api.io.AtomicFiles.Commit RENAME = dev.moe.api.io.AtomicFiles.RENAME;

    private AtomicFiles() {
    }

    /**
     * @param what names the file in messages, e.g. "model bundle"
     * @throws MoeException naming the file when it cannot be written; whatever {@code content} throws otherwise
     */
    public static void write(Path target, String what, Content content) {
        write(target, what, content, RENAME);
    }

    public static void write(Path target, String what, Content content, dev.moe.api.io.AtomicFiles.Commit commit) {
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
            Path tmp = output.temporarySibling();
            // A Ctrl-C runs the shutdown hooks, not the finally below: OutputTarget's removes the temporary file then.
            OutputTarget.temporary(tmp, false);
            try {
                dev.moe.api.io.AtomicFiles.write(output.real(), tmp, content, commit);
                output.written();
            } catch (IOException e) {
                throw new MoeException("cannot write " + what + " " + target + ": " + describe(e));
            } finally {
                OutputTarget.temporary(tmp, true);
            }
        }
    }

    private static String describe(IOException e) {
        String type = e.getClass().getSimpleName();
        return e.getMessage() == null ? type : type.equals("IOException") ? e.getMessage() : type + ": " + e.getMessage();
    }
}
