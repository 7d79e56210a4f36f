package org.opforge.tensor.cpu;

/**
 * float64 GEMM for the precision paths (gradient checks, decompositions, solvers): rows of C are
 * built as sums of scaled rows of op(B) (row-major axpy, which HotSpot vectorizes), blocked over k
 * so a strip of B stays in cache, parallel over rows. Transposed operands are first copied to
 * row-major (per-thread scratch, reused).
 */
final class Dgemm {
    private Dgemm() {}

    private static final int KB = 128;

    private static final ThreadLocal<double[][]> SCRATCH = ThreadLocal.withInitial(() -> new double[][] {new double[0], new double[0]});

    static void gemm(boolean ta, boolean tb, int batch, int m, int n, int k, double alpha,
                     double[] a, int aOff, long aStride, double[] b, int bOff, long bStride,
                     double beta, double[] c, int cOff, long cStride) {
        if (batch <= 0 || m <= 0 || n <= 0) return;
        long work = (long) m * n * Math.max(1, k);
        if (batch > 1 && (work < (1L << 20) || batch >= 4L * CpuThreads.threadsHere())) {
            CpuThreads.parallelFor(batch, work, (q0, q1) -> {
                for (int q = q0; q < q1; q++) {
                    one(ta, tb, m, n, k, alpha, a, (int) (aOff + q * aStride), b, (int) (bOff + q * bStride), beta, c,
                            (int) (cOff + q * cStride), false);
                }
            });
            return;
        }
        for (int q = 0; q < batch; q++) {
            one(ta, tb, m, n, k, alpha, a, (int) (aOff + q * aStride), b, (int) (bOff + q * bStride), beta, c,
                    (int) (cOff + q * cStride), true);
        }
    }

    private static void one(boolean ta, boolean tb, int m, int n, int k, double alpha, double[] a, int ao,
                            double[] b, int bo, double beta, double[] c, int co, boolean parallel) {
        double[][] s = SCRATCH.get();
        double[] ar = a, br = b;
        int aro = ao, bro = bo;
        if (ta) {
            if (s[0].length < m * k) s[0] = new double[m * k];
            ar = s[0];
            aro = 0;
            for (int p = 0; p < k; p++) for (int i = 0; i < m; i++) ar[i * k + p] = a[ao + p * m + i];
        }
        if (tb) {
            if (s[1].length < k * n) s[1] = new double[k * n];
            br = s[1];
            bro = 0;
            for (int j = 0; j < n; j++) for (int p = 0; p < k; p++) br[p * n + j] = b[bo + j * k + p];
        }
        final double[] fa = ar, fb = br;
        final int fao = aro, fbo = bro;
        CpuThreads.Range rows = (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                int cr = co + i * n;
                if (beta == 0) java.util.Arrays.fill(c, cr, cr + n, 0.0);
                else if (beta != 1) for (int j = 0; j < n; j++) c[cr + j] *= beta;
            }
            for (int p0 = 0; p0 < k; p0 += KB) {
                int p1 = Math.min(k, p0 + KB);
                for (int i = i0; i < i1; i++) {
                    int cr = co + i * n, arow = fao + i * k;
                    for (int p = p0; p < p1; p++) {
                        double av = alpha * fa[arow + p];
                        if (av == 0) continue;
                        int brow = fbo + p * n;
                        for (int j = 0; j < n; j++) c[cr + j] += av * fb[brow + j];
                    }
                }
            }
        };
        if (parallel) CpuThreads.parallelFor(m, (long) n * Math.max(1, k), rows);
        else rows.run(0, m);
    }
}
