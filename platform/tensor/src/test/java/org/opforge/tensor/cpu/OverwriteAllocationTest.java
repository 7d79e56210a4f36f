package org.opforge.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.opforge.tensor.DType;
import org.opforge.tensor.backend.BinaryOp;
import org.opforge.tensor.backend.Buffer;
import org.opforge.tensor.backend.UnaryOp;

/**
 * The kernels that take storage from {@code allocateForOverwrite} write every element of it: storage
 * reused from the pool holds whatever the last tensor left there (NaN included), and none of it may
 * show through. GEMM with beta = 0 in particular must not read C (0 * NaN is NaN).
 */
class OverwriteAllocationTest {
    private final CpuBackend be = CpuBackend.instance();

    private Buffer poisoned(DType dt, int n) {
        double[] nan = new double[n * dt.slots()];
        Arrays.fill(nan, Double.NaN);
        return be.fromHost(nan, dt);
    }

    @Test void gemmWithBetaZeroDoesNotReadC() {
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.COMPLEX64, DType.COMPLEX128}) {
            // shapes through every path: thin (k = 1), edge tiles, the pair tiles, split-k
            for (int[] s : new int[][] {{5, 7, 1}, {13, 40, 9}, {64, 64, 64}, {8, 8, 4096}}) {
                int m = s[0], n = s[1], k = s[2];
                double[] a = new double[m * k * dt.slots()], b = new double[k * n * dt.slots()];
                for (int i = 0; i < a.length; i++) a[i] = (i % 7) - 3;
                for (int i = 0; i < b.length; i++) b[i] = (i % 5) - 2;
                Buffer c = poisoned(dt, m * n), clean = be.allocate(dt, m * n);
                be.gemm(false, false, 1, m, n, k, 1.0, be.fromHost(a, dt), 0, 0, be.fromHost(b, dt), 0, 0, 0.0, c, 0, 0);
                be.gemm(false, false, 1, m, n, k, 1.0, be.fromHost(a, dt), 0, 0, be.fromHost(b, dt), 0, 0, 0.0, clean, 0, 0);
                assertArrayEquals(be.toHostDouble(clean), be.toHostDouble(c), 0.0, dt + " " + Arrays.toString(s));
            }
        }
    }

    @Test void elementWiseKernelsWriteEveryElement() {
        int n = 1 << 15;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = (i % 11) * 0.25 - 1;
        Buffer in = be.fromHost(x, DType.FLOAT32);
        for (UnaryOp op : new UnaryOp[] {UnaryOp.NEG, UnaryOp.RELU, UnaryOp.GELU, UnaryOp.TANH, UnaryOp.SQUARE}) {
            Buffer out = poisoned(DType.FLOAT32, n);
            be.unary(op, in, out, 0);
            for (float v : be.toHostFloat(out)) assertEquals(false, Float.isNaN(v), op.name());
        }
        Buffer out = poisoned(DType.FLOAT32, n);
        int[] st = {1};
        be.binary(BinaryOp.MUL, in, 0, st, in, 0, st, out, new int[] {n});
        float[] r = be.toHostFloat(out);
        for (int i = 0; i < n; i++) assertEquals((float) x[i] * (float) x[i], r[i], 0f);
    }
}
