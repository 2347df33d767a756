package dev.moe.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The free-form parameters of one config entry (an expert's or a routing strategy's), with typed
 * getters whose errors name the entry and key, so a provider never has to format those messages itself.
 */
public final class Parameters {

    private final String where;
    private final Map<String, Object> values;

    /**
     * One config entry's parameters.
     *
     * @param where  where these parameters sit in the config, for messages, e.g. {@code experts[expert1].params}
     * @param values the raw values: String, Number, Boolean, List or Map, as a YAML or JSON parser yields them
     */
    public Parameters(String where, Map<String, ?> values) {
        this.where = Objects.requireNonNull(where, "where");
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(values, "values")));
    }

    /**
     * {@return parameters without any key: every getter gives its default}
     *
     * @param where where these parameters would sit in the config, for messages
     */
    public static Parameters empty(String where) {
        return new Parameters(where, Map.of());
    }

    /**
     * {@return where these parameters sit in the config, e.g. {@code experts[expert1].params}; every message about
     * them starts with it}
     */
    public String where() {
        return where;
    }

    /** {@return the raw values, unmodifiable, in the order they were given} */
    public Map<String, Object> asMap() {
        return values;
    }

    /**
     * {@return whether {@code key} is given, even with a null value (which the getters read as absent)}
     *
     * @param key a parameter's name
     */
    public boolean has(String key) {
        return values.containsKey(key);
    }

    /**
     * Fails on any key not in {@code known}, naming it and the known ones: catches typos in configs. Checks no types;
     * {@link #checkDeclared} does both for a provider that declares its parameters.
     *
     * @param known every key allowed
     * @return these parameters
     * @throws ParameterException on the first unknown key
     */
    public Parameters requireOnly(String... known) {
        Set<String> allowed = Set.of(known);
        for (String key : values.keySet()) {
            if (!allowed.contains(key)) {
                throw new ParameterException(where + ": unknown key '" + key + "'" + NearestName.didYouMean(key, allowed)
                        + "; known keys: " + String.join(", ", new TreeSet<>(allowed)));
            }
        }
        return this;
    }

    /**
     * Fails on a key that {@code declared} does not name, or a value of the wrong type for its declaration, with a
     * message that starts with {@link #where()} and the key (so the runtime can add the config's file and line).
     * An empty declaration checks nothing: the provider declared no parameters.
     *
     * @param declared the provider's {@link ExpertProvider#parameters()}
     * @return these parameters
     */
    public Parameters checkDeclared(List<ParameterSpec> declared) {
        if (declared.isEmpty()) {
            return this;
        }
        Map<String, ParameterSpec> byName = new LinkedHashMap<>();
        for (ParameterSpec spec : declared) {
            byName.put(spec.name(), spec);
        }
        for (String key : values.keySet()) {
            if (!byName.containsKey(key)) {
                Set<String> known = new TreeSet<>(byName.keySet());
                throw new ParameterException(where + "." + key + ": unknown key" + NearestName.didYouMean(key, known)
                        + "; known keys: " + String.join(", ", known));
            }
        }
        for (String key : values.keySet()) {
            ParameterSpec spec = byName.get(key);
            switch (spec.type()) {
                case STRING -> {
                    if (spec.choices().isEmpty()) {
                        string(key, null);
                    } else {
                        choice(key, null, spec.choices());
                    }
                }
                case PATH -> string(key, null);
                case INTEGER -> longInteger(key, 0);
                case NUMBER -> real(key, 0);
                case BOOLEAN -> bool(key, false);
                case INTEGER_LIST -> integers(key, List.of());
                case STRING_LIST -> strings(key, List.of());
            }
        }
        return this;
    }

    /**
     * A scalar as text: a number or a boolean gives its {@code toString()}.
     *
     * @param key          the parameter's name
     * @param defaultValue returned when the key is absent or null; may be null
     * @return the value as text, or {@code defaultValue}
     * @throws ParameterException when the value is a list or a map
     */
    public String string(String key, String defaultValue) {
        Object v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof String || v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        throw wrongType(key, "a string", v);
    }

    /**
     * A scalar as text that must be one of {@code choices} (exactly, case included).
     *
     * @param key          the parameter's name
     * @param defaultValue returned when the key is absent or null; may be null, and need not be a choice
     * @param choices      the values allowed
     * @return the value, or {@code defaultValue}
     * @throws ParameterException when the value is not one of them, naming the nearest and all of them
     */
    public String choice(String key, String defaultValue, List<String> choices) {
        String v = string(key, null);
        if (v == null) {
            return defaultValue;
        }
        if (!choices.contains(v)) {
            throw new ParameterException(where + "." + key + ": unknown value '" + v + "'" + NearestName.didYouMean(v, choices)
                    + "; one of: " + String.join(", ", choices));
        }
        return v;
    }

    /**
     * The value of a declared {@link ParameterSpec#choice choice}, its declared default when absent.
     *
     * @param spec the declaration, with its choices and default
     * @return the value, or the declared default (null when it has none)
     * @throws ParameterException when the value is not one of the choices
     */
    public String choice(ParameterSpec spec) {
        if (spec.choices().isEmpty()) {
            throw new IllegalArgumentException("parameter '" + spec.name() + "' is not declared with choices");
        }
        return choice(spec.name(), spec.defaultValue(), spec.choices());
    }

    /**
     * A scalar as text, which must be given.
     *
     * @param key the parameter's name
     * @return the value as text, as {@link #string} reads it
     * @throws ParameterException when the key is absent or null, or the value is a list or a map
     */
    public String requireString(String key) {
        String v = string(key, null);
        if (v == null) {
            throw new ParameterException(where + ": missing required key '" + key + "'");
        }
        return v;
    }

    /**
     * A whole number that fits an int. A number with a fraction ({@code 3.0}) or in quotes is refused, not rounded.
     *
     * @param key          the parameter's name
     * @param defaultValue returned when the key is absent or null
     * @return the value, or {@code defaultValue}
     * @throws ParameterException when the value is not a whole number or lies outside the int range
     */
    public int integer(String key, int defaultValue) {
        Object v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Short) {
            long l = ((Number) v).longValue();
            if (l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
                return (int) l;
            }
        }
        throw wrongType(key, "an integer", v);
    }

    /**
     * A whole number above 0, as {@link #integer} reads it.
     *
     * @param key          the parameter's name
     * @param defaultValue returned when the key is absent or null; checked too, so it must be positive
     * @return the value, or {@code defaultValue}
     * @throws ParameterException when the value is not a whole number or is 0 or less
     */
    public int positiveInteger(String key, int defaultValue) {
        int v = integer(key, defaultValue);
        if (v <= 0) {
            throw new ParameterException(where + "." + key + ": must be positive, got " + v);
        }
        return v;
    }

    /**
     * Any number, whole or not, as a double.
     *
     * @param key          the parameter's name
     * @param defaultValue returned when the key is absent or null
     * @return the value, or {@code defaultValue}
     * @throws ParameterException when the value is not a number (a number in quotes is text)
     */
    public double real(String key, double defaultValue) {
        Object v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw wrongType(key, "a number", v);
    }

    /**
     * A whole number, as a long. A number with a fraction ({@code 3.0}) or in quotes is refused, not rounded.
     *
     * @param key          the parameter's name
     * @param defaultValue returned when the key is absent or null
     * @return the value, or {@code defaultValue}
     * @throws ParameterException when the value is not a whole number
     */
    public long longInteger(String key, long defaultValue) {
        Object v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Integer || v instanceof Long || v instanceof Short) {
            return ((Number) v).longValue();
        }
        throw wrongType(key, "an integer", v);
    }

    /**
     * {@code true} or {@code false}, as the parser gives booleans; text such as {@code "yes"} is refused.
     *
     * @param key          the parameter's name
     * @param defaultValue returned when the key is absent or null
     * @return the value, or {@code defaultValue}
     * @throws ParameterException when the value is not a boolean
     */
    public boolean bool(String key, boolean defaultValue) {
        Object v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        throw wrongType(key, "true or false", v);
    }

    /**
     * A list of integers; a single integer is read as a one-element list.
     *
     * @param key          the parameter's name
     * @param defaultValue returned as it is when the key is absent or null
     * @return an unmodifiable list in the config's order, or {@code defaultValue}
     * @throws ParameterException when any element is not an int-sized whole number
     */
    public List<Integer> integers(String key, List<Integer> defaultValue) {
        Object v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        List<?> raw = v instanceof List<?> l ? l : List.of(v);
        List<Integer> out = new ArrayList<>();
        for (Object o : raw) {
            if (!(o instanceof Integer i)) {
                throw wrongType(key, "a list of integers", v);
            }
            out.add(i);
        }
        return List.copyOf(out);
    }

    /**
     * A list of strings; a single scalar is read as a one-element list. Numbers and booleans give their text.
     *
     * @param key          the parameter's name
     * @param defaultValue returned as it is when the key is absent or null
     * @return an unmodifiable list in the config's order, or {@code defaultValue}
     * @throws ParameterException when an element is itself a list or a map
     */
    public List<String> strings(String key, List<String> defaultValue) {
        Object v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        List<?> raw = v instanceof List<?> l ? l : List.of(v);
        List<String> out = new ArrayList<>();
        for (Object o : raw) {
            if (o instanceof Map<?, ?> || o instanceof List<?>) {
                throw wrongType(key, "a list of strings", v);
            }
            out.add(String.valueOf(o));
        }
        return List.copyOf(out);
    }

    private ParameterException wrongType(String key, String expected, Object actual) {
        return new ParameterException(where + "." + key + ": expected " + expected + ", got '" + actual + "'");
    }

    @Override
    public String toString() {
        return where + values;
    }
}
