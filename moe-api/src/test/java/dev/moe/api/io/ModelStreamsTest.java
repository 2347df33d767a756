package dev.moe.api.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.moe.api.ExpertException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelStreamsTest {

    @Test
    void namesEntriesAndBytesReadBackAsWritten() throws IOException {
        Map<String, String> provenance = new LinkedHashMap<>();
        provenance.put("trainer", "cart");
        provenance.put("sha256", "ab12");
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(buffer);
        ModelStreams.writeStrings(out, List.of("sepal length", "é", ""));
        ModelStreams.writeMap(out, provenance);
        ModelStreams.writeBytes(out, new byte[] {1, 2, 3});
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(buffer.toByteArray()));
        assertEquals(List.of("sepal length", "é", ""), ModelStreams.readStrings(in, "m"));
        assertEquals(List.copyOf(provenance.entrySet()), List.copyOf(ModelStreams.readMap(in, "m").entrySet()));
        assertArrayEquals(new byte[] {1, 2, 3}, ModelStreams.readBytes(in, "m"));
    }

    @Test
    void aDamagedCountIsRefusedBeforeAnythingIsSizedByIt() {
        assertEquals(5, ModelStreams.count(5, "m.moe", 5));
        assertEquals("m.moe is corrupt: implausible count -1",
                assertThrows(ExpertException.class, () -> ModelStreams.count(-1, "m.moe", 5)).getMessage());
        assertEquals("m.moe is corrupt: implausible count 6",
                assertThrows(ExpertException.class, () -> ModelStreams.count(6, "m.moe", 5)).getMessage());
        // A list whose count says two billion names is refused, not allocated.
        byte[] huge = {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        assertThrows(ExpertException.class,
                () -> ModelStreams.readStrings(new DataInputStream(new ByteArrayInputStream(huge)), "m.moe"));
    }

    @Test
    void bytesThatEndBeforeTheirLengthReadAsTheEndOfTheFile() throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        ModelStreams.writeBytes(new DataOutputStream(buffer), new byte[100]);
        byte[] cut = Arrays.copyOf(buffer.toByteArray(), 50);
        assertThrows(EOFException.class, () -> ModelStreams.readBytes(new DataInputStream(new ByteArrayInputStream(cut)), "m"));
    }
}
