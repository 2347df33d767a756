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
    /** A message that starts with a key path of the config: {@code experts[ID]...}, {@code baselines[ID]...}, {@code routing.params...}. */
    private static final Pattern KEY_PATH = Pattern.compile("^(experts|baselines)\\[([^\\]]+)\\](\\.params(\\.([A-Za-z0-9_.-]+?))?)?(?=[:. ]|$)"
            + "|^(routing\\.params)(\\.([A-Za-z0-9_-]+))?(?=[:. ]|$)");

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

    /** The line of a key path such as {@code experts[1].params.epochs}, or -1. */
    public int lineOf(String keyPath) {
        return lines.getOrDefault(keyPath, -1);
    }

    /**
     * {@code e}'s message with the config's file and line in front when it starts with a key path of this config
     * (as providers' parameter errors do: {@code experts[mlp].params.epochs: ...}); else {@code e} itself.
     */
    public RuntimeException locate(RuntimeException e) {
        String m = e.getMessage();
        if (m == null || m.startsWith(file + ":")) {
            return e;
        }
        Matcher k = KEY_PATH.matcher(m);
        if (!k.find()) {
            return e;
        }
        int line = -1;
        if (k.group(1) != null) {
            String list = k.group(1);
            String id = k.group(2);
            for (String section : new String[] {list, list.equals("experts") ? "baselines" : "experts"}) {
                for (int i = 0; line < 0 && ids.containsKey(section + "[" + i + "].id"); i++) {
                    if (id.equals(ids.get(section + "[" + i + "].id")) || id.equals(String.valueOf(i))) {
                        String base = section + "[" + i + "]";
                        line = k.group(5) != null ? lineOf(base + ".params." + k.group(5)) : -1;
                        line = line < 0 && k.group(3) != null ? lineOf(base + ".params") : line;
                        line = line < 0 ? lineOf(base) : line;
                        line = line < 0 ? lineOf(base + ".id") : line;
                    }
                }
                if (line > 0) {
                    break;
                }
            }
        } else {
            line = k.group(8) != null ? lineOf("routing.params." + k.group(8)) : -1;
            line = line < 0 ? lineOf("routing.params") : line;
        }
        return new MoeException(file + (line > 0 ? ": line " + line : "") + ": " + m, e);
    }
}
