package org.opforge.api.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The ordered set of parameters a component accepts. {@link #resolve} is the one place where loose
 * input is validated: unknown keys are rejected (a typo must not silently fall back to a default),
 * values are converted to their declared types, and absent keys take their defaults.
 */
public record ConfigSchema(List<ConfigParameter> parameters) {
    public ConfigSchema {
        parameters = List.copyOf(Objects.requireNonNull(parameters, "parameters"));
        TreeSet<String> seen = new TreeSet<>();
        for (ConfigParameter p : parameters) {
            if (!seen.add(p.name())) throw new IllegalArgumentException("parameter '" + p.name() + "' is declared twice");
        }
    }

    public static ConfigSchema of(ConfigParameter... parameters) {
        return new ConfigSchema(Arrays.asList(parameters));
    }

    /** The parameter called {@code name}, or an error listing the known names. */
    public ConfigParameter parameter(String name) {
        for (ConfigParameter p : parameters) if (p.name().equals(name)) return p;
        throw new IllegalArgumentException("unknown parameter '" + name + "'; known: " + names());
    }

    public List<String> names() {
        List<String> names = new ArrayList<>(parameters.size());
        for (ConfigParameter p : parameters) names.add(p.name());
        return names;
    }

    /** All defaults. */
    public Config defaults() {
        return resolve(Map.of());
    }

    /**
     * Validates {@code given} against this schema.
     *
     * @return every parameter of the schema, given values converted, the rest at their defaults
     * @throws IllegalArgumentException on an unknown key (listing the known ones) or a value of the wrong type
     */
    public Config resolve(Map<String, ?> given) {
        Objects.requireNonNull(given, "config");
        for (String key : given.keySet()) {
            if (!names().contains(key)) {
                throw new IllegalArgumentException("unknown parameter '" + key + "'; known: " + names());
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (ConfigParameter p : parameters) {
            Object v = given.get(p.name());
            values.put(p.name(), v == null ? p.defaultValue() : p.accept(v));
        }
        return new Config(values);
    }

    /**
     * Rebuilds a configuration stored with {@link Config#toStrings(String)}: the entries of
     * {@code attributes} whose key starts with {@code prefix}, prefix removed, resolved against this schema.
     */
    public Config fromStrings(Map<String, String> attributes, String prefix) {
        Map<String, Object> given = new LinkedHashMap<>();
        attributes.forEach((k, v) -> { if (k.startsWith(prefix)) given.put(k.substring(prefix.length()), v); });
        return resolve(given);
    }
}
