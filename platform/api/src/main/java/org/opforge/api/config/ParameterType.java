package org.opforge.api.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The value types a configuration parameter can take, and how loose input is converted to them.
 * Input arrives from Java code (numbers, booleans, lists), YAML (the same) or the command line
 * (strings), so every type also parses its string form; list types accept a {@link List} or a
 * comma-separated string such as {@code "64,64"}.
 */
public enum ParameterType {
    /** A whole number, held as {@link Integer}. */
    INTEGER("integer"),
    /** A real number, held as {@link Double}. */
    NUMBER("number"),
    /** {@code true} or {@code false}, held as {@link Boolean}. */
    BOOLEAN("boolean"),
    /** Free text, or one of a fixed set of choices, held as {@link String}. */
    STRING("string"),
    /** A list of whole numbers (grid sizes, layer widths), held as an unmodifiable {@code List<Integer>}. */
    INTEGER_LIST("integer list"),
    /** A list of real numbers, held as an unmodifiable {@code List<Double>}. */
    NUMBER_LIST("number list");

    private final String label;

    ParameterType(String label) {
        this.label = label;
    }

    /** The lower-case name used in messages and listings ("integer list"). */
    public String label() { return label; }

    /**
     * Converts {@code value} to this type's Java representation.
     *
     * @param name the parameter name, used in the error message
     * @throws IllegalArgumentException naming the parameter, the expected type and the value found
     */
    public Object convert(String name, Object value) {
        if (value == null) throw mismatch(name, null);
        switch (this) {
            case INTEGER: return toInteger(name, value);
            case NUMBER: return toNumber(name, value);
            case BOOLEAN: return toBoolean(name, value);
            case STRING:
                if (value instanceof String || value instanceof Number || value instanceof Boolean) return value.toString();
                throw mismatch(name, value);
            case INTEGER_LIST: return toList(name, value, true);
            case NUMBER_LIST: return toList(name, value, false);
            default: throw new AssertionError(this);
        }
    }

    /**
     * The canonical string form of a converted value ({@code "64,64"} for lists); {@link #convert}
     * of the value's type parses it back to an equal value.
     */
    public static String format(Object converted) {
        if (converted instanceof List) {
            List<String> parts = new ArrayList<>();
            for (Object o : (List<?>) converted) parts.add(String.valueOf(o));
            return String.join(",", parts);
        }
        return String.valueOf(converted);
    }

    private Integer toInteger(String name, Object value) {
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) return ((Number) value).intValue();
        if (value instanceof Long || value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            // YAML and JSON readers hand out longs and doubles for plain numbers: accept exact whole values only
            if (d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE) return (int) d;
            throw mismatch(name, value);
        }
        if (value instanceof String) {
            try {
                return Integer.valueOf(((String) value).trim());
            } catch (NumberFormatException e) {
                throw mismatch(name, value);
            }
        }
        throw mismatch(name, value);
    }

    private Double toNumber(String name, Object value) {
        if (value instanceof Number) return ((Number) value).doubleValue();
        if (value instanceof String) {
            try {
                return Double.valueOf(((String) value).trim());
            } catch (NumberFormatException e) {
                throw mismatch(name, value);
            }
        }
        throw mismatch(name, value);
    }

    private Boolean toBoolean(String name, Object value) {
        if (value instanceof Boolean) return (Boolean) value;
        if (value instanceof String) {
            String s = ((String) value).trim();
            if (s.equalsIgnoreCase("true")) return Boolean.TRUE;
            if (s.equalsIgnoreCase("false")) return Boolean.FALSE;
        }
        throw mismatch(name, value);
    }

    private List<Object> toList(String name, Object value, boolean integers) {
        List<?> items;
        if (value instanceof List) {
            items = (List<?>) value;
        } else if (value instanceof String) {
            String s = ((String) value).trim();
            if (s.startsWith("[") && s.endsWith("]")) s = s.substring(1, s.length() - 1);
            items = s.isBlank() ? List.of() : List.of(s.split(","));
        } else if (value instanceof Number) {
            items = List.of(value);
        } else {
            throw mismatch(name, value);
        }
        ParameterType element = integers ? INTEGER : NUMBER;
        List<Object> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            Object item = items.get(i);
            try {
                out.add(element.convert(name + "[" + i + "]", item));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("parameter '" + name + "': expected " + label
                        + ", element " + i + " is '" + item + "'", e);
            }
        }
        return Collections.unmodifiableList(out);
    }

    private IllegalArgumentException mismatch(String name, Object value) {
        String found = value == null ? "null" : "'" + value + "' (" + value.getClass().getSimpleName() + ")";
        return new IllegalArgumentException("parameter '" + name + "': expected " + label + ", found " + found);
    }
}
