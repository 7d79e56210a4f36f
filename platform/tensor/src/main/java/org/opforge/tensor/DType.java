package org.opforge.tensor;

/**
 * Element type of a tensor. Complex types are stored interleaved (re, im) by every backend, so a
 * complex tensor of {@code n} elements occupies {@code 2n} real slots.
 */
public enum DType {
    FLOAT32(4, false, "float32"),
    FLOAT64(8, false, "float64"),
    COMPLEX64(8, true, "complex64"),
    COMPLEX128(16, true, "complex128");

    private final int bytes;
    private final boolean complex;
    private final String label;

    DType(int bytes, boolean complex, String label) {
        this.bytes = bytes;
        this.complex = complex;
        this.label = label;
    }

    /** Bytes per element (a complex element counts both parts). */
    public int bytes() { return bytes; }

    public boolean isComplex() { return complex; }

    /** Real slots per element: 2 for complex types, 1 otherwise. */
    public int slots() { return complex ? 2 : 1; }

    /** True when the real (or each complex part) precision is 64 bits. */
    public boolean isDouble() { return this == FLOAT64 || this == COMPLEX128; }

    /** The complex type with this type's precision. */
    public DType toComplex() { return isDouble() ? COMPLEX128 : COMPLEX64; }

    /** The real type with this type's precision. */
    public DType toReal() { return isDouble() ? FLOAT64 : FLOAT32; }

    /** Type of the result of combining this with {@code other} (float32 < float64, real < complex). */
    public DType promote(DType other) {
        boolean c = complex || other.complex;
        boolean d = isDouble() || other.isDouble();
        return c ? (d ? COMPLEX128 : COMPLEX64) : (d ? FLOAT64 : FLOAT32);
    }

    @Override public String toString() { return label; }
}
