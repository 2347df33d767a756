package dev.moe.runtime.io;

import dev.moe.runtime.MoeException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The one output policy of every command: what a command may write, decided before it computes anything.
 * <ul>
 *   <li>{@code -} is standard output.</li>
 *   <li>A regular file (or a symbolic link to one, which is written through: the file it points to is replaced,
 *       the link stays) is replaced atomically; an existing one only when the user said {@code --overwrite}; never
 *       when it is one of the command's inputs (compared by real path, links and {@code ..} resolved).</li>
 *   <li>A character device or a pipe (and anything under {@code /dev} or {@code /proc}) is written through, never
 *       renamed over; a folder, a block device, a socket or a dangling link is refused.</li>
 *   <li>A regular target is locked ({@code .NAME.lock} beside it) from the claim to the end of the command, so two
 *       writers of one file cannot both claim success; under that lock the temporary files an interrupted writer of
 *       the same target left behind ({@code .NAME.*.tmp}) are removed.</li>
 * </ul>
 * Every refusal is a {@link MoeException} with one line naming the file.
 */
public final class OutputTarget implements AutoCloseable {

    /** How a target is written. */
    public enum Kind {
        /** A regular file, replaced atomically by a rename. */
        FILE,
        /** A character device, a pipe: opened and written through. */
        STREAM,
        /** Standard output. */
        STDOUT
    }

    /** An input of a command: its path as given, what it is (for messages) and its real path. */
    public record Input(Path path, String role, Path real) {
        public Input {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(role, "role");
        }
    }

    /** Targets this process has claimed, by real path: {@link #forWrite} reuses their lock. */
    private static final Map<Path, OutputTarget> HELD = new ConcurrentHashMap<>();
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Locks this process holds: on Ctrl-C (shutdown hooks run, finally blocks do not) their lock files go too. */
    private static final java.util.Set<OutputTarget> LOCKED = ConcurrentHashMap.newKeySet();

    /** Temporary files being written now: removed by {@link #cleanUpForExit} if the process ends first. */
    private static final java.util.Set<Path> TEMPORARIES = ConcurrentHashMap.newKeySet();

