package dev.moe.runtime.bundle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.moe.runtime.MoeException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A bundle's manifest, read and validated against the entries it lists, before anything is built from it. */
final class ManifestReader {

    static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

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
