package dev.moe.runtime.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Utf8Test {

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    @Test
    void validTextHasNoInvalidByte() {
        assertNull(Utf8.firstInvalid("a,b\ncafé,日本,😀\n".getBytes(StandardCharsets.UTF_8)));
        assertNull(Utf8.firstInvalid(new byte[0]));
    }

    @Test
    void theFirstBadByteIsFoundWithItsLineAndOffset() {
        assertEquals(new Utf8.Invalid(2, 0xE9, 6), Utf8.firstInvalid("ab\ncaf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1)));
        assertEquals("line 2: byte 0xE9 is not UTF-8", new Utf8.Invalid(2, 0xE9, 6).describe());
        assertEquals(new Utf8.Invalid(1, 0xFF, 0), Utf8.firstInvalid(bytes(0xFF, 'a')));
        // What a strict decoder refuses too: overlong forms, surrogates, a cut-off sequence, beyond U+10FFFF.
        assertEquals(new Utf8.Invalid(1, 0xC0, 0), Utf8.firstInvalid(bytes(0xC0, 0x80)));
        assertEquals(new Utf8.Invalid(1, 0xE0, 0), Utf8.firstInvalid(bytes(0xE0, 0x80, 0x80)));
        assertEquals(new Utf8.Invalid(1, 0xED, 1), Utf8.firstInvalid(bytes('x', 0xED, 0xA0, 0x80)));
        assertEquals(new Utf8.Invalid(1, 0xE2, 0), Utf8.firstInvalid(bytes(0xE2, 0x82)));
        assertEquals(new Utf8.Invalid(1, 0xF4, 0), Utf8.firstInvalid(bytes(0xF4, 0x90, 0x80, 0x80)));
        assertEquals(new Utf8.Invalid(3, 0xC3, 4), Utf8.firstInvalid(bytes('\n', 'a', '\n', 'b', 0xC3, '\n')));
    }

    @Test
    void aBadByteFarIntoTheInputIsFoundAcrossReads() {
        // 65,535 bytes of lines, then 'é' (2 bytes) across the reader's first 64 KiB, then one bad byte.
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < 65_535 / 5; i++) {
            out.writeBytes("abcd\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("\u00e9\n".getBytes(StandardCharsets.UTF_8));
        out.write(0xFF);
        byte[] all = out.toByteArray();
        assertEquals(new Utf8.Invalid(65_535 / 5 + 2, 0xFF, all.length - 1), Utf8.firstInvalid(all));
        assertNull(Utf8.firstInvalid(java.util.Arrays.copyOf(all, all.length - 1)));
    }

    /** Whole chunks of ASCII take a fast path that counts their lines by their '\n' bytes: the line must still be right. */
    @Test
    void linesAreCountedThroughChunksOfAscii() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < 50_000; i++) {
            out.writeBytes("1.5,2,x\n".getBytes(StandardCharsets.US_ASCII)); // 400,000 bytes: six chunks and more
        }
        out.writeBytes("caf".getBytes(StandardCharsets.US_ASCII));
        out.write(0xE9);
        byte[] all = out.toByteArray();
        assertEquals(new Utf8.Invalid(50_001, 0xE9, all.length - 1), Utf8.firstInvalid(all));
        assertNull(Utf8.firstInvalid(java.util.Arrays.copyOf(all, all.length - 1)));
    }
}
