package dev.moe.spark;

import dev.moe.api.io.AtomicFiles;
import dev.moe.runtime.MoeException;
import dev.moe.runtime.io.OutputTarget;
import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The output policy of {@code moe predict --engine spark}, whose output is a folder of part files:
 * <ul>
 *   <li>the folder may not be, hold, or sit inside an input (the data or the model): Spark empties it first;</li>
 *   <li>an existing file is refused (Spark writes a folder); a folder that is not empty is refused unless the user
 *       said {@code --overwrite};</li>
 *   <li>the part files are written into a temporary folder beside it ({@code .NAME.*.tmp}), which replaces the
 *       target only when the job succeeded: a failed run leaves the previous results and removes what it started;</li>
 *   <li>on a local file system the target is locked against a second writer, and the temporary folders an
 *       interrupted run left are removed.</li>
 * </ul>
 */
final class SparkOutput implements AutoCloseable {

    private final FileSystem fs;
    private final Path target;
    private final OutputTarget localLock;

    private SparkOutput(FileSystem fs, Path target, OutputTarget localLock) {
        this.fs = fs;
        this.target = target;
        this.localLock = localLock;
    }

    /**
     * @param inputs the command's input paths (data, model) as given
     * @throws MoeException with one line naming the folder when the policy refuses it
     */
    static SparkOutput claim(String output, List<String> inputs, boolean overwrite, Configuration conf) {
        Path target;
        FileSystem fs;
        try {
            target = new Path(output);
            fs = target.getFileSystem(conf);
            target = fs.makeQualified(target);
        } catch (IOException | IllegalArgumentException e) {
            throw new MoeException(output + ": not a usable output path (" + e.getMessage() + ")");
        }
        String out = canonical(target);
        for (String input : inputs) {
            String in = canonical(qualify(input, conf));
            if (in == null || out == null) {
                continue;
            }
            if (in.equals(out) || in.startsWith(out + "/")) {
                throw new MoeException(output + ": the predictions folder would replace " + input
                        + ", an input of this command; choose another --output");
            }
            if (out.startsWith(in + "/")) {
                throw new MoeException(output + ": the predictions folder would be inside " + input
                        + ", an input of this command; choose another --output");
            }
        }
        try {
            if (fs.exists(target)) {
                FileStatus status = fs.getFileStatus(target);
                if (!status.isDirectory()) {
                    throw new MoeException(output + ": is a file; Spark writes a folder of part files: give a folder name for --output");
                }
                if (fs.listStatus(target).length > 0 && !overwrite) {
                    throw new MoeException(output + ": is a folder that is not empty; pass --overwrite to replace its contents, "
                            + "or choose another --output");
                }
            }
        } catch (IOException e) {
            throw new MoeException(output + ": cannot check the output folder (" + e.getMessage() + ")");
        }
        OutputTarget lock = null;
        if ("file".equals(target.toUri().getScheme())) {
            lock = OutputTarget.lockFolder(java.nio.file.Path.of(target.toUri()), "predictions folder");
        }
        return new SparkOutput(fs, target, lock);
    }

    /**
     * Runs {@code job} on a temporary folder beside the target, then puts that folder in the target's place.
     *
     * @param job writes the part files into the folder it is given (which does not exist yet)
     */
    void write(Consumer<String> job) {
        Path tmp = new Path(target.getParent(), AtomicFiles.temporaryName(target.getName()));
        boolean done = false;
        java.nio.file.Path local = "file".equals(tmp.toUri().getScheme()) ? java.nio.file.Path.of(tmp.toUri()) : null;
        if (local != null) {
            OutputTarget.temporary(local, false);
        }
        try {
            job.accept(tmp.toString());
            replace(tmp);
            done = true;
        } finally {
            if (!done) {
                try {
                    fs.delete(tmp, true);
                } catch (IOException ignored) {
                    // the next write of this target removes it
                }
            }
            if (local != null) {
                OutputTarget.temporary(local, true);
            }
        }
    }

    private void replace(Path complete) {
        try {
            Path old = null;
            if (fs.exists(target)) {
                old = new Path(target.getParent(), AtomicFiles.temporaryName(target.getName()));
                if (!fs.rename(target, old)) {
                    throw new IOException("cannot move the previous results aside");
                }
            }
            if (!fs.rename(complete, target)) {
                if (old != null) {
                    fs.rename(old, target);
                }
                throw new IOException("cannot move the new results into place");
            }
            if (old != null) {
                fs.delete(old, true);
            }
        } catch (IOException e) {
            throw new MoeException(target + ": cannot put the predictions in place: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        if (localLock != null) {
            localLock.close();
        }
    }

    private static Path qualify(String path, Configuration conf) {
        try {
            Path p = new Path(path);
            return p.getFileSystem(conf).makeQualified(p);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /** A qualified path as text; a local one with links and {@code ..} resolved. */
    private static String canonical(Path p) {
        if (p == null) {
            return null;
        }
        if ("file".equals(p.toUri().getScheme())) {
            return OutputTarget.realPath(java.nio.file.Path.of(p.toUri())).toString();
        }
        String s = p.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
