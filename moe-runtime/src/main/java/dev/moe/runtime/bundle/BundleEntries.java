package dev.moe.runtime.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.moe.runtime.MoeException;
import java.io.ByteArrayInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Reads a bundle's entries the safe way round: the manifest first (itself capped), then only the entries it lists,
 * each streamed against the size the manifest declares for it ({@code sizes}), so that a zip bomb or an absurd
 * declared size is refused before it is held in memory. Bundles older than {@code sizes} are read against one total
 * cap: a share of this Java VM's heap.
 */
final class BundleEntries {

    /** A manifest is a few kilobytes; this is far above any real one. */
    static final int MAX_MANIFEST_BYTES = 4 << 20;

    private BundleEntries() {
    }

    /** A zip's entries: from a file (random access) or from bytes in memory (scanned; no temporary file). */
    interface Source {
        /** Every entry, in the zip's order. */
        List<ZipEntry> entries() throws IOException;

        /** The entry of that name, or null. */
        ZipEntry entry(String name) throws IOException;

        InputStream open(ZipEntry entry) throws IOException;

        static Source of(ZipFile zip) {
            return new Source() {
                @Override
                public List<ZipEntry> entries() {
                    return Collections.list(zip.entries()).stream().map(e -> (ZipEntry) e).toList();
                }

                @Override
                public ZipEntry entry(String name) {
                    return zip.getEntry(name);
                }

                @Override
                public InputStream open(ZipEntry entry) throws IOException {
                    return zip.getInputStream(entry);
                }
            };
        }

        /**
         * A zip held in memory (a bundle broadcast to Spark executors). Scanning it fills each entry's size and CRC from
         * its data descriptor; {@link ZipInputStream} checks the CRC again as an entry is read.
         */
        static Source of(byte[] bytes) {
            return new Source() {
                private List<ZipEntry> entries;

                @Override
                public List<ZipEntry> entries() throws IOException {
                    if (entries == null) {
                        List<ZipEntry> all = new ArrayList<>();
                        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(bytes))) {
                            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                                all.add(e);
                            }
                        }
                        entries = all;
                    }
                    return entries;
                }

                @Override
                public ZipEntry entry(String name) throws IOException {
                    return entries().stream().filter(e -> e.getName().equals(name)).findFirst().orElse(null);
                }

