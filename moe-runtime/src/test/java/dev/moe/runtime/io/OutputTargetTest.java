package dev.moe.runtime.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.moe.runtime.MoeException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The output policy of every command, case by case, in process (moe-cli's SafetyTest runs the commands). */
class OutputTargetTest {

    @TempDir
    Path dir;

    private List<String> filesIn(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private String refusal(Path path, boolean overwrite, List<OutputTarget.Input> inputs) {
        return assertThrows(MoeException.class, () -> OutputTarget.claim(path, "report", overwrite, inputs)).getMessage();
    }

    @Test
    void anExistingFileIsReplacedOnlyWithOverwrite() throws Exception {
        Path existing = Files.writeString(dir.resolve("report.json"), "yesterday's report");
        assertEquals(existing + ": exists; pass --overwrite to replace it, or choose another output",
                refusal(existing, false, List.of()));
        assertEquals("yesterday's report", Files.readString(existing));
        try (OutputTarget target = OutputTarget.claim(existing, "report", true, List.of())) {
            assertEquals(OutputTarget.Kind.FILE, target.kind());
            assertEquals(existing, target.path());
        }
        // A new file needs no --overwrite.
        try (OutputTarget target = OutputTarget.claim(dir.resolve("new.json"), "report", false, List.of())) {
            assertEquals(dir.resolve("new.json"), target.real());
        }
    }

    @Test
    void anInputIsNeverTheOutputEvenThroughALinkOrDotDotOrWithOverwrite() throws Exception {
        Path data = Files.writeString(Files.createDirectories(dir.resolve("data")).resolve("train.csv"), "a,label\n1,x\n");
        Path link = Files.createSymbolicLink(dir.resolve("link.csv"), data);
        // A null input, standard input (-) and an unrelated file are no conflict.
        List<OutputTarget.Input> inputs = Arrays.asList(null, OutputTarget.input(Path.of("-"), "standard input"),
                OutputTarget.input(dir.resolve("other.csv"), "the config"), OutputTarget.input(link, "the data file"));
        for (Path output : List.of(data, link, dir.resolve("data/../data/train.csv"), dir.resolve("data/../link.csv"))) {
            assertEquals(output + ": the report would overwrite " + link + ", the data file of this command; choose another output",
                    refusal(output, true, inputs));
        }
        assertEquals("a,label\n1,x\n", Files.readString(data));
        try (OutputTarget target = OutputTarget.claim(dir.resolve("data/out.csv"), "report", false, inputs)) {
            assertEquals(OutputTarget.Kind.FILE, target.kind());
        }
    }

    @Test
    void aLinkIsWrittenThroughAndStays() throws Exception {
        Path file = Files.writeString(dir.resolve("real.csv"), "old");
        Path link = Files.createSymbolicLink(dir.resolve("link.csv"), file);
        try (OutputTarget target = OutputTarget.claim(link, "predictions", true, List.of())) {
            assertEquals(file.toRealPath(), target.real());
            assertEquals(link, target.path());
        }
        AtomicFiles.write(link, "predictions", out -> out.write("new".getBytes()));
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("new", Files.readString(file));
        assertEquals(List.of("link.csv", "real.csv"), filesIn(dir));
    }

    @Test
    void foldersDanglingLinksSocketsAndSystemFoldersAreRefused() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("results"));
        assertEquals(folder + ": is a folder; give a file name for the report", refusal(folder, true, List.of()));

        Path dangling = Files.createSymbolicLink(dir.resolve("dangling.csv"), dir.resolve("nowhere.csv"));
        assertEquals(dangling + ": is a symbolic link to nothing (" + dir.resolve("nowhere.csv") + "); choose another output",
                refusal(dangling, true, List.of()));

        Path socket = dir.resolve("moe.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            assertEquals(socket + ": is a socket; moe writes the report only to a regular file, a character device, a pipe or "
                    + "- (standard output)", refusal(socket, true, List.of()));
        }

        Path underDev = Path.of("/dev/moe-output-target-test.csv");
        assertEquals(underDev + ": moe does not create files under /dev, /proc or /sys; choose another output",
                refusal(underDev, true, List.of()));
        Path procFile = Path.of("/proc/self/status");
        assertEquals(procFile + ": moe does not replace files under /dev, /proc or /sys; choose another output",
                refusal(procFile, true, List.of()));
        assertFalse(Files.exists(underDev));

        // A file where a folder of the path should be.
        Path notAFolder = Files.writeString(dir.resolve("notes.txt"), "notes");
        Path below = notAFolder.resolve("out.csv");
        // Was "cannot create its folder notes.txt (FileAlreadyExistsException: notes.txt)".
        assertEquals(below + ": cannot write the report: " + notAFolder + " is a file, not a folder", refusal(below, true, List.of()));
        assertEquals(notAFolder.resolve("sub/out.csv") + ": cannot write the report: " + notAFolder + " is a file, not a folder",
                refusal(notAFolder.resolve("sub/out.csv"), true, List.of()));
        // "-o ''" was the current folder: ": is a folder".
        assertEquals("the report's path is empty; give a file name", refusal(Path.of(""), true, List.of()));
    }

    @Test
    void devicesAndStandardOutputAreWrittenThroughWithoutALock() throws Exception {
        try (OutputTarget devNull = OutputTarget.claim(Path.of("/dev/null"), "report", false, List.of())) {
            assertEquals(OutputTarget.Kind.STREAM, devNull.kind());
            assertFalse(devNull.isStdout());
            try (OutputStream out = devNull.openStream()) {
                out.write("nothing kept".getBytes());
            }
        }
        AtomicFiles.write(Path.of("/dev/null"), "report", out -> out.write(1));
        assertFalse(Files.exists(Path.of("/dev/.null.lock")));
        for (String stdout : List.of("-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1")) {
            try (OutputTarget target = OutputTarget.claim(Path.of(stdout), "report", false, List.of())) {
                assertEquals(OutputTarget.Kind.STDOUT, target.kind(), stdout);
                assertTrue(target.isStdout(), stdout);
            }
        }
        try (OutputTarget file = OutputTarget.claim(dir.resolve("out.csv"), "report", false, List.of())) {
            assertFalse(file.isStdout());
            assertThrows(IllegalStateException.class, file::openStream);
        }
        assertTrue(OutputTarget.isDash(Path.of("-")));
        assertFalse(OutputTarget.isDash(Path.of("-x")));
        assertFalse(OutputTarget.isDash(null));
    }

    @Test
    void oneWriterPerFileUntilTheClaimIsClosed() throws Exception {
        Path bundle = dir.resolve("model.moe");
        try (OutputTarget first = OutputTarget.claim(bundle, "model bundle", false, List.of())) {
            assertEquals(List.of(".model.moe.lock"), filesIn(dir));
            assertEquals(bundle + ": this process is writing it already (.model.moe.lock is locked by another output of this "
                    + "run or another thread); wait for that to finish, or choose another output",
                    assertThrows(MoeException.class, () -> OutputTarget.claim(bundle, "model bundle", true, List.of())).getMessage());
            // The claim's own writes go through its lock, not against it.
            AtomicFiles.write(bundle, "model bundle", out -> out.write("bundle".getBytes()));
            assertEquals(List.of(".model.moe.lock", "model.moe"), filesIn(dir));
        }
        assertEquals(List.of("model.moe"), filesIn(dir));
        // Closed, the claim lends its lock no more: a later write takes its own.
        AtomicFiles.write(bundle, "model bundle", out -> assertEquals(List.of(".model.moe.lock", "model.moe"),
                filesIn(dir).stream().filter(n -> !n.endsWith(".tmp")).toList()));
        // Closed: the next writer may claim it (with --overwrite now that it exists), and closing twice is harmless.
        OutputTarget again = OutputTarget.claim(bundle, "model bundle", true, List.of());
        again.close();
        again.close();
        assertEquals(List.of("model.moe"), filesIn(dir));
    }

    @Test
    void foldersAClaimCreatedAreRemovedWhenNothingWasWritten() throws Exception {
        try (OutputTarget unused = OutputTarget.claim(dir.resolve("a/b/out.csv"), "predictions", false, List.of())) {
            assertTrue(Files.isDirectory(dir.resolve("a/b")));
        }
        assertEquals(List.of(), filesIn(dir));

        Files.createDirectories(dir.resolve("kept"));
        try (OutputTarget unused = OutputTarget.claim(dir.resolve("kept/new/out.csv"), "predictions", false, List.of())) {
            assertTrue(Files.isDirectory(dir.resolve("kept/new")));
        }
        assertEquals(List.of("kept"), filesIn(dir));
        assertEquals(List.of(), filesIn(dir.resolve("kept")));

        try (OutputTarget used = OutputTarget.claim(dir.resolve("c/d/out.csv"), "predictions", false, List.of())) {
            AtomicFiles.write(used.path(), "predictions", out -> out.write("p".getBytes()));
        }
        assertEquals("p", Files.readString(dir.resolve("c/d/out.csv")));
        assertEquals(List.of("out.csv"), filesIn(dir.resolve("c/d")));
    }

    @Test
    void aClaimRemovesOnlyTheStaleTemporariesOfItsOwnTarget() throws Exception {
        Path target = dir.resolve("out.csv");
        Files.writeString(dir.resolve(".out.csv.3k9z.tmp"), "half a file");
        Path staleFolder = Files.createDirectories(dir.resolve(".out.csv.abc123.tmp/part"));
        Files.writeString(staleFolder.resolve("part-0.csv"), "half a part");
        List<String> others = List.of(".other.csv.3k9z.tmp", "out.csv.3k9z.tmp", ".out.csv.3K9Z.tmp", ".out.csv..tmp",
                ".out.csv.3k9z.tmp.bak", ".out.csvx.3k9z.tmp", "x.out.csv.3k9z.tmp");
        for (String other : others) {
            Files.writeString(dir.resolve(other), "not ours");
        }
        try (OutputTarget claim = OutputTarget.claim(target, "predictions", false, List.of())) {
            List<String> expected = new java.util.ArrayList<>(others);
            expected.add(".out.csv.lock");
            assertEquals(expected.stream().sorted().toList(), filesIn(dir));
            Path tmp = claim.temporarySibling();
            assertEquals(dir, tmp.getParent());
            assertTrue(tmp.getFileName().toString().matches("\\.out\\.csv\\.[0-9a-z]+\\.tmp"), tmp.toString());
            assertFalse(tmp.equals(claim.temporarySibling()));
            // A temporary left meanwhile (a killed writer) goes too when asked again.
            Files.writeString(tmp, "half");
            claim.removeStaleTemporaries();
            assertFalse(Files.exists(tmp));
        }
    }

    @Test
    void aProcessEndingMidWriteRemovesItsTemporariesAndLockFiles() throws Exception {
        Path target = dir.resolve("out.csv");
        try (OutputTarget claim = OutputTarget.claim(target, "predictions", false, List.of())) {
            Path tmp = Files.createDirectories(claim.temporarySibling().resolve("part"));
            Path finished = Files.writeString(dir.resolve("finished.tmp"), "a write that completed");
            OutputTarget.temporary(tmp.getParent(), false);
            OutputTarget.temporary(finished, false);
            OutputTarget.temporary(finished, true);
            OutputTarget.cleanUpForExit();
            assertEquals(List.of("finished.tmp"), filesIn(dir));
        }
    }

    @Test
    void realPathsResolveLinksAndDotDotAlsoForFilesNotYetThere() throws Exception {
        Path real = Files.createDirectories(dir.resolve("real"));
        Path linkedFolder = Files.createSymbolicLink(dir.resolve("linked"), real);
        assertEquals(real.toRealPath().resolve("new/out.csv"), OutputTarget.realPath(linkedFolder.resolve("new/out.csv")));
        assertEquals(real.toRealPath().resolve("x.csv"), OutputTarget.realPath(dir.resolve("real/../linked/x.csv")));
        Path danglingLink = Files.createSymbolicLink(dir.resolve("pending.csv"), Path.of("linked/later.csv"));
        assertEquals(real.toRealPath().resolve("later.csv"), OutputTarget.realPath(danglingLink));
        // Not there: '..' by name, as a write of it would take it.
        assertEquals(dir.toRealPath().resolve("x.csv"), OutputTarget.realPath(dir.resolve("missing/../x.csv")));
        assertEquals(Path.of("/"), OutputTarget.realPath(Path.of("/")));
    }

    @Test
    void deleteTreeRemovesAFolderButNotWhatALinkInItPointsTo() throws Exception {
        Path keep = Files.writeString(Files.createDirectories(dir.resolve("keep")).resolve("precious.txt"), "keep me");
        Path tree = Files.createDirectories(dir.resolve("tree/a/b"));
        Files.writeString(tree.resolve("f.txt"), "x");
        Files.createSymbolicLink(dir.resolve("tree/a/link"), keep.getParent());
        OutputTarget.deleteTree(dir.resolve("tree"));
        assertEquals(List.of("keep"), filesIn(dir));
        assertEquals("keep me", Files.readString(keep));
        OutputTarget.deleteTree(dir.resolve("tree")); // gone already: nothing to do
    }

    @Test
    void aFolderLockIsTheSameLockAsAFileClaimOfThatName() throws Exception {
        Path folder = dir.resolve("predictions");
        Files.createDirectories(dir.resolve(".predictions.x1.tmp"));
        try (OutputTarget lock = OutputTarget.lockFolder(folder, "predictions")) {
            assertEquals(List.of(".predictions.lock"), filesIn(dir));
            assertTrue(assertThrows(MoeException.class, () -> OutputTarget.lockFolder(folder, "predictions")).getMessage()
                    .contains("this process is writing it already"));
        }
        assertEquals(List.of(), filesIn(dir));
    }

    /** `moe predict -o` a 252-byte name failed "File name too long" on its lock file, ".NAME.lock". */
    @Test
    void aNameNearTheLimitIsClaimedLockedAndWritten() throws Exception {
        Path target = dir.resolve("p".repeat(248) + ".csv");
        try (OutputTarget claim = OutputTarget.claim(target, "predictions", false, List.of())) {
            assertEquals(1, filesIn(dir).size());
            assertTrue(filesIn(dir).get(0).matches("\\.p+~[0-9a-f]{8}\\.lock"), filesIn(dir).toString());
            AtomicFiles.write(target, "predictions", out -> out.write("x".getBytes()));
        }
        assertEquals(List.of(target.getFileName().toString()), filesIn(dir));
    }
}
