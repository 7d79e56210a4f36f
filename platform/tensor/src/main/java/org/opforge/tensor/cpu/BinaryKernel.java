package org.opforge.tensor.cpu;

import org.opforge.tensor.backend.BinaryOp;

/**
 * SIMD rows of the float32 binary ops, {@code r[ir + j] = op(a[ia + j sa], b[ib + j sb])} for j < len,
 * used by {@link BinaryRows} when jdk.incubator.vector is available (and {@code opforge.cpu.nosimd} is
 * not set). HotSpot 17 vectorizes the plain loops of {@link BinaryRows} poorly once the three arrays
 * are read at different offsets (a product of two offset rows measured 2-3x slower than these loops;
 * a min/max loop stays scalar). Lanewise + - * / min max are the IEEE operations of the scalar loops,
 * so results are identical.
 */
interface BinaryKernel {
    /** The SIMD kernel, or null where the module is absent or unusable. */
    BinaryKernel SIMD = pick();

    /**
     * Computes the row and returns true, or returns false without writing when this kernel has no loop
     * for the op and strides (the caller then runs its plain loop).
     */
    boolean row(BinaryOp op, float[] a, int ia, int sa, float[] b, int ib, int sb, float[] r, int ir, int len);

    private static BinaryKernel pick() {
        return SimdKernels.load(BinaryKernel.class, "VectorBinaryKernel");
    }
}
