package dev.moe.runtime.config;

import dev.moe.api.NearestName;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.moe.runtime.MoeException;
import dev.moe.runtime.io.Utf8;
import dev.moe.runtime.io.ZipSignature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads a YAML config strictly: unknown keys, wrong types and missing required entries end in a
 * {@link MoeException} that names the file, the line and the key (with the closest known key for typos).
 */
public final class ConfigLoader {

    private static final ObjectMapper YAML = newMapper();

    private ConfigLoader() {
    }

    private static ObjectMapper newMapper() {
        ObjectMapper mapper = new ObjectMapper(new YAMLFactory());
        // "seed: 1 ... seed: 2": the second silently won; now it is an error with its line.
        mapper.enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE);
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        // "epochs: ten" or "epochs: '10'" is a mistake to report, not a value to guess at.
        for (LogicalType type : List.of(LogicalType.Integer, LogicalType.Float, LogicalType.Boolean)) {
            mapper.coercionConfigFor(type).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        }
        return mapper;
    }

    /** A config is a few lines; anything near this is not one (and /dev/zero would never end). */
    static final int MAX_CONFIG_BYTES = 1 << 20;

    public static MoeConfig load(Path file) {
        String text;
        try {
            if (Files.isDirectory(file)) {
                throw new MoeException(file + ": is a folder, not a config file");
            }
            byte[] bytes;
            try (java.io.InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes(MAX_CONFIG_BYTES + 1);
            }
            if (bytes.length > MAX_CONFIG_BYTES) {
                throw new MoeException(file + ": more than " + (MAX_CONFIG_BYTES >> 20) + " MiB: not a moe config");
            }
            text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
            if (ZipSignature.opens(bytes)) {
                throw new MoeException(file + ": a zip file (a saved mixture?), not a moe config; a saved mixture is evaluated with "
                        + "moe evaluate -m " + file + " --data DATA.csv");
            }
            if (text.indexOf('\0') >= 0) {
                throw new MoeException(file + ": holds NUL bytes: not a moe config (a YAML text file)");
            }
            // Decoded leniently, a Latin-1 'café' became 'caf?': an expert id changed, a data.path "not found".
            Utf8.Invalid invalid = Utf8.firstInvalid(bytes);
            if (invalid != null) {
                throw new MoeException(file + ": " + invalid.describe() + "; moe reads a config as UTF-8 text: save it as UTF-8");
            }
        } catch (NoSuchFileException e) {
            throw new MoeException("config file not found: " + file + nearestConfig(file));
        } catch (IOException e) {
            throw new MoeException("cannot read config file " + file + ": " + e.getMessage());
        }
        return parse(text, file);
    }

    /** "; did you mean examples/glass.yaml?" for a mistyped name whose folder holds a YAML file of a near name; else "". */
    private static String nearestConfig(Path file) {
        Path folder = file.toAbsolutePath().getParent();
        if (folder == null || file.getFileName() == null || !Files.isDirectory(folder)) {
            return "";
        }
        try (var listing = Files.list(folder)) {
            // Names compared without ".yaml", which would make any two names look alike.
            java.util.Map<String, String> byStem = new java.util.TreeMap<>();
            listing.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml") || n.endsWith(".yml"))
                    .forEach(n -> byStem.putIfAbsent(stem(n), n));
            String near = NearestName.closest(stem(file.getFileName().toString()), byStem.keySet());
            return near == null ? "" : "; did you mean "
                    + (file.getParent() == null ? Path.of(byStem.get(near)) : file.getParent().resolve(byStem.get(near))) + "?";
        } catch (IOException | RuntimeException e) {
            return ""; // a suggestion that cannot be made is left out; the error stands
        }
    }

    private static String stem(String fileName) {
        return fileName.replaceFirst("\\.ya?ml$", "");
    }

    /**
     * Where the keys of a loaded config are, to put the file and line in front of an error found later (a provider's
     * parameter, a baseline's): {@code locations(config).locate(e)}.
     */
    public static ConfigLocations locations(MoeConfig config) {
        try {
            return ConfigLocations.scan(Files.readString(config.source()), config.source());
        } catch (IOException | RuntimeException e) {
            return ConfigLocations.scan("", config.source());
        }
    }

    public static MoeConfig parse(String yaml, Path file) {
        if (yaml.isBlank()) {
            throw new MoeException(file + ": the config file is empty");
        }
        ConfigLocations locations = ConfigLocations.scan(yaml, file); // refuses aliases, which the binder would read as their names
        MoeConfig config;
        try (com.fasterxml.jackson.core.JsonParser parser = YAML.getFactory().createParser(yaml)) {
            config = YAML.readValue(parser, MoeConfig.class);
            // "---" and a second document: its keys were dropped without a word.
            if (config != null && parser.nextToken() != null) {
                throw new MoeException(file + ": line " + parser.currentTokenLocation().getLineNr() + ": a second YAML document"
                        + " (after '---'); a moe config is one document: merge the two, or keep one");
            }
        } catch (UnrecognizedPropertyException e) {
            String known = NearestName.closest(e.getPropertyName(), e.getKnownPropertyIds());
            throw new MoeException(file + where(e, yaml, e.getPropertyName()) + "unknown key '" + pathOf(e, e.getPropertyName()) + "'"
                    + (known == null ? "" : " (did you mean '" + known + "'?)"));
        } catch (MismatchedInputException e) {
            if (e.getPath().isEmpty()) {
                // Not a config at all: most often the data file given where the config goes.
                boolean csv = file.getFileName() != null && file.getFileName().toString().matches("(?i).*\\.(csv|tsv|txt)");
                throw new MoeException(file + ": not a moe config (a YAML mapping of keys such as data: and experts:)"
                        + (csv ? "; a data file is named in a config under data.path (`moe init " + file + "` writes one)" : ""));
            }
            throw new MoeException(file + where(e, yaml, lastKey(e)) + pathOf(e, null) + ": expected " + describe(e.getTargetType()));
        } catch (JsonMappingException e) {
            if (e.getCause() instanceof JsonProcessingException syntax) {
                // A YAML mistake met while a section was being bound: the parser's line is the mistake's, not the key's.
                throw notValidYaml(file, yaml, syntax, e.getPath().isEmpty() ? "" : pathOf(e, null) + ".");
            }
            throw new MoeException(file + where(e, yaml, lastKey(e)) + pathOf(e, null) + ": " + firstLine(e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            throw notValidYaml(file, yaml, e, "");
        } catch (IOException e) {
            throw new MoeException("cannot read config file " + file + ": " + e.getMessage()); // from a string: not expected
        }
        if (config == null) {
            throw new MoeException(file + ": the config file is empty");
        }
        config = config.withSource(file);
        try {
            ConfigValidator.validate(config);
        } catch (MoeException e) {
            throw locations.locate(e); // the validator's messages start with the key path: this adds its line
        }
        return config;
    }

    /** A duplicate key or a YAML syntax error, at the line where the parser found it, in SnakeYAML's words. */
    private static MoeException notValidYaml(Path file, String yaml, JsonProcessingException e, String section) {
        String m = firstLine(e.getOriginalMessage());
        if (m.startsWith("Duplicate field '")) {
            return new MoeException(file + where(e, yaml, null) + "duplicate key '" + section + m.substring(17, m.length() - 1)
                    + "' (a key may appear once per mapping)");
        }
        java.util.regex.Matcher range = java.util.regex.Pattern.compile("Numeric value \\((.*)\\) out of range of (int|long) \\((-?\\d+) - (\\d+)\\).*")
                .matcher(m);
        if (range.matches()) {
            // "repeat: 3000000000": Jackson's words named the type, not the bounds a user can act on.
            String key = section.isEmpty() ? "" : section.substring(0, section.length() - 1) + ": ";
            return new MoeException(file + where(e, yaml, null) + key + range.group(1) + " is out of range: at most " + range.group(4) + " here");
        }
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof MarkedYAMLException marked && marked.getProblem() != null) {
                m = marked.getProblem(); // without the context line and the snippets SnakeYAML adds around it
                break;
            }
        }
        return new MoeException(file + where(e, yaml, null) + "not valid YAML: " + m);
    }

    /**
     * The line of the offending key. The YAML parser reports where it stopped reading, often the line after
     * the key, so the key itself is looked for at or before that line.
     */
    private static String where(JsonProcessingException e, String yaml, String key) {
        JsonLocation location = e.getLocation();
        int reported = location == null ? -1 : location.getLineNr();
        int line = key == null ? reported : lineOfKey(yaml, key, reported);
        return line < 1 ? ": " : ": line " + line + ": ";
    }

    private static int lineOfKey(String yaml, String key, int notAfter) {
        java.util.regex.Pattern pattern = java.util.regex.Pattern.compile("(^|[\\s{,-])" + java.util.regex.Pattern.quote(key) + "\\s*:");
        String[] lines = yaml.split("\\R", -1);
        int found = -1;
        for (int i = 0; i < lines.length && (notAfter < 1 || i < notAfter); i++) {
            if (pattern.matcher(lines[i]).find()) {
                found = i + 1;
            }
        }
        return found > 0 ? found : notAfter;
    }

    private static String lastKey(JsonMappingException e) {
        List<JsonMappingException.Reference> path = e.getPath();
        for (int i = path.size() - 1; i >= 0; i--) {
            if (path.get(i).getFieldName() != null) {
                return path.get(i).getFieldName();
            }
        }
        return null;
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "another kind of value";
        }
        if (type == Integer.class || type == Long.class || type == int.class || type == long.class) {
            return "an integer";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        return "a mapping of keys";
    }

    private static String pathOf(JsonMappingException e, String leaf) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        if (path.length() == 0 && leaf != null) {
            return leaf;
        }
        return path.length() == 0 ? "(top level)" : path.toString();
    }

    private static String firstLine(String message) {
        String m = message == null ? "invalid value" : message;
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
