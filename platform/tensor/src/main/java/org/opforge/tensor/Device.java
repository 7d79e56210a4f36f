package org.opforge.tensor;

import java.util.Locale;
import java.util.Objects;

/**
 * Where a tensor's storage lives: a backend kind ("cpu", "cuda", ...) and an ordinal.
 * Immutable value type.
 */
public record Device(String kind, int index) {
    public static final Device CPU = new Device("cpu", 0);

    public Device {
        Objects.requireNonNull(kind, "kind");
        kind = kind.toLowerCase(Locale.ROOT);
        if (index < 0) throw new IllegalArgumentException("device index must be >= 0, got " + index);
    }

    /** Parses "cpu", "cuda", "cuda:1". */
    public static Device parse(String spec) {
        Objects.requireNonNull(spec, "device");
        int colon = spec.indexOf(':');
        if (colon < 0) return new Device(spec.trim(), 0);
        try {
            return new Device(spec.substring(0, colon).trim(), Integer.parseInt(spec.substring(colon + 1).trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("device: expected KIND or KIND:INDEX (e.g. cuda:0), found '" + spec + "'");
        }
    }

    public static Device cuda(int index) { return new Device("cuda", index); }

    @Override public String toString() { return index == 0 && kind.equals("cpu") ? "cpu" : kind + ":" + index; }
}
