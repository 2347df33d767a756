package dev.moe.runtime.bundle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.moe.runtime.MoeException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A bundle's manifest, read and validated against the entries it lists, before anything is built from it. */
final class ManifestReader {

    /** NaN and Infinity parse (moe never writes them) so that a hand-edited median is refused by its entry's name. */
    static final ObjectMapper JSON = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    private ManifestReader() {
    }

    /**
     * The manifest, checked: format, version (a newer bundle is refused with a clear message), and the fields the
     * records require.
     */
    static BundleManifest read(Map<String, byte[]> contents, Path file) {
        byte[] bytes = contents.get(BundleFormat.MANIFEST);
        if (bytes == null) {
            throw new MoeException(file + ": no " + BundleFormat.MANIFEST + " inside: not a moe model bundle");
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new MoeException(file + ": " + BundleFormat.MANIFEST + " is not valid JSON: the bundle is corrupt ("
                    + firstLine(e) + ")");
        }
        if (tree == null || !tree.isObject() || !BundleFormat.FORMAT.equals(tree.path("format").asText(null))) {
            throw new MoeException(file + ": not a moe model bundle (its manifest's format is not '" + BundleFormat.FORMAT + "')");
        }
        JsonNode version = tree.get("formatVersion");
        if (version == null || !version.canConvertToInt() || version.asInt() < 1) {
            throw new MoeException(file + ": " + BundleFormat.MANIFEST + " has no valid formatVersion: the bundle is corrupt");
        }
        if (version.asInt() > BundleFormat.VERSION) {
            throw new MoeException(file + ": bundle format version " + version.asInt() + " is newer than this program reads (up to "
                    + BundleFormat.VERSION + "); it was written by " + tree.path("createdBy").asText("a newer moe")
                    + ": update moe to load it");
        }
        String encoded = encodedColumnsProblem(tree);
        if (encoded != null) {
            throw new MoeException(file + ": " + BundleFormat.MANIFEST + " is corrupt: " + encoded);
        }
        BundleManifest m;
        try {
            m = JSON.treeToValue(tree, BundleManifest.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            // The records' compact constructors refuse a manifest without the fields a bundle needs.
            Throwable missing = e.getCause() instanceof IllegalArgumentException ? e.getCause() : null;
            throw new MoeException(file + ": " + BundleFormat.MANIFEST + " is corrupt: "
                    + (missing != null ? missing.getMessage() : firstLine(e)));
        }
        try {
            m.encoding();
        } catch (IllegalArgumentException e) {
            throw new MoeException(file + ": " + BundleFormat.MANIFEST + " is corrupt: " + e.getMessage());
        }
        return m;
    }

    /**
     * The first problem of the {@code categorical} and {@code fill} lists, checked on the tree so that a damaged entry is
     * named rather than coerced (a median "3.5" as text, a level 7 as a number) or described in Jackson's words: each
     * list of entries, each entry naming a column (once in both lists) with its levels (text, each once) or its median
     * (a number a float holds; a cell filled with infinity would give no prediction worth having). Null when none.
     */
    static String encodedColumnsProblem(JsonNode tree) {
        Set<String> named = new HashSet<>();
        String otherList = null;
        for (String list : List.of("categorical", "fill")) {
            JsonNode entries = tree.get(list);
            if (entries == null || entries.isNull()) {
                continue;
            }
            if (!entries.isArray()) {
                return "'" + list + "' is not a list of entries: " + shown(entries);
            }
            Set<String> here = new HashSet<>();
            for (int i = 0; i < entries.size(); i++) {
                JsonNode entry = entries.get(i);
                String value = list.equals("fill") ? "median" : "levels";
                if (!entry.isObject()) {
                    return "'" + list + "[" + i + "]' is not an entry ({\"column\": ..., \"" + value + "\": "
                            + (list.equals("fill") ? "..." : "[...]") + "}): " + shown(entry);
                }
                JsonNode column = entry.get("column");
                if (column == null || column.isNull()) {
                    return "'" + list + "[" + i + "].column' is missing";
                }
                if (!column.isTextual()) {
                    return "'" + list + "[" + i + "].column' is not text: " + shown(column);
                }
                String name = column.asText();
                if (!here.add(name)) {
                    return "'" + list + "' names column '" + name + "' twice";
                }
                if (!named.add(name)) {
                    return "column '" + name + "' is in both '" + otherList + "' and '" + list + "'";
                }
                String key = "'" + list + "[" + name + "]." + value + "'";
                JsonNode v = entry.get(value);
                if (v == null || v.isNull()) {
                    return key + " is missing";
                }
                String problem = list.equals("fill") ? medianProblem(v) : levelsProblem(v);
                if (problem != null) {
                    return key + " " + problem;
                }
            }
            otherList = list;
        }
        return null;
    }

    private static String medianProblem(JsonNode median) {
        if (!median.isNumber() || !Double.isFinite(median.doubleValue())) {
            return "is not a finite number: " + shown(median);
        }
        if (Float.isInfinite((float) median.doubleValue())) {
            return "is not a finite number: " + median.doubleValue() + " (beyond a float's range)";
        }
        return null;
    }

    private static String levelsProblem(JsonNode levels) {
        if (!levels.isArray()) {
            return "is not a list of levels: " + shown(levels);
        }
        Set<String> seen = new HashSet<>();
        for (JsonNode level : levels) {
            if (!level.isTextual()) {
                return "holds a level that is not text: " + shown(level);
            }
            if (!seen.add(level.asText())) {
                return "holds level '" + level.asText() + "' twice";
            }
        }
        return null;
    }

    /** A JSON value as the manifest holds it, cut short for one line. */
    private static String shown(JsonNode value) {
        String text = value.isNumber() ? String.valueOf(value.numberValue()) : value.toString(); // NaN unquoted
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }

    /** Every entry listed, present and matching its SHA-256; nothing unlisted; every entry the manifest names, checked. */
    static void verifyEntries(BundleManifest m, Map<String, byte[]> contents, Path file) {
        for (Map.Entry<String, String> e : m.entries().entrySet()) {
            byte[] bytes = contents.get(e.getKey());
            if (bytes == null) {
                throw new MoeException(file + ": entry '" + e.getKey() + "' is missing: the bundle is incomplete or corrupt");
            }
            if (!BundleFormat.sha256(bytes).equalsIgnoreCase(String.valueOf(e.getValue()))) {
                throw new MoeException(file + ": entry '" + e.getKey() + "' fails its SHA-256 check: the bundle is corrupt");
            }
        }
        for (String name : contents.keySet()) {
            if (!name.equals(BundleFormat.MANIFEST) && !m.entries().containsKey(name)) {
                throw new MoeException(file + ": entry '" + name + "' is not listed in the manifest: the bundle is corrupt");
            }
        }
        List<String> needed = new ArrayList<>(List.of(m.gate().means(), m.gate().scales(), m.gate().parameters()));
        if (m.gate().calibration() != null) {
            needed.add(m.gate().calibration());
        }
        for (BundleManifest.ExpertEntry e : m.experts()) {
            if (BundleFormat.EMBEDDED.equals(e.storage())) {
                needed.add(e.entry());
            }
        }
        for (String name : needed) {
            if (name == null || !m.entries().containsKey(name)) {
                throw new MoeException(file + ": " + BundleFormat.MANIFEST + " is corrupt: it names no checked entry '" + name + "'");
            }
        }
    }

    static String firstLine(Exception e) {
        String m = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        if (m == null) {
            return e.getClass().getSimpleName();
        }
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
