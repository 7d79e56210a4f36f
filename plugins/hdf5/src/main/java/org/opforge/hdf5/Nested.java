package org.opforge.hdf5;

import java.util.Arrays;

/**
 * jhdf writes datasets from nested Java arrays ({@code float[][][]} ...); this builds them from
 * row-major flat data without copying more than once.
 */
final class Nested {
    private Nested() {}

    static Object of(float[] flat, int[] shape) {
        if (shape.length == 0) return flat[0];
        return build(flat, null, shape, 0, 0);
    }

    static Object of(double[] flat, int[] shape) {
        if (shape.length == 0) return flat[0];
        return build(null, flat, shape, 0, 0);
    }

    private static Object build(float[] f, double[] d, int[] shape, int axis, int offset) {
        int n = shape[axis];
        if (axis == shape.length - 1) {
            return f != null ? Arrays.copyOfRange(f, offset, offset + n) : Arrays.copyOfRange(d, offset, offset + n);
        }
        int stride = 1;
        for (int k = axis + 1; k < shape.length; k++) stride *= shape[k];
        Object[] out = (Object[]) java.lang.reflect.Array.newInstance(componentType(f != null, shape.length - axis - 1), n);
        for (int i = 0; i < n; i++) out[i] = build(f, d, shape, axis + 1, offset + i * stride);
        return out;
    }

    private static Class<?> componentType(boolean isFloat, int depth) {
        Class<?> c = isFloat ? float.class : double.class;
        for (int i = 0; i < depth; i++) c = java.lang.reflect.Array.newInstance(c, 0).getClass();
        return c;
    }
}
