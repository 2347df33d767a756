package dev.moe.runtime.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.runtime.MoeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    private List<String> filesIn(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesTheWholeContentAndReplacesTheOldFile() throws Exception {
        Path target = dir.resolve("sub/out.txt");
        AtomicFiles.write(target, "test file", out -> out.write("first".getBytes()));
        AtomicFiles.write(target, "test file", out -> out.write("second".getBytes()));
        assertEquals("second", Files.readString(target));
        assertEquals(List.of("out.txt"), filesIn(dir.resolve("sub")));
    }

    @Test
    void aNewFileGetsTheUsualPermissionsAndAReplacedOneKeepsItsOwn() throws Exception {
        Path usual = Files.createFile(dir.resolve("usual.txt"));
        Path fresh = dir.resolve("fresh.moe");
        AtomicFiles.write(fresh, "test file", out -> out.write(1));
        assertEquals(Files.getPosixFilePermissions(usual), Files.getPosixFilePermissions(fresh));
        java.util.Set<java.nio.file.attribute.PosixFilePermission> groupReadable =
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----");
        Files.setPosixFilePermissions(fresh, groupReadable);
        AtomicFiles.write(fresh, "test file", out -> out.write(2));
        assertEquals(groupReadable, Files.getPosixFilePermissions(fresh));
        assertEquals(2, Files.readAllBytes(fresh)[0]);
    }

    @Test
    void anErrorWhileWritingLeavesNoFileBehind() throws Exception {
        Path target = dir.resolve("out.csv");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> AtomicFiles.write(target, "test file", out -> {
            out.write(new byte[100_000]);
            throw new IllegalStateException("row 7 is bad");
        }));
        assertEquals("row 7 is bad", e.getMessage());
        assertEquals(List.of(), filesIn(dir));

        Files.createDirectories(dir.resolve("folder.csv"));
        assertEquals(dir.resolve("folder.csv") + ": is a folder; give a file name for the test file",
                assertThrows(MoeException.class, () -> AtomicFiles.write(dir.resolve("folder.csv"), "test file", out -> { })).getMessage());
    }

    /**
     * A real crash: another JVM writes over an existing file and is killed (SIGKILL, no cleanup at all) while the new
     * content is half written. The old file must be intact; the temporary file may stay behind, never the target.
     * Then the same with SIGTERM (what Ctrl-C does: shutdown hooks run), which must also remove the temporary file.
     */
    @Test
    void aWriterKilledMidWriteLeavesTheOldFileIntact() throws Exception {
        for (boolean forcibly : new boolean[] {true, false}) {
            Path folder = Files.createDirectories(dir.resolve(forcibly ? "sigkill" : "sigterm"));
            Path target = Files.writeString(folder.resolve("model.moe"), "the previous bundle");
            Path started = folder.resolve("started");
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), SlowWriter.class.getName(), target.toString(), started.toString())
                    .redirectErrorStream(true).start();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!Files.exists(started) && child.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertTrue(Files.exists(started), () -> "the child never started writing: " + output(child));
                List<String> during = filesIn(folder);
                // model.moe, started, the temporary file and the lock file
                assertEquals(4, during.size(), during.toString());
                assertTrue(during.contains(".model.moe.lock"), during.toString());
                if (forcibly) {
                    child.destroyForcibly();
                } else {
                    child.destroy();
                }
                assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            } finally {
                child.destroyForcibly();
            }
            assertEquals("the previous bundle", Files.readString(target));
            List<String> left = filesIn(folder).stream().filter(n -> !n.equals("started")).toList();
            if (forcibly) {
                // Killed outright, nothing cleaned up: the half-written temporary file proves the kill came mid-write.
                assertEquals(3, left.size(), left.toString());
                assertTrue(left.contains(".model.moe.lock"), left.toString());
                String tmp = left.stream().filter(n -> n.endsWith(".tmp")).findFirst().orElseThrow();
                assertTrue(tmp.startsWith(".model.moe."), left.toString());
                assertTrue(left.contains("model.moe"), left.toString());
                assertEquals(512 * 1024, Files.size(folder.resolve(tmp)));
                // The next write of the same target takes the stale lock over and removes the stale temporary file.
                AtomicFiles.write(target, "test file", out -> out.write("next".getBytes()));
                assertEquals("next", Files.readString(target));
                assertEquals(List.of("model.moe", "started"), filesIn(folder));
            } else {
                assertEquals(List.of("model.moe"), left);
            }
        }
    }

    private static String output(Process child) {
        child.destroyForcibly();
        try {
            return new String(child.getInputStream().readAllBytes());
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** Writes half a megabyte over its target, says so, then hangs until killed. */
    public static final class SlowWriter {
        public static void main(String[] args) {
            Path target = Path.of(args[0]);
            Path started = Path.of(args[1]);
            AtomicFiles.write(target, "test file", out -> {
                out.write(new byte[512 * 1024]);
                out.flush();
                Files.writeString(started, "writing");
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("not killed in time");
            });
            assertFalse(true, "unreachable");
        }
    }
}
