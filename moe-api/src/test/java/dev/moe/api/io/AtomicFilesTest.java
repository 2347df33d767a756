package dev.moe.api.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void replacesTheFileKeepingItsPermissionsAndLeavesNothingElse() throws IOException {
        Path target = dir.resolve("sub/model.bin");
        AtomicFiles.write(target, out -> out.write("first".getBytes()));
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r-----"));
        AtomicFiles.write(target, out -> {
            out.write("second".getBytes());
            out.close(); // a content that closes its stream, as Tribuo's serialisers may
        });
        assertEquals("second", Files.readString(target));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
        assertEquals(List.of(target), files());
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporary() throws IOException {
        Path target = dir.resolve("model.bin");
        AtomicFiles.write(target, out -> out.write("old".getBytes()));
        assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
            out.write("half".getBytes());
            throw new IOException("disk full");
        }));
        assertEquals("old", Files.readString(target));
        assertEquals(List.of(target), files());
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(Files::isRegularFile).toList();
        }
    }

    /** A name of 252 bytes is legal, but ".NAME.RANDOM.tmp" beside it was not: the write failed "File name too long". */
    @Test
    void aNameNearTheLimitStillGetsItsTemporaryFile() throws IOException {
        for (String name : List.of("p".repeat(248) + ".csv", "\u00e9".repeat(125) + ".csv")) {
            Path target = dir.resolve(name);
            AtomicFiles.write(target, out -> out.write("x".getBytes()));
            assertEquals("x", Files.readString(target));
            String temporary = AtomicFiles.temporarySibling(target).getFileName().toString();
            assertTrue(temporary.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 255, temporary);
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(2, files.count());
        }
        // Two long names with the same start keep apart; a short name's stem is just ".NAME".
        String a = AtomicFiles.siblingStem("q".repeat(250) + "a");
        String b = AtomicFiles.siblingStem("q".repeat(250) + "b");
        assertNotEquals(a, b);
        assertTrue(a.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 237);
        assertEquals(".model.moe", AtomicFiles.siblingStem("model.moe"));
        // Cut on a character's edge: no half of a two-byte character.
        assertFalse(AtomicFiles.siblingStem("\u00e9".repeat(125)).contains("\ufffd"));
        assertTrue(AtomicFiles.siblingStem("\u00e9".repeat(125)).matches("\\.\u00e9+~[0-9a-f]{8}"));
    }
}
