package org.opforge.solvers.generate;

import java.util.List;

/**
 * One generation parameter: name, type, default and a check of its range. Values arrive as
 * strings (from a command line) or as typed objects (from code) and are parsed by
 * {@link #parse}; {@link #choices} restricts strings to a list.
 *
 * @param min inclusive lower bound for numbers ({@code -∞} when none)
 * @param minExclusive whether {@code min} itself is rejected (viscosity must be {@code > 0})
 * @param max inclusive upper bound for numbers ({@code +∞} when none)
 */
public record ParameterSpec(String name, Type type, Object defaultValue, String description, double min, boolean minExclusive,
                            double max, List<String> choices) {
    /** Value types. {@code ARRAY} values come from code only ({@link ArrayValue}). */
    public enum Type { INT, LONG, DOUBLE, STRING, BOOLEAN, ARRAY }

    public static ParameterSpec integer(String name, int def, int min, int max, String description) {
        return new ParameterSpec(name, Type.INT, def, description, min, false, max, List.of());
    }

    public static ParameterSpec real(String name, double def, double min, boolean minExclusive, double max, String description) {
        return new ParameterSpec(name, Type.DOUBLE, def, description, min, minExclusive, max, List.of());
    }

    public static ParameterSpec choice(String name, String def, List<String> choices, String description) {
        return new ParameterSpec(name, Type.STRING, def, description, Double.NEGATIVE_INFINITY, false, Double.POSITIVE_INFINITY, List.copyOf(choices));
    }

    public static ParameterSpec array(String name, String description) {
        return new ParameterSpec(name, Type.ARRAY, null, description, Double.NEGATIVE_INFINITY, false, Double.POSITIVE_INFINITY, List.of());
    }

    /** Parses and checks a raw value; the exception names this parameter, what was expected and what was found. */
    public Object parse(Object raw) {
        try {
            Object v = switch (type) {
                case INT -> raw instanceof Number n ? exactInt(n) : Integer.parseInt(raw.toString().trim());
                case LONG -> raw instanceof Number n ? n.longValue() : Long.parseLong(raw.toString().trim());
                case DOUBLE -> raw instanceof Number n ? n.doubleValue() : Double.parseDouble(raw.toString().trim());
                case BOOLEAN -> raw instanceof Boolean b ? b : parseBoolean(raw.toString());
                case STRING -> raw.toString().trim();
                case ARRAY -> {
                    if (!(raw instanceof ArrayValue)) {
                        throw new IllegalArgumentException("expected an array value, got " + raw.getClass().getSimpleName());
                    }
                    yield raw;
                }
            };
            check(v);
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("parameter '" + name + "': expected " + type.name().toLowerCase() + ", got '" + raw + "'");
        }
    }

    private Object exactInt(Number n) {
        if (n.doubleValue() != Math.rint(n.doubleValue()) || Math.abs(n.doubleValue()) > Integer.MAX_VALUE) {
            throw new NumberFormatException();
        }
        return n.intValue();
    }

    private static boolean parseBoolean(String s) {
        String t = s.trim().toLowerCase();
        if (t.equals("true") || t.equals("yes") || t.equals("1")) {
            return true;
        }
        if (t.equals("false") || t.equals("no") || t.equals("0")) {
            return false;
        }
        throw new NumberFormatException();
    }

    private void check(Object v) {
        if (v instanceof Number n) {
            double d = n.doubleValue();
            if (Double.isNaN(d) || d < min || (minExclusive && d == min) || d > max) {
                throw new IllegalArgumentException("parameter '" + name + "' must be " + range() + ", got " + v);
            }
        }
        if (!choices.isEmpty() && !choices.contains(v)) {
            throw new IllegalArgumentException("parameter '" + name + "' must be one of " + choices + ", got '" + v + "'");
        }
    }

    /** The accepted range in words, for messages and help. */
    public String range() {
        if (!choices.isEmpty()) {
            return "one of " + choices;
        }
        boolean lo = min != Double.NEGATIVE_INFINITY;
        boolean hi = max != Double.POSITIVE_INFINITY;
        String l = type == Type.INT ? String.valueOf((long) min) : String.valueOf(min);
        String h = type == Type.INT ? String.valueOf((long) max) : String.valueOf(max);
        if (lo && hi) {
            return "in " + (minExclusive ? "(" : "[") + l + ", " + h + "]";
        }
        if (lo) {
            return (minExclusive ? "> " : ">= ") + l;
        }
        if (hi) {
            return "<= " + h;
        }
        return "any " + type.name().toLowerCase();
    }

    /** An array argument: values in row-major order with their shape. */
    public record ArrayValue(double[] values, int[] shape) {
        public ArrayValue {
            long n = 1;
            for (int s : shape) {
                if (s < 0) {
                    throw new IllegalArgumentException("array shape has a negative extent: " + java.util.Arrays.toString(shape));
                }
                n *= s;
            }
            if (n != values.length) {
                throw new IllegalArgumentException("array of shape " + java.util.Arrays.toString(shape) + " needs " + n + " values, got "
                        + values.length);
            }
        }
    }
}
