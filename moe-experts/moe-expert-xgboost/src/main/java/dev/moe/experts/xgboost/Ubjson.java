package dev.moe.experts.xgboost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads UBJSON (Universal Binary JSON, ubjson.org, draft 12), as XGBoost writes its models with
 * {@code save_model("model.ubj")}, into the same Jackson tree the JSON path reads: objects whose keys are a length
 * and bytes, arrays plain, counted ({@code #}) or typed and counted ({@code $ #}: XGBoost's float32 split conditions,
 * uint8 default directions, int32 children), numbers big-endian, strings in UTF-8. Strict: anything else (chars,
 * high-precision numbers, no-ops, a count larger than the file, bytes after the model, nesting deeper than 64) is
 * refused; so is the end of the file inside a value. Jackson's binary formats are CBOR, Smile, Ion, Avro and Protobuf,
 * not UBJSON; the UBJSON libraries on Maven Central (com.dev-smart:ubjson, a few for Scala) were last released in
 * 2018-2019 and build trees of their own; the subset XGBoost writes is small.
 */
final class Ubjson {

    /** What went wrong and where (the byte's offset). */
    static final class Damaged extends Exception {
        final long offset;

        Damaged(String message, long offset) {
            super(message, null, false, false);
            this.offset = offset;
        }
    }

    private static final int MAX_DEPTH = 64;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final byte[] bytes;
    private int pos;

    private Ubjson(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * The value the bytes hold.
     *
     * @throws Damaged when they are not UBJSON of the subset read here, or hold more than one value
     */
    static JsonNode read(byte[] bytes) throws Damaged {
        Ubjson reader = new Ubjson(bytes);
        JsonNode root = reader.value(reader.marker(), 0);
        if (reader.pos != bytes.length) {
            throw new Damaged((bytes.length - reader.pos) + " bytes after the end of the model", reader.pos);
        }
        return root;
    }

    private int marker() throws Damaged {
        need(1, "a type marker");
        return bytes[pos++] & 0xff;
    }

    private void need(long n, String what) throws Damaged {
        if (n > bytes.length - pos) {
            throw new Damaged("the file ends inside " + what, pos);
        }
    }

    private JsonNode value(int marker, int depth) throws Damaged {
        int at = pos - 1;
        return switch (marker) {
            case 'Z' -> NODES.nullNode();
            case 'T' -> NODES.booleanNode(true);
            case 'F' -> NODES.booleanNode(false);
            case 'S' -> NODES.textNode(string());
            case '[' -> array(depth + 1, at);
            case '{' -> object(depth + 1, at);
            case 'i', 'U', 'I', 'l', 'L', 'd', 'D' -> number(marker);
            default -> throw new Damaged(describe(marker) + " where a value was expected", at);
        };
    }

    private static String describe(int marker) {
        return marker >= 0x21 && marker < 0x7f ? "the marker '" + (char) marker + "'" : "the byte 0x"
                + Integer.toHexString(marker);
    }

    private JsonNode number(int marker) throws Damaged {
        return switch (marker) {
            case 'i' -> NODES.numberNode((int) (byte) bits(1));
            case 'U' -> NODES.numberNode((int) bits(1));
            case 'I' -> NODES.numberNode((int) (short) bits(2));
            case 'l' -> NODES.numberNode((int) bits(4));
            case 'L' -> NODES.numberNode(bits(8));
            case 'd' -> NODES.numberNode(Float.intBitsToFloat((int) bits(4)));
            case 'D' -> NODES.numberNode(Double.longBitsToDouble(bits(8)));
            default -> throw new IllegalStateException("not a number marker: " + marker);
        };
    }

    /** {@code n} bytes, big-endian, as the low bits of a long. */
    private long bits(int n) throws Damaged {
        need(n, "a number");
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (bytes[pos++] & 0xff);
        }
        return v;
    }

    /** A length or count: an integer with its own marker, not negative. */
    private int length(String what) throws Damaged {
        int at = pos;
        int marker = marker();
        if ("iUIlL".indexOf(marker) < 0) {
            throw new Damaged(describe(marker) + " where " + what + " (an integer) was expected", at);
        }
        long n = number(marker).longValue();
        if (n < 0 || n > bytes.length) {
            throw new Damaged(what + " " + n + (n < 0 ? "" : ", more than the file's " + bytes.length + " bytes"), at);
        }
        return (int) n;
    }

    private String string() throws Damaged {
        int n = length("a string's length");
        need(n, "a string of " + n + " bytes");
        try {
            String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes, pos, n)).toString();
            pos += n;
            return s;
        } catch (CharacterCodingException e) {
            throw new Damaged("a string that is not UTF-8", pos);
        }
    }

    private ArrayNode array(int depth, int at) throws Damaged {
        checkDepth(depth, at);
        ArrayNode array = NODES.arrayNode();
        int type = -1;
        if (peek() == '$') {
            pos++;
            type = marker();
            if ("iUIlLdD".indexOf(type) < 0) {
                throw new Damaged("an array of " + describe(type) + " (moe reads typed arrays of numbers)", pos - 1);
            }
            if (peek() != '#') {
                throw new Damaged("a typed array without its count", pos);
            }
        }
        if (peek() == '#') {
            pos++;
            int count = length("an array's count");
            // Each element takes at least one byte (a typed one, its size): a damaged count cannot make us allocate.
            need((long) count * (type < 0 ? 1 : size(type)), "an array of " + count);
            for (int i = 0; i < count; i++) {
                array.add(type < 0 ? value(marker(), depth) : number(type));
            }
            return array;
        }
        while (true) {
            int marker = marker();
            if (marker == ']') {
                return array;
            }
            array.add(value(marker, depth));
        }
    }

    private static int size(int type) {
        return switch (type) {
            case 'i', 'U' -> 1;
            case 'I' -> 2;
            case 'l', 'd' -> 4;
            default -> 8;
        };
    }

    private ObjectNode object(int depth, int at) throws Damaged {
        checkDepth(depth, at);
        ObjectNode object = NODES.objectNode();
        if (peek() == '$') {
            throw new Damaged("an object with typed values (not what XGBoost writes)", pos);
        }
        int count = -1;
        if (peek() == '#') {
            pos++;
            count = length("an object's count");
            need(count, "an object of " + count + " keys");
        }
        for (int i = 0; count < 0 || i < count; i++) {
            if (count < 0 && peek() == '}') {
                pos++;
                return object;
            }
            int keyAt = pos;
            String key = string();
            if (object.has(key)) {
                throw new Damaged("the key \"" + key + "\" twice in one object", keyAt);
            }
            object.set(key, value(marker(), depth));
        }
        return object;
    }

    private int peek() throws Damaged {
        need(1, "an array or object");
        return bytes[pos] & 0xff;
    }

    private static void checkDepth(int depth, int at) throws Damaged {
        if (depth > MAX_DEPTH) {
            throw new Damaged("containers nested deeper than " + MAX_DEPTH, at);
        }
    }
}