    static {
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(OutputTarget::cleanUpForExit, "moe-output-locks"));
        } catch (IllegalStateException shuttingDown) {
            // First used while the process ends (by the exit guard): nothing of this class's is held then.
        }
    }

    /** Removes this process's temporary files and lock files: for a process that ends before its writes finish. */
    public static void cleanUpForExit() {
        for (Path tmp : TEMPORARIES) {
            try {
                deleteTree(tmp);
            } catch (IOException ignored) {
                // the next write of that target removes it
            }
        }
        for (OutputTarget t : LOCKED) {
            try {
                Files.deleteIfExists(t.lockFile);
            } catch (IOException ignored) {
                // the next writer takes a stale lock file over
            }
        }
    }

    /** Tracks a temporary file or folder of a write in progress ({@code done}: the write finished with it). */
    public static void temporary(Path tmp, boolean done) {
        if (done) {
            TEMPORARIES.remove(tmp);
        } else {
            TEMPORARIES.add(tmp);
        }
    }

    private final Path given;
    private final Path real;
    private final Kind kind;
    private final String what;
    private Path lockFile;
    private FileChannel lockChannel;
    private FileChannel lockCheckChannel;
    private FileLock lock;
    private Path createdFolder;
    private boolean written;
    private final boolean registered;

    private OutputTarget(Path given, Path real, Kind kind, String what, boolean registered) {
        this.given = given;
        this.real = real;
        this.kind = kind;
        this.what = what;
        this.registered = registered;
    }

    /** Whether {@code path} is {@code -}, standard input or output. */
    public static boolean isDash(Path path) {
        return path != null && path.toString().equals("-");
    }

    /** An input of a command; {@code -} (standard input) and null are left out by {@link #claim}. */
    public static Input input(Path path, String role) {
        return new Input(path, role, isDash(path) ? null : realPath(path));
    }

    /**
     * Checks {@code path} against the policy and locks it until {@link #close}.
     *
     * @param what      names the output in messages, e.g. "model bundle"
     * @param overwrite whether the user allowed replacing an existing file
     * @param inputs    the command's inputs: none of them may be the output
     * @throws MoeException with one line naming the file when the policy refuses it
     */
    public static OutputTarget claim(Path path, String what, boolean overwrite, Collection<Input> inputs) {
        OutputTarget target = resolve(path, what, true);
        if (target.kind != Kind.FILE) {
            return target;
        }
        for (Input in : inputs) {
            if (in != null && in.real() != null && in.real().equals(target.real)) {
                throw new MoeException(path + ": the " + what + " would overwrite " + in.path() + ", " + in.role()
                        + " of this command; choose another output");
            }
        }
        if (Files.exists(target.real) && !overwrite) {
            throw new MoeException(path + ": exists; pass --overwrite to replace it, or choose another output");
        }
        target.lock();
        return target;
    }

    /**
     * A lock on a folder that is written as a whole (Spark's folder of part files): the same lock file and stale
     * temporary clean-up as a file's, no checks (the caller has its own for folders).
     */
    public static OutputTarget lockFolder(Path folder, String what) {
        Path absolute = folder.toAbsolutePath().normalize();
        OutputTarget target = new OutputTarget(folder, realPath(absolute), Kind.FILE, what, false);
        target.lock();
        return target;
    }

    /**
     * The target for one write by code that was given a path (a report writer, a bundle writer): the claim this
     * process holds on it, or a fresh lock held for the write only. Does not check for an existing file.
     */
    public static OutputTarget forWrite(Path path, String what) {
        OutputTarget target = resolve(path, what, false);
        if (target.kind == Kind.FILE) {
            OutputTarget held = HELD.get(target.real);
            if (held != null) {
                return held.borrowed();
            }
            target.lock();
        }
        return target;
    }

    private OutputTarget borrowed() {
        return new OutputTarget(given, real, kind, what, false);
    }

    public Kind kind() {
        return kind;
    }

    /** The path as the user gave it. */
    public Path path() {
        return given;
    }

    /** The file written: the real path of a regular target, the path itself otherwise. */
    public Path real() {
        return real;
    }

    /** Whether the command may print its own lines on standard output (not when the output goes there). */
    public boolean isStdout() {
        return kind == Kind.STDOUT;
    }

    /** Marks that the output was written: {@link #close} then keeps any folder the claim created. */
    public void written() {
        written = true;
        OutputTarget held = HELD.get(real);
        if (held != null) {
            held.written = true;
        }
    }

    /** Deletes the temporary files an interrupted write of this target left; only ever under its lock. */
    public void removeStaleTemporaries() {
        Path folder = real.getParent();
        Pattern stale = Pattern.compile(Pattern.quote(dev.moe.api.io.AtomicFiles.siblingStem(real.getFileName().toString())) + "\\.[0-9a-z]+\\.tmp");
        try (Stream<Path> entries = Files.list(folder)) {
            for (Path p : entries.filter(p -> stale.matcher(p.getFileName().toString()).matches()).toList()) {
                deleteTree(p);
            }
        } catch (IOException e) {
            // Left for the next writer: the write itself does not depend on it.
        }
    }

    /** A fresh name for a temporary file or folder beside the target, matching {@link #removeStaleTemporaries}. */
    public Path temporarySibling() {
        return dev.moe.api.io.AtomicFiles.temporarySibling(real);
    }

    /** Opens the target of a {@link Kind#STREAM} or {@link Kind#STDOUT}; the caller closes what it gets. */
    public OutputStream openStream() throws IOException {
        if (kind == Kind.STDOUT) {
            // The file descriptor itself, not System.out: a PrintStream swallows write errors, and a pipe whose reader
            // ended must stop the work (and a full disk must say so).
            System.out.flush();
            return new java.io.FileOutputStream(java.io.FileDescriptor.out) {
                @Override
                public void close() throws IOException {
                    flush(); // standard output stays open
                }
            };
        }
        if (kind == Kind.STREAM) {
            return Files.newOutputStream(real, StandardOpenOption.WRITE);
        }
        throw new IllegalStateException("a regular file is written through a temporary file");
    }

    @Override
    public void close() {
        if (lock == null) {
            return;
        }
        if (registered) {
            HELD.remove(real, this);
        }
        LOCKED.remove(this);
        try {
            // Deleted while still locked: a waiting writer that then gets the old file's lock sees it is gone.
            Files.deleteIfExists(lockFile);
        } catch (IOException ignored) {
            // A lock file left behind is harmless: the next writer takes it.
        }
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException ignored) {
            // Closing the channel releases the lock in any case.
        }
        closeQuietly(lockCheckChannel);
        lock = null;
        if (!written && createdFolder != null) {
            for (Path p = real.getParent(); p != null && p.startsWith(createdFolder); p = p.getParent()) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    break; // not empty: something else is in it now
                }
            }
        }
    }

    private static final int S_IFMT = 0170000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFIFO = 0010000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFSOCK = 0140000;
    private static final List<Path> STANDARD_OUTPUT = List.of(Path.of("/dev/stdout"), Path.of("/dev/fd/1"), Path.of("/proc/self/fd/1"));

    private static OutputTarget resolve(Path path, String what, boolean register) {
        Objects.requireNonNull(path, "path");
        if (path.toString().isEmpty()) {
            // "-o ''" resolves to the current folder: "': is a folder" named nothing the user wrote.
            throw new MoeException("the " + what + "'s path is empty; give a file name");
        }
        if (isDash(path)) {
            return new OutputTarget(path, path, Kind.STDOUT, what, false);
        }
        Path absolute = path.toAbsolutePath().normalize();
        if (STANDARD_OUTPUT.contains(absolute)) {
            return new OutputTarget(path, absolute, Kind.STDOUT, what, false);
        }
        if (Files.isSymbolicLink(absolute) && !Files.exists(absolute)) {
            throw new MoeException(path + ": is a symbolic link to nothing (" + readLink(absolute) + "); choose another output");
        }
        boolean system = absolute.startsWith("/dev") || absolute.startsWith("/proc") || absolute.startsWith("/sys");
        if (Files.exists(absolute)) {
            int mode = mode(absolute);
            int type = mode & S_IFMT;
            if (Files.isDirectory(absolute)) {
                throw new MoeException(path + ": is a folder; give a file name for the " + what);
            }
            if (type == S_IFCHR || type == S_IFIFO) {
                return new OutputTarget(path, absolute, Kind.STREAM, what, false);
            }
            if (type == S_IFBLK || type == S_IFSOCK || (mode != 0 && !Files.isRegularFile(absolute))) {
                throw new MoeException(path + ": is a " + (type == S_IFBLK ? "block device" : type == S_IFSOCK ? "socket" : "special file")
                        + "; moe writes the " + what + " only to a regular file, a character device, a pipe or - (standard output)");
            }
            if (system) {
                throw new MoeException(path + ": moe does not replace files under /dev, /proc or /sys; choose another output");
            }
            return new OutputTarget(path, realPath(absolute), Kind.FILE, what, register);
        }
        if (system) {
            throw new MoeException(path + ": moe does not create files under /dev, /proc or /sys; choose another output");
        }
        return new OutputTarget(path, realPath(absolute), Kind.FILE, what, register);
    }

    private void lock() {
        Path folder = real.getParent();
        try {
            Path p = folder;
            for (; p != null && !Files.exists(p); p = p.getParent()) {
                createdFolder = p; // the topmost folder this claim creates, removed again when nothing is written
            }
            if (p != null && !Files.isDirectory(p)) {
                throw new MoeException(given + ": cannot write the " + what + ": " + p + " is a file, not a folder");
            }
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new MoeException(given + ": cannot write the " + what + ": cannot create its folder " + folder + " ("
                    + describe(e) + ")");
        }
        lockFile = real.resolveSibling(dev.moe.api.io.AtomicFiles.siblingStem(real.getFileName().toString()) + ".lock");
        // Held by this process already: opening (and closing) the lock file again would drop the OS lock that holds.
        // Not "another process": a library user's second thread, or a second output of the same run, holds it.
        if (LOCKED.stream().anyMatch(t -> lockFile.equals(t.lockFile))) {
            throw new MoeException(given + ": this process is writing it already (" + lockFile.getFileName()
                    + " is locked by another output of this run or another thread); wait for that to finish, or choose "
                    + "another output");
        }
        String token = Long.toUnsignedString(RANDOM.nextLong(), 36);
        for (int attempt = 0; attempt < 20; attempt++) {
            FileChannel channel = null;
            try {
                channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
                FileLock acquired;
                try {
                    acquired = channel.tryLock();
                } catch (OverlappingFileLockException e) {
                    acquired = null;
                }
                if (acquired == null) {
                    channel.close();
                    throw new MoeException(given + ": another moe process is writing it now (" + lockFile.getFileName()
                            + " is locked); wait for it to finish, or choose another output");
                }
                channel.truncate(0);
                channel.write(java.nio.ByteBuffer.wrap((ProcessHandle.current().pid() + " " + token + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
                channel.force(false);
                // The file locked must still be the lock file: a writer that just finished deletes it under its lock.
                // It is read through a channel kept open while the lock is held: closing any descriptor of a file
                // drops this process's OS lock on it (POSIX record locks), and another process could then write too.
                FileChannel check;
                try {
                    check = FileChannel.open(lockFile, StandardOpenOption.READ);
                } catch (NoSuchFileException e) {
                    check = null;
                }
                if (check == null || !readAll(check).contains(" " + token)) {
                    closeQuietly(check);
                    acquired.release();
                    channel.close();
                    continue;
                }
                lockCheckChannel = check;
                lockChannel = channel;
                lock = acquired;
                LOCKED.add(this);
                if (registered) {
                    HELD.put(real, this);
                }
                removeStaleTemporaries();
                return;
            } catch (IOException e) {
                closeQuietly(channel);
                throw new MoeException(given + ": cannot write the " + what + ": " + describe(e));
            } catch (RuntimeException e) {
                closeQuietly(channel);
                throw e;
            }
        }
        throw new MoeException(given + ": cannot lock it (" + lockFile + " keeps changing)");
    }

    private static String readAll(FileChannel channel) throws IOException {
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(256); // "pid token\n": far shorter
        while (bytes.hasRemaining() && channel.read(bytes, bytes.position()) > 0) {
            // read on until the end or the buffer is full
        }
        return new String(bytes.array(), 0, bytes.position(), StandardCharsets.US_ASCII);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing held
            }
        }
    }

    private static int mode(Path p) {
        try {
            return (Integer) Files.getAttribute(p, "unix:mode");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return 0;
        }
    }

    private static String readLink(Path p) {
        try {
            return String.valueOf(Files.readSymbolicLink(p));
        } catch (IOException e) {
            return "?";
        }
    }

    /** The real path of a file, or of the folder it would be created in plus its name; links and {@code ..} resolved. */
    public static Path realPath(Path path) {
        Path absolute = path.toAbsolutePath();
        try {
            return absolute.toRealPath();
        } catch (IOException e) {
            // Not there (yet): '..' is taken by name, as the writers take it (resolve), else "missing/../in.csv"
            // would not compare equal to in.csv, the file a write of it replaces.
            Path normal = absolute.normalize();
            if (!normal.equals(absolute)) {
                return realPath(normal);
            }
            Path parent = absolute.getParent();
            if (parent == null || absolute.getFileName() == null) {
                return absolute.normalize();
            }
            if (Files.isSymbolicLink(absolute)) {
                try {
                    return realPath(parent.resolve(Files.readSymbolicLink(absolute)));
                } catch (IOException ignored) {
                    // fall through: the name itself
                }
            }
            return realPath(parent).resolve(absolute.getFileName());
        }
    }

    /** Deletes a file or a folder with everything in it (not following links). */
    public static void deleteTree(Path p) throws IOException {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> children = Files.list(p)) {
                for (Path c : children.toList()) {
                    deleteTree(c);
                }
            }
        }
        Files.deleteIfExists(p);
    }

    /** Standard output's reader went away (`moe predict ... --output - | head`): moe stops quietly, as Unix tools do. */
    public static final class StandardOutputClosed extends MoeException {
        public StandardOutputClosed() {
            super("standard output was closed by its reader");
        }
    }

    static String describe(IOException e) {
        String type = e.getClass().getSimpleName();
        return e.getMessage() == null ? type : type.equals("IOException") ? e.getMessage() : type + ": " + e.getMessage();
    }
}
