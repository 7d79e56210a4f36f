package org.opforge.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Shapes;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.backend.BinaryOp;
import org.opforge.tensor.backend.ReduceOp;
import org.opforge.tensor.backend.UnaryOp;

/** The fast paths of the CPU kernels against naive index arithmetic, at sizes that also take the parallel paths. */
class CoreKernelsTest {
    private final CpuBackend be = CpuBackend.instance();

    private static double[] randn(int n, long seed) {
        return Tensor.randn(new Rng(seed), DType.FLOAT64, Device.CPU, 0, 1, n).toDoubleArray();
    }

    @Test void binaryBroadcastPatterns() {
        int[][][] cases = { // {a shape, b shape}
                {{300, 400}, {300, 400}}, {{300, 400}, {}}, {{}, {300, 400}}, {{300, 400}, {400}}, {{300, 1}, {400}},
                {{7, 1, 5}, {3, 1}}, {{40, 30, 1, 20}, {30, 50, 1}}, {{1}, {1}}, {{2, 0, 3}, {3}}};
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int[][] c : cases) {
                int[] sa = c[0], sb = c[1];
                int[] out = Shapes.broadcast("test", sa, sb);
                double[] a = randn((int) Shapes.numel(sa), 1), b = randn((int) Shapes.numel(sb), 2);
                for (BinaryOp op : BinaryOp.values()) {
                    CpuBuffer ab = (CpuBuffer) be.fromHost(a, dt), bb = (CpuBuffer) be.fromHost(b, dt);
                    CpuBuffer ob = (CpuBuffer) be.allocate(dt, Shapes.numel(out));
                    int[] as = Shapes.broadcastStrides(sa, out), bs = Shapes.broadcastStrides(sb, out);
                    be.binary(op, ab, 0, as, bb, 0, bs, ob, out);
                    double[] got = be.toHostDouble(ob), av = be.toHostDouble(ab), bv = be.toHostDouble(bb);
                    int[] idx = new int[out.length];
                    for (int i = 0; i < got.length; i++) {
                        int ia = 0, ib = 0;
                        for (int d = 0; d < out.length; d++) { ia += idx[d] * as[d]; ib += idx[d] * bs[d]; }
                        double want = ScalarMath.binary(op, av[ia], bv[ib]);
                        if (dt == DType.FLOAT32) want = (float) want;
                        assertEquals(want, got[i], 0.0, op + " " + Shapes.str(sa) + " " + Shapes.str(sb) + " " + dt + " at " + i);
                        for (int d = out.length - 1; d >= 0; d--) { if (++idx[d] < out[d]) break; idx[d] = 0; }
                    }
                }
            }
        }
    }

    @Test void reluGradMasksByTheSignOfTheInputAtEdgeValues() {
        double[] xs = {1, 0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, 1e-45, Float.MIN_VALUE, -5, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY, Double.NaN, 3e38, 1e300};
        double[] gs = {2, -3, Double.POSITIVE_INFINITY};
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (double g : gs) {
                int n = 70_000 * xs.length; // long enough for the split single-row path
                double[] a = new double[n], b = new double[n];
                for (int i = 0; i < n; i++) { a[i] = g; b[i] = xs[i % xs.length]; }
                CpuBuffer ab = (CpuBuffer) be.fromHost(a, dt), bb = (CpuBuffer) be.fromHost(b, dt), ob = (CpuBuffer) be.allocate(dt, n);
                be.binary(BinaryOp.RELU_GRAD, ab, 0, new int[] {1}, bb, 0, new int[] {1}, ob, new int[] {n});
                double[] got = be.toHostDouble(ob), bv = be.toHostDouble(bb);
                for (int i = 0; i < n; i += 997) {
                    double x = bv[i];
                    double want = Double.isNaN(x) ? Double.NaN : x > 0 ? g : g * 0.0;
                    assertEquals(want, got[i], 0.0, "relu_grad(" + g + ", " + x + ") " + dt);
                }
            }
        }
    }

    @Test void simdAndPlainBinaryRowsAgreeWithTheScalarDefinition() {
        int len = 1000 + 13; // a SIMD body and a tail
        float[] a = new float[len + 3], b = new float[len + 5];
        Random rnd = new Random(11);
        for (int i = 0; i < a.length; i++) a[i] = (float) rnd.nextGaussian();
        for (int i = 0; i < b.length; i++) b[i] = i % 97 == 0 ? 0f : (float) rnd.nextGaussian();
        b[40] = Float.NaN;
        int[][] strides = {{1, 1}, {1, 0}, {0, 1}, {2, 1}};
        for (BinaryOp op : BinaryOp.values()) {
            for (int[] st : strides) {
                int n = st[0] == 2 ? len / 2 : len;
                float[] simd = new float[n + 7], plain = new float[n + 7];
                BinaryRows.row(op, a, 3 % a.length, st[0], b, 5, st[1], simd, 7, n);
                BinaryRows.plainRow(op, a, 3 % a.length, st[0], b, 5, st[1], plain, 7, n);
                for (int j = 0; j < n; j++) {
                    float want = (float) ScalarMath.binary(op, a[3 + j * st[0]], b[5 + j * st[1]]);
                    assertEquals(want, simd[7 + j], 0f, op + " strides " + st[0] + "," + st[1] + " at " + j);
                    assertEquals(want, plain[7 + j], 0f, op + " plain strides " + st[0] + "," + st[1] + " at " + j);
                }
            }
        }
    }

    @Test void complexBinaryBroadcast() {
        Tensor a = Tensor.randn(new Rng(3), DType.COMPLEX64, Device.CPU, 0, 1, 50, 1, 30);
        Tensor b = Tensor.randn(new Rng(4), DType.COMPLEX64, Device.CPU, 0, 1, 40, 1);
        double[] av = a.toDoubleArray(), bv = b.toDoubleArray(), got = a.div(b).toDoubleArray(), mul = a.mul(b).toDoubleArray();
        for (int i = 0; i < 50; i++) for (int j = 0; j < 40; j++) for (int k = 0; k < 30; k++) {
            int o = 2 * ((i * 40 + j) * 30 + k), x = 2 * (i * 30 + k), y = 2 * j;
            double ar = av[x], ai = av[x + 1], br = bv[y], bi = bv[y + 1], den = br * br + bi * bi;
            assertEquals(ar * br - ai * bi, mul[o], 1e-5);
            assertEquals(ar * bi + ai * br, mul[o + 1], 1e-5);
            assertEquals((ar * br + ai * bi) / den, got[o], 1e-4 * Math.max(1, Math.abs(got[o])));
            assertEquals((ai * br - ar * bi) / den, got[o + 1], 1e-4 * Math.max(1, Math.abs(got[o + 1])));
        }
    }

    @Test void unaryMatchesScalarDefinition() {
        double[] x = randn(100_000, 5);
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (UnaryOp op : UnaryOp.values()) {
                // the float32 Gaussian activations are float-accurate approximations: ActivationKernelTest
                if (dt == DType.FLOAT32 && Activations.handles(op)) continue;
                CpuBuffer in = (CpuBuffer) be.fromHost(x, dt), out = (CpuBuffer) be.allocate(dt, x.length);
                be.unary(op, in, out, 0.7);
                double[] xv = be.toHostDouble(in), got = be.toHostDouble(out);
                for (int i = 0; i < x.length; i += 97) {
                    double want = ScalarMath.unary(op, xv[i], 0.7);
                    if (dt == DType.FLOAT32) want = (float) want;
                    assertEquals(want, got[i], 0.0, op + " " + dt + " at x=" + xv[i]);
                }
            }
        }
    }

    @Test void reductionsOverEveryAxisPattern() {
        int[] shape = {6, 70, 5, 90};
        double[] x = randn((int) Shapes.numel(shape), 6);
        x[123] = Double.NaN;
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            CpuBuffer in = (CpuBuffer) be.fromHost(x, dt);
            double[] xv = be.toHostDouble(in);
            for (int mask = 0; mask < 16; mask++) {
                boolean[] axes = new boolean[4];
                int[] outShape = shape.clone();
                for (int d = 0; d < 4; d++) if ((mask >> d & 1) != 0) { axes[d] = true; outShape[d] = 1; }
                for (ReduceOp op : ReduceOp.values()) {
                    CpuBuffer out = (CpuBuffer) be.allocate(dt, Shapes.numel(outShape));
                    be.reduce(op, in, shape, axes, out);
                    double[] want = new double[(int) Shapes.numel(outShape)];
                    java.util.Arrays.fill(want, op == ReduceOp.SUM ? 0 : op == ReduceOp.MAX ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
                    int[] os = Shapes.strides(outShape);
                    int[] idx = new int[4];
                    for (double v : xv) {
                        int o = 0;
                        for (int d = 0; d < 4; d++) if (!axes[d]) o += idx[d] * os[d];
                        want[o] = ReduceRows.combine(op, want[o], v);
                        for (int d = 3; d >= 0; d--) { if (++idx[d] < shape[d]) break; idx[d] = 0; }
                    }
                    double[] got = be.toHostDouble(out);
                    for (int i = 0; i < want.length; i++) {
                        double w = dt == DType.FLOAT32 ? (float) want[i] : want[i];
                        if (Double.isNaN(w)) assertTrue(Double.isNaN(got[i]), op + " mask " + mask + " must propagate NaN at " + i);
                        else assertEquals(w, got[i], Math.abs(w) * 1e-6 + 1e-9, op + " mask " + mask + " " + dt + " at " + i);
                    }
                }
            }
        }
    }

    @Test void stridedCopyPermuteSliceAndAdd() {
        Tensor t = Tensor.randn(new Rng(9), DType.FLOAT32, Device.CPU, 0, 1, 30, 40, 50);
        double[] v = t.toDoubleArray();
        double[] p = t.permute(2, 0, 1).toDoubleArray();
        double[] s = t.slice(1, 3, 37, 2).toDoubleArray();
        for (int i = 0; i < 30; i++) for (int j = 0; j < 40; j++) for (int k = 0; k < 50; k++) {
            assertEquals(v[(i * 40 + j) * 50 + k], p[(k * 30 + i) * 40 + j], 0.0);
            if (j >= 3 && j < 37 && (j - 3) % 2 == 0) assertEquals(v[(i * 40 + j) * 50 + k], s[(i * 17 + (j - 3) / 2) * 50 + k], 0.0);
        }
        Tensor z = Tensor.randn(new Rng(10), DType.COMPLEX128, Device.CPU, 0, 1, 20, 30);
        double[] zv = z.toDoubleArray(), zt = z.transpose(0, 1).toDoubleArray();
        for (int i = 0; i < 20; i++) for (int j = 0; j < 30; j++) {
            assertEquals(zv[2 * (i * 30 + j)], zt[2 * (j * 20 + i)], 0.0);
            assertEquals(zv[2 * (i * 30 + j) + 1], zt[2 * (j * 20 + i) + 1], 0.0);
        }
        CpuBuffer src = (CpuBuffer) be.fromHost(new double[] {1, 2, 3, 4, 5, 6}, DType.FLOAT64);
        CpuBuffer dst = (CpuBuffer) be.fromHost(new double[] {10, 10, 10, 10, 10, 10, 10, 10}, DType.FLOAT64);
        be.addStrided(src, 0, new int[] {3, 1}, dst, 1, new int[] {4, 1}, new int[] {2, 3});
        assertArrayEquals(new double[] {10, 11, 12, 13, 10, 14, 15, 16}, be.toHostDouble(dst), 0.0);
    }

    @Test void parallelForCoversEveryIndexOnceAndPropagatesErrors() {
        int n = 1_000_003;
        AtomicIntegerArray hits = new AtomicIntegerArray(n);
        CpuThreads.parallelFor(n, 1, (lo, hi) -> {
            for (int i = lo; i < hi; i++) hits.incrementAndGet(i);
            // a nested loop inside a worker runs inline
            CpuThreads.parallelFor(1000, 1000, (a, b) -> { });
        });
        for (int i = 0; i < n; i++) assertEquals(1, hits.get(i), "index " + i);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> CpuThreads.parallelFor(n, 1, (lo, hi) -> {
            if (hi == n) throw new IllegalStateException("last chunk failed");
        }));
        assertEquals("last chunk failed", e.getMessage());
        assertTrue(CpuThreads.shutdown(2000));
        // the pool restarts on demand
        AtomicIntegerArray again = new AtomicIntegerArray(n);
        CpuThreads.parallelFor(n, 1, (lo, hi) -> { for (int i = lo; i < hi; i++) again.incrementAndGet(i); });
        for (int i = 0; i < n; i += 1000) assertEquals(1, again.get(i));
    }

    @Test void randomFillIsThreadIndependent() {
        // a large draw (parallel) equals the per-element definition
        Tensor t = Tensor.rand(new Rng(11), DType.FLOAT64, Device.CPU, 0, 1, 300_000);
        double[] v = t.toDoubleArray();
        for (int i = 0; i < v.length; i += 1001) assertEquals(Rng.uniform(11, i), v[i], 0.0);
    }
}
