package dev.moe.api;

import java.util.List;
import java.util.Objects;

/**
 * One parameter a provider takes ({@code params:} in the config): declared so that {@code moe experts} can list it
 * and the runtime can refuse unknown keys and wrong types, naming the file and line, before the provider runs.
 *
 * @param name         the key in {@code params:}
 * @param type         the kind of value it takes
 * @param defaultValue the value in force when the key is absent, as people read it ({@code 500}, {@code [32]},
 *                     {@code unlimited}); null when there is none (a required key, or one whose absence means "off")
 * @param description  one short line: what it does, and for which mode or algorithm
 * @param choices      for a {@link Type#STRING}, the values it may take (the runtime refuses others before the provider
 *                     runs, suggesting the nearest); empty for any value
 */
public record ParameterSpec(String name, Type type, String defaultValue, String description, List<String> choices) {

    /** The value types the config's YAML can give, as {@link Parameters}' getters read them. */
    public enum Type {
        /** Any scalar, read as text (names, choices). */
        STRING("string"),
        /** A whole number. */
        INTEGER("integer"),
        /** Any number. */
        NUMBER("number"),
        /** {@code true} or {@code false}. */
        BOOLEAN("true|false"),
        /** A list of whole numbers, or one. */
        INTEGER_LIST("integers"),
        /** A list of scalars, or one. */
        STRING_LIST("strings"),
        /** A file relative to the config's folder (or a resource, as the description says). */
        PATH("path");

        private final String label;

        Type(String label) {
            this.label = label;
        }

        /**
         * The type's name as a user reads it.
         *
         * @return how {@code moe experts} shows the type
         */
        public String label() {
            return label;
        }
    }

    /**
     * Checks that name, type and description are given, and that only a string has choices.
     *
     * @param name         the key
     * @param type         the kind of value
     * @param defaultValue the value in force when absent, as people read it; or null
     * @param description  one short line
     * @param choices      the values a string may take; null or empty for any
     */
    public ParameterSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(description, "description");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a parameter needs a name");
        }
        choices = choices == null ? List.of() : List.copyOf(choices);
        if (!choices.isEmpty() && type != Type.STRING) {
            throw new IllegalArgumentException("parameter '" + name + "': choices are for string parameters, not " + type);
        }
        if (!choices.isEmpty() && defaultValue != null && !choices.contains(defaultValue)) {
            throw new IllegalArgumentException("parameter '" + name + "': default '" + defaultValue + "' is not one of " + choices);
        }
    }

    /**
     * A declaration that takes any value of its type (the form of SPI 1.0, kept for providers built against it).
     *
     * @param name         the key
     * @param type         the kind of value
     * @param defaultValue the value in force when absent, as people read it; or null
     * @param description  one short line
     */
    public ParameterSpec(String name, Type type, String defaultValue, String description) {
        this(name, type, defaultValue, description, List.of());
    }

    /**
     * The same as the constructor, shorter in a provider's list of declarations.
     *
     * @param name         the key
     * @param type         the kind of value
     * @param defaultValue the value in force when absent, as people read it; or null
     * @param description  one short line
     * @return the declaration
     */
    public static ParameterSpec of(String name, Type type, String defaultValue, String description) {
        return new ParameterSpec(name, type, defaultValue, description);
    }

    /**
     * A string parameter that takes one of a few values: the runtime refuses any other before the provider runs, and
     * {@code moe experts} lists them. Read it with {@link Parameters#choice(ParameterSpec)}, so that the default is
     * written once.
     *
     * @param name         the key
     * @param defaultValue the value in force when absent, one of the choices; or null
     * @param description  one short line
     * @param choices      the values allowed
     * @return the declaration
     */
    public static ParameterSpec choice(String name, String defaultValue, String description, String... choices) {
        return new ParameterSpec(name, Type.STRING, defaultValue, description, List.of(choices));
    }
}
