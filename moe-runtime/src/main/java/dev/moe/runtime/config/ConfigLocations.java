package dev.moe.runtime.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.moe.runtime.MoeException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where each key of a config is: the line of every key path ({@code experts[2].params.epochs}), so that errors found
 * long after loading (a provider's parameter, a baseline's) still name the file and the line. Also the one place that
 * walks the YAML tokens before binding, to refuse what the binder would silently misread: aliases.
 */
public final class ConfigLocations {

    private static final YAMLFactory YAML = new YAMLFactory();
    /**
     * The key path a message starts with: a key, then {@code .key} and {@code [id]} steps ({@code gate.epochs},
     * {@code experts[mlp].params.epochs}), before a colon, or before a space or comma after at least one step
     * ({@code gate.epochs must be ...}); a bare word before a space is prose ({@code data file not found}).
     */
    private static final Pattern KEY_PATH = Pattern.compile("^([A-Za-z][A-Za-z0-9_-]*)((?:\\[[^\\]]+\\]|\\.[A-Za-z0-9_-]+)*)(:|[ ,])");
    private static final Pattern STEP = Pattern.compile("\\[([^\\]]+)\\]|\\.([A-Za-z0-9_-]+)");

    private final Path file;
    private final Map<String, Integer> lines;
    private final Map<String, String> ids;

    private ConfigLocations(Path file, Map<String, Integer> lines, Map<String, String> ids) {
        this.file = file;
        this.lines = lines;
        this.ids = ids;
    }

    /**
     * Walks the YAML's tokens.
     *
     * @throws MoeException naming the file and line of an alias ({@code *name}), which moe does not expand
     */
    static ConfigLocations scan(String yaml, Path file) {
        Map<String, Integer> lines = new HashMap<>();
        Map<String, String> ids = new HashMap<>();
        Deque<Frame> stack = new ArrayDeque<>();
        try (YAMLParser p = YAML.createParser(yaml)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (p.isCurrentAlias()) {
                    throw new MoeException(file + ": line " + line(p.currentTokenLocation()) + ": YAML alias '*" + p.getText()
                            + "': moe does not expand aliases in a config; write the value out");
                }
                Frame top = stack.peek();
                if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    stack.pop();
                    continue;
                }
                if (t == JsonToken.FIELD_NAME) {
                    top.field = p.currentName();
                    lines.putIfAbsent(join(top.path, top.field), line(p.currentTokenLocation()));
                    continue;
                }
                String here = top == null ? "" : top.array ? top.path + "[" + top.next++ + "]" : join(top.path, top.field);
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    if (!here.isEmpty()) {
                        lines.putIfAbsent(here, line(p.currentTokenLocation()));
                    }
                    stack.push(new Frame(here, t == JsonToken.START_ARRAY));
                } else if (top != null && !top.array && "id".equals(top.field)) {
                    ids.put(here, p.getText());
                } else if (top != null && top.array) {
                    lines.putIfAbsent(here, line(p.currentTokenLocation())); // a scalar entry: an empty "-" is one
                }
            }
        } catch (IOException e) {
            // The binder reports malformed YAML with its line.
        }
        return new ConfigLocations(file, lines, ids);
    }

    private static final class Frame {
        final String path;
        final boolean array;
        int next;
        String field;

        Frame(String path, boolean array) {
            this.path = path;
            this.array = array;
        }
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static int line(JsonLocation location) {
        return location == null ? -1 : location.getLineNr();
    }

    /**
     * The line of a key path: {@code key}, which is in the file, then {@code steps} such as {@code [mlp].params.epochs}.
     * A list element may be named by its index or by its id ({@code experts[mlp]}). A key that is not in the file (a
     * parameter left at its default, a required one missing) gets the line of the nearest enclosing one that is.
     */
    private int lineOf(String key, String steps) {
        String path = key;
        int line = lines.get(key);
        for (Matcher step = STEP.matcher(steps); step.find(); ) {
            path = step.group(2) != null ? path + "." + step.group(2) : element(path, step.group(1));
            Integer here = lines.get(path);
            if (here == null) {
                break; // deeper keys are not in the file either
            }
            line = here;
        }
        return line;
    }

    /**
     * {@code list[i]} for an index or an id: the element of {@code list} with that id, else of another top-level list
     * (ids are unique across experts and baselines, and an error about a baseline may call it an expert).
     */
    private String element(String list, String indexOrId) {
        if (indexOrId.matches("\\d+")) {
            return list + "[" + indexOrId + "]";
        }
        String found = list + "[" + indexOrId + "]"; // in no list: the lookup stops at the list's line
        for (Map.Entry<String, String> id : ids.entrySet()) {
            String element = id.getKey().substring(0, id.getKey().length() - ".id".length());
            String holder = element.substring(0, Math.max(0, element.lastIndexOf('[')));
            if (id.getValue().equals(indexOrId) && holder.equals(list)) {
                return element;
            }
            if (id.getValue().equals(indexOrId) && holder.matches("[A-Za-z0-9_-]+")) {
                found = element;
            }
        }
        return found;
    }

    /**
     * {@code e}'s message with the config's file and the key's line in front when it starts with a key path whose
     * first key is in this config ({@code experts[mlp].params.epochs: ...}, {@code gate.epochs must be ...}), after
     * the file name or without it; else {@code e} itself. A message that names a line already is left as it is.
     */
    public RuntimeException locate(RuntimeException e) {
        String m = e.getMessage();
        if (m == null) {
            return e;
        }
        String rest = m.startsWith(file + ": ") ? m.substring(file.toString().length() + 2) : m;
        Matcher k = KEY_PATH.matcher(rest);
        if (rest.startsWith("line ") || !k.lookingAt() || k.group(2).isEmpty() && !k.group(3).equals(":")
                || !lines.containsKey(k.group(1))) {
            return e;
        }
        return new MoeException(file + ": line " + lineOf(k.group(1), k.group(2)) + ": " + rest, e);
    }
}
