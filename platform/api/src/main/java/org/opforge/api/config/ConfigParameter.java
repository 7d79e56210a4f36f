package org.opforge.api.config;

import java.util.List;
import java.util.Objects;

/**
 * One entry of a configuration schema. Immutable.
 *
 * @param name         key in the configuration map, e.g. {@code "modes"}
 * @param type         value type; the default and every given value are converted to it
 * @param defaultValue value used when the key is absent, already converted to {@code type}
 * @param description  one line for listings ({@code opforge operators})
 * @param choices      for {@link ParameterType#STRING} parameters, the allowed values; empty when free
 */
public record ConfigParameter(String name, ParameterType type, Object defaultValue, String description,
                              List<String> choices) {
    public ConfigParameter {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(description, "description");
        if (name.isBlank()) throw new IllegalArgumentException("parameter name must not be blank");
        choices = List.copyOf(Objects.requireNonNull(choices, "choices"));
        if (!choices.isEmpty() && type != ParameterType.STRING) {
            throw new IllegalArgumentException("parameter '" + name + "': choices need type string, found " + type.label());
        }
        defaultValue = type.convert(name, Objects.requireNonNull(defaultValue, "default of parameter '" + name + "'"));
        if (!choices.isEmpty()) checkChoice(name, defaultValue, choices);
    }

    public static ConfigParameter integer(String name, int defaultValue, String description) {
        return new ConfigParameter(name, ParameterType.INTEGER, defaultValue, description, List.of());
    }

    public static ConfigParameter number(String name, double defaultValue, String description) {
        return new ConfigParameter(name, ParameterType.NUMBER, defaultValue, description, List.of());
    }

    public static ConfigParameter bool(String name, boolean defaultValue, String description) {
        return new ConfigParameter(name, ParameterType.BOOLEAN, defaultValue, description, List.of());
    }

    public static ConfigParameter string(String name, String defaultValue, String description) {
        return new ConfigParameter(name, ParameterType.STRING, defaultValue, description, List.of());
    }

    /** A string parameter restricted to {@code choices}; {@code defaultValue} must be one of them. */
    public static ConfigParameter choice(String name, String defaultValue, String description, String... choices) {
        return new ConfigParameter(name, ParameterType.STRING, defaultValue, description, List.of(choices));
    }

    public static ConfigParameter integers(String name, List<Integer> defaultValue, String description) {
        return new ConfigParameter(name, ParameterType.INTEGER_LIST, defaultValue, description, List.of());
    }

    public static ConfigParameter numbers(String name, List<Double> defaultValue, String description) {
        return new ConfigParameter(name, ParameterType.NUMBER_LIST, defaultValue, description, List.of());
    }

    /** Converts a given value to this parameter's type and checks it against the choices. */
    public Object accept(Object value) {
        Object converted = type.convert(name, value);
        if (!choices.isEmpty()) checkChoice(name, converted, choices);
        return converted;
    }

    /** The default in its canonical string form ({@code "64,64"} for lists). */
    public String defaultText() { return ParameterType.format(defaultValue); }

    private static void checkChoice(String name, Object value, List<String> choices) {
        if (!choices.contains(value)) {
            throw new IllegalArgumentException("parameter '" + name + "': expected one of " + choices + ", found '" + value + "'");
        }
    }
}
