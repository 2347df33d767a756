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

    @Test
    void aFailedWriteNamesTheFileAndWhatWentWrong() throws Exception {
        Path target = Files.writeString(dir.resolve("out.csv"), "old");
        assertEquals("cannot write test file " + target + ": disk full", assertThrows(MoeException.class,
                () -> AtomicFiles.write(target, "test file", out -> {
                    throw new IOException("disk full");
                })).getMessage());
        assertEquals("cannot write test file " + target + ": NoSuchFileException: gone.bin", assertThrows(MoeException.class,
                () -> AtomicFiles.write(target, "test file", out -> {
                    throw new java.nio.file.NoSuchFileException("gone.bin");
                })).getMessage());
        assertEquals("cannot write test file " + target + ": IOException", assertThrows(MoeException.class,
                () -> AtomicFiles.write(target, "test file", out -> {
                    throw new IOException();
                })).getMessage());
        assertEquals("old", Files.readString(target));
        assertEquals(List.of("out.csv"), filesIn(dir));
    }

    /** What a Ctrl-C does mid-write (the shutdown hook runs): the temporary file goes, the target never appears. */
    @Test
    void theExitCleanUpRemovesTheTemporaryFileOfAWriteInProgress() throws Exception {
        Path target = dir.resolve("model.moe");
        List<List<String>> seen = new java.util.ArrayList<>();
        assertThrows(MoeException.class, () -> AtomicFiles.write(target, "test file", out -> {
            out.write(new byte[1000]);
            seen.add(filesIn(dir));
            OutputTarget.cleanUpForExit();
            seen.add(filesIn(dir));
        }));
        assertEquals(2, seen.get(0).size(), seen.toString()); // the temporary file and the lock file
        assertTrue(seen.get(0).contains(".model.moe.lock"), seen.toString());
        assertTrue(seen.get(0).stream().anyMatch(n -> n.startsWith(".model.moe.") && n.endsWith(".tmp")), seen.toString());
        assertEquals(List.of(), seen.get(1));
        assertEquals(List.of(), filesIn(dir));
    }

    /** A pipe is written through, never replaced; its reader stopping early is an error naming it, not a quiet end. */
    @Test
    void aPipeIsWrittenThroughAndAReaderThatStopsIsAnError() throws Exception {
        Path fifo = dir.resolve("fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        java.util.concurrent.CompletableFuture<byte[]> read = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return Files.readAllBytes(fifo);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        AtomicFiles.write(fifo, "test file", out -> out.write("through the pipe".getBytes()));
        assertEquals("through the pipe", new String(read.get(30, TimeUnit.SECONDS)));
        assertEquals(List.of("fifo"), filesIn(dir));

        java.util.concurrent.CompletableFuture<Void> stops = java.util.concurrent.CompletableFuture.runAsync(() -> {
            try (java.io.InputStream in = Files.newInputStream(fifo)) {
                in.read();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        MoeException e = assertThrows(MoeException.class, () -> AtomicFiles.write(fifo, "test file", out -> {
            for (int i = 0; i < 1024; i++) {
                out.write(new byte[64 * 1024]);
            }
        }));
        stops.get(30, TimeUnit.SECONDS);
        assertEquals(MoeException.class, e.getClass());
        assertTrue(e.getMessage().startsWith("cannot write test file " + fifo + ": "), e.getMessage());
        assertTrue(Files.exists(fifo) && !Files.isRegularFile(fifo));
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
