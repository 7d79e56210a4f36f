package org.opforge.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The shape-specific paths of {@link Sgemm} against a double-precision triple loop: vector shapes
 * (k = 1; n = 1 with A transposed; m = 1 with B as stored), the k split of small-C products with long k,
 * and A read in place for tall products with few columns (B too beside A^T for few rows, its partial last
 * sliver read shifted; two whole slivers and a partial one in one pass for n = 33-47; last rows of at most half a
 * sliver as half tiles ending at the last row, m = 6, 17, 130, 258), with edge rows and columns, both kernels, all
 * transpose flags, alpha and beta (beta = 0 must overwrite NaN).
 */
class SgemmShapesTest {

    private static double ref(boolean ta, boolean tb, int m, int n, int k, float[] a, float[] b, int i, int j) {
        double s = 0;
        for (int p = 0; p < k; p++) s += (double) (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
        return s;
    }

    @Test void skinnyShapesMatchReference() {
        Random r = new Random(11);
        int[][] sizes = {
            {1000, 40, 1}, {37, 13, 1}, {40, 1, 10000}, {40, 1, 50}, {1, 33, 9000}, {1, 7, 20}, {1, 20, 3000}, {24, 1, 5000},
            {16, 1, 700}, {1, 48, 900},
            {40, 100, 10000}, {40, 40, 4100}, {5, 3, 2500}, {100, 40, 10000}, {13, 17, 3000}, {192, 47, 2000}, {200, 40, 3000},
            {1000, 40, 100}, {997, 37, 41}, {300, 64, 300}, {29, 70, 13}, {61, 24, 30}, {250, 100, 100},
            {6, 40, 30}, {5, 40, 30}, {17, 45, 33}, {258, 256, 64}, {130, 100, 20}
        };
        SgemmKernel[] kernels = Sgemm.KERNEL instanceof JavaSgemmKernel ? new SgemmKernel[] {Sgemm.KERNEL}
                : new SgemmKernel[] {new JavaSgemmKernel(), Sgemm.KERNEL};
        for (SgemmKernel kern : kernels) {
            for (int[] s : sizes) {
                int m = s[0], n = s[1], k = s[2];
                for (int t = 0; t < 8; t++) {
                    boolean ta = (t & 1) != 0, tb = (t & 2) != 0, unitAlpha = (t & 4) != 0;
                    float[] a = rand(r, m * k), b = rand(r, k * n), c = rand(r, m * n), c0 = c.clone();
                    float alpha = unitAlpha ? 1f : -0.75f, beta = t % 3 == 0 ? 0f : t % 3 == 1 ? 1f : 0.5f;
                    if (beta == 0) java.util.Arrays.fill(c, Float.NaN);
                    Sgemm.gemm(kern, ta, tb, 1, m, n, k, alpha, a, 0, 0, b, 0, 0, beta, c, 0, 0);
                    double worst = 0;
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            double want = alpha * ref(ta, tb, m, n, k, a, b, i, j) + (beta == 0 ? 0 : beta * c0[i * n + j]);
                            double err = Math.abs(want - c[i * n + j]) / Math.sqrt(k);
                            worst = Double.isNaN(c[i * n + j]) ? Double.POSITIVE_INFINITY : Math.max(worst, err);
                        }
                    }
                    assertTrue(worst < 1e-5, kern.name() + " m,n,k=" + m + "," + n + "," + k + " ta=" + ta + " tb=" + tb
                            + " alpha=" + alpha + " beta=" + beta + ": error " + worst);
                }
            }
        }
    }

    /**
     * Each element of C is summed in the same order whatever the split (columns or rows, finer ranges for
     * A read in place, pairs of B slivers): the pool's result equals one thread's bit for bit.
     */
    @Test void theSameBitsOnOneThreadAndOnThePool() {
        Random r = new Random(5);
        int[][] sizes = {{256, 256, 256}, {258, 256, 256}, {10000, 40, 100}, {1000, 40, 40}, {64, 1000, 300}, {37, 700, 129}, {530, 520, 1100}};
        for (int[] s : sizes) {
            int m = s[0], n = s[1], k = s[2];
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                float[] a = rand(r, m * k), b = rand(r, k * n);
                float[] pool = new float[m * n], one = new float[m * n];
                Sgemm.gemm(ta, tb, 1, m, n, k, 1f, a, 0, 0, b, 0, 0, 0f, pool, 0, 0);
                CpuThreads.withThreads(1, () -> {
                    Sgemm.gemm(ta, tb, 1, m, n, k, 1f, a, 0, 0, b, 0, 0, 0f, one, 0, 0);
                    return null;
                });
                org.junit.jupiter.api.Assertions.assertArrayEquals(one, pool, "m,n,k=" + m + "," + n + "," + k + " ta=" + ta + " tb=" + tb);
            }
        }
    }

    /**
     * Large products take deeper k blocks ({@link Sgemm#depth}); two blocks and a remainder of k, edge rows and
     * columns, all transpose flags, checked at sampled elements against double-precision dot products.
     */
    @Test void largeProductsWithDeepKBlocks() {
        Random r = new Random(17);
        int m = 530, n = 520, k = 2 * Sgemm.KC_LARGE + 77;
        assertTrue(Sgemm.depth(m, n) == Sgemm.KC_LARGE && Sgemm.depth(m, 100) == Sgemm.KC, "large products only");
        for (int t = 0; t < 4; t++) {
            boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
            float[] a = rand(r, m * k), b = rand(r, k * n), c = new float[m * n];
            java.util.Arrays.fill(c, Float.NaN);
            Sgemm.gemm(ta, tb, 1, m, n, k, 1f, a, 0, 0, b, 0, 0, 0f, c, 0, 0);
            for (int q = 0; q < 300; q++) {
                int i = q < 4 ? (q % 2) * (m - 1) : r.nextInt(m), j = q < 4 ? (q / 2) * (n - 1) : r.nextInt(n);
                double err = Math.abs(ref(ta, tb, m, n, k, a, b, i, j) - c[i * n + j]) / Math.sqrt(k);
                assertTrue(err < 1e-5, "ta=" + ta + " tb=" + tb + " C[" + i + "][" + j + "] off by " + err);
            }
        }
    }

    @Test void pathSelection() {
        assertTrue(Sgemm.thin(false, false, 100, 40, 1) && Sgemm.thin(true, false, 40, 1, 100) && Sgemm.thin(false, false, 1, 40, 100));
        assertTrue(!Sgemm.thin(false, true, 1, 40, 100) && !Sgemm.thin(false, false, 40, 1, 100), "rows read across: packed path");
        assertTrue(Sgemm.splitK(40, 100, 10000, 2) && !Sgemm.splitK(40, 100, 10000, 1) && !Sgemm.splitK(512, 512, 512, 2));
    }

    /**
     * Column ranges are handed out so that the ones started together are not neighbours (neighbours share a
     * cache line of each row of C): every part once, and each round of {@code threads} consecutive ones (the
     * parts that run together when the threads keep pace) pairwise apart wherever there are enough parts.
     */
    @Test void columnRangesStartedTogetherAreNotNeighbours() {
        for (int threads = 1; threads <= 4; threads++) {
            for (int parts = threads; parts <= 4 * threads + 3; parts++) {
                int[] order = Sgemm.apart(parts, threads);
                boolean[] seen = new boolean[parts];
                for (int p : order) {
                    assertTrue(!seen[p], "part " + p + " handed out twice: " + java.util.Arrays.toString(order));
                    seen[p] = true;
                }
                for (int t = 0; t < parts && parts >= 2 * threads - 1; t += threads) {
                    for (int u = t; u < Math.min(parts, t + threads); u++) {
                        for (int v = u + 1; v < Math.min(parts, t + threads); v++) {
                            assertTrue(Math.abs(order[u] - order[v]) > 1,
                                    "parts " + parts + ", threads " + threads + ": " + java.util.Arrays.toString(order));
                        }
                    }
                }
            }
        }
    }

    private static float[] rand(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian();
        return v;
    }
}
