package org.opforge.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.opforge.tensor.DType;
import org.opforge.tensor.Shapes;

/**
 * Strided copies and accumulations whose collapsed pattern is a batch of transposes (the tiled path
 * of {@link Transpose}), against an element-by-element reference, with offsets, sizes that are not
 * multiples of the tile, and both precisions.
 */
class TransposeTest {
    private static final CpuBackend BE = CpuBackend.instance();

    @Test
    void permutesAndAccumulationsMatchTheElementFormula() {
        int[][][] cases = {
                {{3, 37, 50}, {0, 2, 1}},
                {{2, 17, 33, 21}, {0, 3, 1, 2}},
                {{2, 19, 18, 40}, {0, 2, 3, 1}},
                {{40, 16}, {1, 0}},
        };
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int[][] c : cases) {
                int[] shape = c[0], perm = c[1];
                int r = shape.length;
                int n = (int) Shapes.numel(shape);
                int[] inStrides = Shapes.strides(shape);
                int[] outShape = new int[r], srcStrides = new int[r];
                for (int a = 0; a < r; a++) {
                    outShape[a] = shape[perm[a]];
                    srcStrides[a] = inStrides[perm[a]];
                }
                int[] dstStrides = Shapes.strides(outShape);
                double[] x = new double[n + 3], base = new double[n + 5];
                for (int i = 0; i < x.length; i++) x[i] = i * 0.5 - 7;
                for (int i = 0; i < base.length; i++) base[i] = -i;
                for (boolean add : new boolean[] {false, true}) {
                    CpuBuffer src = (CpuBuffer) BE.fromHost(x, dt), dst = (CpuBuffer) BE.fromHost(base, dt);
                    if (add) BE.addStrided(src, 3, srcStrides, dst, 5, dstStrides, outShape);
                    else BE.copyStrided(src, 3, srcStrides, dst, 5, dstStrides, outShape);
                    double[] got = BE.toHostDouble(dst);
                    double[] want = base.clone();
                    int[] idx = new int[r];
                    for (int e = 0; e < n; e++) {
                        int rem = e, so = 3, d = 5;
                        for (int a = r - 1; a >= 0; a--) {
                            idx[a] = rem % outShape[a];
                            rem /= outShape[a];
                            so += idx[a] * srcStrides[a];
                            d += idx[a] * dstStrides[a];
                        }
                        want[d] = add ? want[d] + x[so] : x[so];
                    }
                    for (int i = 0; i < want.length; i++) {
                        assertEquals(want[i], got[i], 1e-6, dt + " " + java.util.Arrays.toString(shape) + " perm "
                                + java.util.Arrays.toString(perm) + (add ? " add" : " copy") + " at " + i);
                    }
                }
            }
        }
    }
}