                @Override
                public InputStream open(ZipEntry entry) throws IOException {
                    ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(bytes));
                    for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                        if (e.getName().equals(entry.getName())) {
                            return in;
                        }
                    }
                    in.close();
                    throw new ZipException("no entry " + entry.getName());
                }
            };
        }
    }

    /** @return every listed entry's bytes, the manifest's under {@link BundleFormat#MANIFEST} */
    static Map<String, byte[]> read(Source zip, Path file, ObjectMapper json) throws IOException {
        ZipEntry manifestEntry = zip.entry(BundleFormat.MANIFEST);
        if (manifestEntry == null) {
            throw new MoeException(file + ": no " + BundleFormat.MANIFEST + " inside: not a moe model bundle");
        }
        Map<String, byte[]> contents = new HashMap<>();
        contents.put(BundleFormat.MANIFEST, readCapped(zip, manifestEntry, MAX_MANIFEST_BYTES, file, "the manifest's 4 MiB limit"));
        JsonNode tree;
        try {
            tree = json.readTree(contents.get(BundleFormat.MANIFEST));
        } catch (IOException e) {
            return contents; // the manifest's own checks report it
        }
        if (tree == null || !tree.path("entries").isObject()) {
            return contents;
        }
        Set<String> listed = new HashSet<>();
        tree.path("entries").fieldNames().forEachRemaining(listed::add);
        Map<String, Long> sizes = declaredSizes(tree.path("sizes"), listed, file);

        // Every entry of the zip must be listed: nothing else is read, or even inflated.
        Set<String> names = new HashSet<>();
        for (ZipEntry entry : zip.entries()) {
            if (entry.isDirectory()) {
                continue;
            }
            if (!names.add(entry.getName())) {
                throw new MoeException(file + ": entry '" + entry.getName() + "' appears twice: the bundle is corrupt");
            }
            if (!entry.getName().equals(BundleFormat.MANIFEST) && !listed.contains(entry.getName())) {
                throw new MoeException(file + ": entry '" + entry.getName() + "' is not listed in the manifest: the bundle is corrupt");
            }
            Long declared = sizes.get(entry.getName());
            if (declared != null && entry.getSize() >= 0 && entry.getSize() != declared) {
                throw new MoeException(file + ": entry '" + entry.getName() + "' holds " + entry.getSize() + " bytes, the manifest says "
                        + declared + ": the bundle is corrupt");
            }
        }
        long budget = Runtime.getRuntime().maxMemory() / 2;
        long used = 0;
        for (String name : listed) {
            ZipEntry entry = zip.entry(name);
            if (entry == null) {
                continue; // the reader names the missing entry
            }
            Long declared = sizes.get(name);
            long cap = declared != null ? declared : Math.min(BundleReader.MAX_ENTRY_BYTES, budget - used);
            byte[] bytes = readCapped(zip, entry, cap, file, declared != null ? "the " + declared + " bytes the manifest declares"
                    : "what this Java VM can hold (" + (budget >> 20) + " MiB for a bundle; MOE_JAVA_OPTS=-Xmx... raises it)");
            used += bytes.length;
            contents.put(name, bytes);
        }
        return contents;
    }

    /** The manifest's sizes, checked: all listed entries, none negative, the total within what this VM can hold. */
    private static Map<String, Long> declaredSizes(JsonNode node, Set<String> listed, Path file) {
        if (!node.isObject()) {
            return Map.of();
        }
        Map<String, Long> sizes = new LinkedHashMap<>();
        long total = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().canConvertToLong() || e.getValue().asLong() < 0) {
                throw new MoeException(file + ": the manifest's size of entry '" + e.getKey() + "' is not a byte count: the bundle is corrupt");
            }
            long size = e.getValue().asLong();
            if (size > BundleReader.MAX_ENTRY_BYTES) {
                throw new MoeException(file + ": entry '" + e.getKey() + "' declares " + size + " bytes, more than any entry of a "
                        + "moe bundle may hold (" + (BundleReader.MAX_ENTRY_BYTES >> 20) + " MiB): the bundle is corrupt");
            }
            total += size;
            sizes.put(e.getKey(), size);
        }
        long heap = Runtime.getRuntime().maxMemory();
        if (total > heap / 2) {
            throw new MoeException(file + ": its entries declare " + (total >> 20) + " MiB, more than this Java VM can hold ("
                    + (heap >> 20) + " MiB heap); raise it with MOE_JAVA_OPTS=-Xmx" + Math.max(1024, (total >> 20) * 3) + "m if you trust the bundle");
        }
        return sizes;
    }

    /** An entry's bytes, refused as soon as it holds more than {@code cap}; checked against the zip's CRC-32. */
    private static byte[] readCapped(Source zip, ZipEntry entry, long cap, Path file, String limit) throws IOException {
        if (entry.getSize() > cap) {
            throw new MoeException(file + ": entry '" + entry.getName() + "' holds " + entry.getSize() + " bytes, more than "
                    + limit + ": the bundle is corrupt");
        }
        byte[] bytes;
        try (InputStream in = zip.open(entry)) {
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, cap + 1));
        } catch (IOException e) {
            throw new MoeException(file + ": entry '" + entry.getName() + "' is damaged (" + reason(e) + "): the bundle is corrupt");
        }
        if (bytes.length > cap) {
            throw new MoeException(file + ": entry '" + entry.getName() + "' inflates to more than " + limit
                    + ": the bundle is corrupt (or a zip bomb)");
        }
        CRC32 crc = new CRC32();
        crc.update(bytes);
        if ((entry.getSize() >= 0 && bytes.length != entry.getSize()) || (entry.getCrc() >= 0 && crc.getValue() != entry.getCrc())) {
            throw new MoeException(file + ": entry '" + entry.getName() + "' is damaged (its zip checksum does not match): "
                    + "the bundle is corrupt");
        }
        return bytes;
    }

    /** What went wrong in reading, in words: a damaged zip's exceptions often carry no message ("damaged (null)"). */
    static String reason(IOException e) {
        if (e instanceof java.io.EOFException) {
            return "its data ends early";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** A zip writer that counts each entry's bytes, for the manifest's {@code sizes}. */
    static final class Sized extends ZipOutputStream {
        private final Map<String, Long> sizes = new LinkedHashMap<>();
        private String current;

        Sized(OutputStream out) {
            super(new Counting(out));
        }

        @Override
        public void putNextEntry(ZipEntry e) throws IOException {
            super.putNextEntry(e);
            current = e.getName();
            sizes.put(current, 0L);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            super.write(b, off, len);
            if (current != null) {
                sizes.merge(current, (long) len, Long::sum);
            }
        }

        @Override
        public void closeEntry() throws IOException {
            super.closeEntry();
            current = null;
        }

        /** The entries' uncompressed sizes, the manifest's own left out (it is written last, holding these). */
        Map<String, Long> sizes() {
            Map<String, Long> out = new LinkedHashMap<>(sizes);
            out.remove(BundleFormat.MANIFEST);
            return out;
        }
    }

    private static final class Counting extends FilterOutputStream {
        Counting(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }
    }
}
