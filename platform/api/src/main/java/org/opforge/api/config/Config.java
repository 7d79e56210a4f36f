package org.opforge.api.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A resolved configuration: every parameter of a {@link ConfigSchema}, converted to its type.
 * Made by {@link ConfigSchema#resolve}; immutable.
 */
public record Config(Map<String, Object> values) {
    public Config {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(values, "values")));
    }

    public Object get(String name) {
        Object v = values.get(name);
        if (v == null) throw new IllegalArgumentException("configuration has no parameter '" + name + "'; present: " + values.keySet());
        return v;
    }

    public int getInt(String name) { return as(name, Integer.class); }

    public double getDouble(String name) { return as(name, Double.class); }

    public boolean getBoolean(String name) { return as(name, Boolean.class); }

    public String getString(String name) { return as(name, String.class); }

    @SuppressWarnings("unchecked")
    public List<Integer> getIntList(String name) { return as(name, List.class); }

    @SuppressWarnings("unchecked")
    public List<Double> getDoubleList(String name) { return as(name, List.class); }

    /**
     * The values as strings under {@code prefix + name}, e.g. for checkpoint attributes; every
     * {@link ParameterType} parses its string form back, so {@link ConfigSchema#fromStrings} restores
     * an equal configuration.
     */
    public Map<String, String> toStrings(String prefix) {
        Map<String, String> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(prefix + k, ParameterType.format(v)));
        return out;
    }

    private <T> T as(String name, Class<T> type) {
        Object v = get(name);
        if (!type.isInstance(v)) {
            throw new IllegalArgumentException("parameter '" + name + "' is a " + v.getClass().getSimpleName()
                    + ", not a " + type.getSimpleName());
        }
        return type.cast(v);
    }
}
