package org.opforge.api.data;

import java.util.Arrays;
import org.opforge.tensor.DType;

/**
 * One named array of a data set as the platform sees it (after any transposition the layout
 * implies). A per-sample field has the sample axis first: {@code shape = [N, ...sampleShape]}; a
 * constant (coordinates, parameters) has no sample axis.
 *
 * @param name      the field name (the HDF5 path relative to the root for constants in groups)
 * @param shape     the logical shape
 * @param dtype     the dtype reads return: float64 for float64 (and 32/64-bit integer) data, float32 otherwise
 * @param perSample whether axis 0 is the sample axis
 * @param storage   how the data is stored, for humans: e.g. "contiguous", "chunked [1, 16, 16] deflate, shuffle",
 *                  "transposed (MATLAB)", "one dataset per sample"
 */
public record FieldInfo(String name, int[] shape, DType dtype, boolean perSample, String storage) {
    public FieldInfo {
        shape = shape.clone();
    }

    @Override public int[] shape() { return shape.clone(); }

    public int rank() { return shape.length; }

    /** The shape of one sample ({@code shape} without axis 0) of a per-sample field. */
    public int[] sampleShape() {
        if (!perSample) throw new IllegalStateException("field '" + name + "' has no sample axis");
        return Arrays.copyOfRange(shape, 1, shape.length);
    }

    /** Elements in one sample (per-sample field) or in the whole array (constant). */
    public long elementsPerSample() {
        long n = 1;
        for (int i = perSample ? 1 : 0; i < shape.length; i++) n *= shape[i];
        return n;
    }

    /** Bytes of the whole field as read into memory. */
    public long bytes() {
        long n = (long) dtype.bytes();
        for (int d : shape) n *= d;
        return n;
    }

    @Override public boolean equals(Object o) {
        return o instanceof FieldInfo f && name.equals(f.name) && Arrays.equals(shape, f.shape) && dtype == f.dtype
                && perSample == f.perSample && storage.equals(f.storage);
    }

    @Override public int hashCode() { return name.hashCode() * 31 + Arrays.hashCode(shape); }

    @Override public String toString() {
        return name + " " + Arrays.toString(shape) + " " + dtype + (perSample ? "" : " (constant)") + " " + storage;
    }
}
