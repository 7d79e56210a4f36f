package org.opforge.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.opforge.tensor.DType;

/** GEMM against a double-precision triple loop: every kernel, edge tiles, transposes, batch strides, alpha/beta. */
class CoreGemmTest {

    private static List<SgemmKernel> kernels() {
        List<SgemmKernel> ks = new ArrayList<>();
        ks.add(new JavaSgemmKernel());
        if (!(Sgemm.KERNEL instanceof JavaSgemmKernel)) ks.add(Sgemm.KERNEL);
        return ks;
    }

    @Test void simdKernelIsUsedWhenTheModuleIsPresent() {
        boolean present = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        assertEquals(present, !(Sgemm.KERNEL instanceof JavaSgemmKernel), "kernel " + Sgemm.KERNEL.name());
    }

    private static double ref(boolean ta, boolean tb, int m, int n, int k, float[] a, int ao, float[] b, int bo, int i, int j) {
        double s = 0;
        for (int p = 0; p < k; p++) {
            double x = ta ? a[ao + p * m + i] : a[ao + i * k + p];
            double y = tb ? b[bo + j * k + p] : b[bo + p * n + j];
            s += x * y;
        }
        return s;
    }

    @Test void sgemmMatchesReference() {
        Random r = new Random(5);
        int[][] sizes = {{1, 1, 1}, {3, 5, 7}, {12, 8, 16}, {13, 9, 300}, {37, 45, 29}, {150, 70, 260}, {5, 300, 3}, {200, 17, 0}};
        for (SgemmKernel kern : kernels()) {
            for (int[] s : sizes) {
                int m = s[0], n = s[1], k = s[2];
                for (int t = 0; t < 4; t++) {
                    boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                    int batch = 3;
                    float[] a = rand(r, 2 + batch * m * k), b = rand(r, 1 + k * n), c = rand(r, batch * m * n);
                    float[] c0 = c.clone();
                    float alpha = 0.75f, beta = t == 3 ? 0f : 0.5f;
                    // A advances per batch, B is shared (stride 0), offsets non-zero
                    Sgemm.gemm(kern, ta, tb, batch, m, n, k, alpha, a, 2, (long) m * k, b, 1, 0, beta, c, 0, (long) m * n);
                    double worst = 0;
                    for (int q = 0; q < batch; q++) {
                        for (int i = 0; i < m; i++) {
                            for (int j = 0; j < n; j++) {
                                double want = alpha * ref(ta, tb, m, n, k, a, 2 + q * m * k, b, 1, i, j) + beta * c0[q * m * n + i * n + j];
                                worst = Math.max(worst, Math.abs(want - c[q * m * n + i * n + j]) / Math.max(1, Math.sqrt(k)));
                            }
                        }
                    }
                    assertTrue(worst < 1e-5, kern.name() + " m,n,k=" + m + "," + n + "," + k + " ta=" + ta + " tb=" + tb + ": error " + worst);
                }
            }
        }
    }

    @Test void largeProductSplitsOverThreadsCorrectly() {
        Random r = new Random(6);
        int m = 257, n = 190, k = 300;
        float[] a = rand(r, m * k), b = rand(r, k * n), c = new float[m * n];
        java.util.Arrays.fill(c, Float.NaN); // beta = 0 must overwrite, not multiply
        Sgemm.gemm(false, false, 1, m, n, k, 1f, a, 0, 0, b, 0, 0, 0f, c, 0, 0);
        for (int i = 0; i < m; i += 7) for (int j = 0; j < n; j += 5) {
            assertEquals(ref(false, false, m, n, k, a, 0, b, 0, i, j), c[i * n + j], 1e-3, "C[" + i + "," + j + "]");
        }
    }

    @Test void dgemmAndComplexGemm() {
        Random r = new Random(7);
        int batch = 2, m = 7, n = 5, k = 6;
        for (int t = 0; t < 4; t++) {
            boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
            double[] a = new double[batch * m * k * 2], b = new double[k * n * 2], c = new double[batch * m * n * 2];
            for (int i = 0; i < a.length; i++) a[i] = r.nextGaussian();
            for (int i = 0; i < b.length; i++) b[i] = r.nextGaussian();
            for (int i = 0; i < c.length; i++) c[i] = r.nextGaussian();
            for (DType dt : new DType[] {DType.FLOAT64, DType.COMPLEX128, DType.COMPLEX64}) {
                int w = dt.slots();
                CpuBuffer ab = buf(dt, a, batch * m * k), bb = buf(dt, b, k * n), cb = buf(dt, c, batch * m * n);
                double[] c0 = CpuBackend.instance().toHostDouble(cb);
                CpuBackend.instance().gemm(ta, tb, batch, m, n, k, 0.5, ab, 0, (long) m * k, bb, 0, 0, 2.0, cb, 0, (long) m * n);
                double[] got = CpuBackend.instance().toHostDouble(cb), av = CpuBackend.instance().toHostDouble(ab),
                        bv = CpuBackend.instance().toHostDouble(bb);
                double tol = dt == DType.COMPLEX64 ? 1e-4 : 1e-12;
                for (int q = 0; q < batch; q++) for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) {
                    double sr = 0, si = 0;
                    for (int p = 0; p < k; p++) {
                        int ia = q * m * k + (ta ? p * m + i : i * k + p), ib = tb ? j * k + p : p * n + j;
                        double xr = av[w * ia], xi = w == 2 ? av[w * ia + 1] : 0, yr = bv[w * ib], yi = w == 2 ? bv[w * ib + 1] : 0;
                        sr += xr * yr - xi * yi;
                        si += xr * yi + xi * yr;
                    }
                    int ic = q * m * n + i * n + j;
                    assertEquals(0.5 * sr + 2.0 * c0[w * ic], got[w * ic], tol, dt + " re");
                    if (w == 2) assertEquals(0.5 * si + 2.0 * c0[w * ic + 1], got[w * ic + 1], tol, dt + " im");
                }
            }
        }
    }

    private static CpuBuffer buf(DType dt, double[] data, int numel) {
        double[] d = java.util.Arrays.copyOf(data, numel * dt.slots());
        return (CpuBuffer) CpuBackend.instance().fromHost(d, dt);
    }

    private static float[] rand(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian();
        return v;
    }
}
