package dev.moe.experts.xgboost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The UBJSON reader on the forms XGBoost's files do not hold (XGBoostVersionsTest reads those): plain arrays closed by
 * ']', counted objects, each number type, and what it refuses.
 */
class UbjsonTest {

    /** Builds UBJSON: chars as markers, Strings as keys/strings with an int8 length, numbers big-endian. */
    static byte[] ubj(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            if (part instanceof Character c) {
                out.write(c);
            } else if (part instanceof String s) {
                byte[] b = s.getBytes(StandardCharsets.UTF_8);
                out.write('i');
                out.write(b.length);
                out.writeBytes(b);
            } else if (part instanceof byte[] b) {
                out.writeBytes(b);
            } else if (part instanceof Short s) {
                out.writeBytes(ByteBuffer.allocate(2).putShort(s).array());
            } else if (part instanceof Integer i) {
                out.write(i);
            } else if (part instanceof Double d) {
                out.writeBytes(ByteBuffer.allocate(8).putDouble(d).array());
            } else if (part instanceof Float f) {
                out.writeBytes(ByteBuffer.allocate(4).putFloat(f).array());
            }
        }
        return out.toByteArray();
    }

    @Test
    void everyFormOfTheSubsetReadsAsItsJson() throws Exception {
        byte[] bytes = ubj('{', "a", '[', 'i', -3, 'U', 200, 'I', (short) -300, 'D', 0.1, 'd', 1.5f, 'Z', 'T', 'F', ']',
                "b", '{', '#', 'i', 1, "c", 'S', "é", "d", '[', '$', 'U', '#', 'i', 2, 7, 9, '}');
        JsonNode node = Ubjson.read(bytes);
        assertEquals("{\"a\":[-3,200,-300,0.1,1.5,null,true,false],\"b\":{\"c\":\"é\"},\"d\":[7,9]}", node.toString());
    }

    static String damaged(byte[] bytes) {
        Ubjson.Damaged e = assertThrows(Ubjson.Damaged.class, () -> Ubjson.read(bytes));
        return e.getMessage() + " at byte " + e.offset;
    }

    @Test
    void whatIsNotInTheSubsetOrDamagedIsRefusedWithItsByte() {
        assertEquals("the marker 'H' where a value was expected at byte 4", damaged(ubj('{', "a", 'H', 'i', 1, '1', '}')));
        assertEquals("the key \"a\" twice in one object at byte 5", damaged(ubj('{', "a", 'T', "a", 'F', '}')));
        assertEquals("a string that is not UTF-8 at byte 7", damaged(ubj('{', "a", 'S', 'i', 1, 0xff, '}')));
        assertEquals("an array's count -1 at byte 2", damaged(ubj('[', '#', 'i', -1)));
        assertEquals("an object with typed values (not what XGBoost writes) at byte 1", damaged(ubj('{', '$', 'T', '#')));
        assertEquals("the file ends inside a number at byte 1", damaged(ubj('l', 0, 0)));
        byte[] deep = new byte[65];
        java.util.Arrays.fill(deep, (byte) '[');
        assertEquals("containers nested deeper than 64 at byte 64", damaged(deep));
    }
}
