package org.opforge.tensor.cpu;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Pruned DFTs of contiguous rows as one matrix product, for the transforms of spectral layers that
 * keep few frequencies of a short last axis (FNO: 12 of the 33 bins of a length-64 row, and back).
 * There the transform of every row is {@code row @ M} with a small dense real matrix M holding the
 * cos / sin table in the interleaved layout of the spectrum, and one packed GEMM over all rows does
 * {@code ~4 n kept} flops per row at GEMM speed; the FFT does {@code ~5 n log2 n} at scalar
 * butterfly speed and also gathers the rows in and out (measured on the FNO shapes, one thread:
 * r2c 64 -> 12 bins of 40960 rows 8.1 -> 3.6 ms, c2r 7.4 -> 3.0 ms). Strided axes ({@code inner > 1})
 * stay with the lane-vectorized FFT, which needs no transpose there and measured faster than batched
 * small GEMMs. {@link #worthIt} decides per call.
 *
 * <p>Matrices are built in double with exactly reduced angles ({@link FftPlan#unit}), sines of
 * multiples of pi set to exactly 0, and cached per (transform, length, kept set, weights, scale, precision).
 */
final class DftGemm {
    private DftGemm() {}

    /** Forced path for tests and benchmarks: "gemm", "fft", or unset (automatic). */
    private static final String FORCE = System.getProperty("opforge.fft.dft", "");

    /**
     * True when the matrix form should beat the FFT for rows ({@code inner == 1}) of length n with
     * {@code inLen} inputs and {@code outLen} outputs: when the kept side is at most 4 log2(n)
     * (12 of 64 is; the full 33 bins of 64 measured even, so they stay with the FFT). The system
     * property {@code opforge.fft.dft} = gemm / fft forces either path (tests, benchmarks).
     */
    static boolean worthIt(int n, int inner, int inLen, int outLen) {
        if (inner != 1) return false;
        if (FORCE.equals("gemm")) return true;
        if (FORCE.equals("fft")) return false;
        int log = 32 - Integer.numberOfLeadingZeros(Math.max(1, n - 1));
        return n <= 1024 && Math.min(inLen, outLen) <= 4 * Math.max(log, 1);
    }

    // ---- matrices -----------------------------------------------------------------------------

    private record Key(char kind, int n, int a, int b, boolean flag1, boolean flag2, double scale, boolean dbl) {}

    private static final ConcurrentHashMap<Key, Object> CACHE = new ConcurrentHashMap<>();
    private static final int CACHE_LIMIT = 256;

    private static Object cached(Key key, java.util.function.Supplier<double[]> build) {
        Object m = CACHE.get(key);
        if (m == null) {
            double[] d = build.get();
            if (key.dbl) {
                m = d;
            } else {
                float[] f = new float[d.length];
                for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
                m = f;
            }
            if (CACHE.size() >= CACHE_LIMIT) CACHE.clear();
            CACHE.putIfAbsent(key, m);
        }
        return m;
    }

    /** r2c weights: w_k = 2 for the bins standing for a conjugate pair when asked, else 1. */
    private static double weight(boolean hermitian, int k, int n) {
        return hermitian && k > 0 && 2 * k != n ? 2.0 : 1.0;
    }

    /** cos and sin of sign 2 pi k t / n; the sine of a multiple of pi is exactly 0. */
    private static double[] cs(long kt, int n, int sign) {
        double[] w = FftPlan.unit(sign * kt, n);
        if ((2 * kt) % n == 0) w[1] = 0.0;
        return w;
    }

    /**
     * r2c, row form: D (n x 2 bins), D[t][2k] = s w_k cos(2 pi k t / n), D[t][2k+1] = -s w_k sin(...),
     * so that {@code row @ D} is the interleaved spectrum of the row.
     */
    private static double[] r2cRow(int n, int bins, boolean herm, double scale) {
        double[] d = new double[n * 2 * bins];
        for (int t = 0; t < n; t++) {
            for (int k = 0; k < bins; k++) {
                double[] w = cs((long) k * t, n, -1);
                double s = scale * weight(herm, k, n);
                d[t * 2 * bins + 2 * k] = s * w[0];
                d[t * 2 * bins + 2 * k + 1] = s * w[1];
            }
        }
        return d;
    }

    /**
     * c2r, row form: E (2 bins x n), E[2k][t] = s w_k cos(2 pi k t / n), E[2k+1][t] = -s w_k sin(...),
     * so that {@code interleavedRow @ E} is {@code s Re sum_k w_k z_k exp(+2 pi i k t / n)}.
     */
    private static double[] c2rRow(int n, int bins, boolean herm, double scale) {
        double[] e = new double[2 * bins * n];
        for (int k = 0; k < bins; k++) {
            double s = scale * weight(herm, k, n);
            for (int t = 0; t < n; t++) {
                double[] w = cs((long) k * t, n, 1);
                e[2 * k * n + t] = s * w[0];
                e[(2 * k + 1) * n + t] = -s * w[1];
            }
        }
        return e;
    }

    /** Kept frequency j of {0..lo-1} ∪ {n-hi..n-1}. */
    private static int freq(int j, int lo, int n, int hi) {
        return j < lo ? j : n - hi + (j - lo);
    }

    /** The complex c2c matrix M (outLen x inLen) as {Mr, Mi}, both row-major. */
    private static double[][] c2cMatrix(int n, int lo, int hi, boolean pad, boolean inverse, double scale) {
        int kept = lo + hi, inLen = pad ? kept : n, outLen = pad ? n : kept;
        int sign = inverse ? 1 : -1;
        double[] mr = new double[outLen * inLen], mi = new double[mr.length];
        for (int r = 0; r < outLen; r++) {
            for (int c = 0; c < inLen; c++) {
                long kt = pad ? (long) freq(c, lo, n, hi) * r : (long) freq(r, lo, n, hi) * c;
                double[] w = cs(kt, n, sign);
                mr[r * inLen + c] = scale * w[0];
                mi[r * inLen + c] = scale * w[1];
            }
        }
        return new double[][] {mr, mi};
    }

    /**
     * c2c, row form: R (2 inLen x 2 outLen) with R[2c][2r] = Mr[r][c], R[2c][2r+1] = Mi[r][c],
     * R[2c+1][2r] = -Mi[r][c], R[2c+1][2r+1] = Mr[r][c]: {@code interleavedRow @ R = M row}.
     */
    private static double[] c2cRow(int n, int lo, int hi, boolean pad, boolean inverse, double scale) {
        double[][] m = c2cMatrix(n, lo, hi, pad, inverse, scale);
        int kept = lo + hi, inLen = pad ? kept : n, outLen = pad ? n : kept;
        int w = 2 * outLen;
        double[] rr = new double[2 * inLen * w];
        for (int r = 0; r < outLen; r++) {
            for (int c = 0; c < inLen; c++) {
                double re = m[0][r * inLen + c], im = m[1][r * inLen + c];
                rr[2 * c * w + 2 * r] = re;
                rr[2 * c * w + 2 * r + 1] = im;
                rr[(2 * c + 1) * w + 2 * r] = -im;
                rr[(2 * c + 1) * w + 2 * r + 1] = re;
            }
        }
        return rr;
    }

    // ---- transforms -----------------------------------------------------------------------------

    /** r2c of {@code outer} contiguous rows: {@code y (outer x 2 bins) = x (outer x n) @ D}. */
    static void r2c(CpuBuffer x, CpuBuffer y, int outer, int n, int bins, boolean herm, double scale) {
        boolean dbl = x.dtype.isDouble();
        Object d = cached(new Key('r', n, bins, 0, herm, false, scale, dbl), () -> r2cRow(n, bins, herm, scale));
        if (dbl) Dgemm.gemm(false, false, 1, outer, 2 * bins, n, 1.0, x.d, 0, 0, (double[]) d, 0, 0, 0.0, y.d, 0, 0);
        else Sgemm.gemm(false, false, 1, outer, 2 * bins, n, 1f, x.f, 0, 0, (float[]) d, 0, 0, 0f, y.f, 0, 0);
    }

    /** c2r of {@code outer} contiguous rows: {@code y (outer x n) = z (outer x 2 bins) @ E}. */
    static void c2r(CpuBuffer z, CpuBuffer y, int outer, int n, int bins, boolean herm, double scale) {
        boolean dbl = z.dtype.isDouble();
        Object e = cached(new Key('c', n, bins, 0, herm, false, scale, dbl), () -> c2rRow(n, bins, herm, scale));
        if (dbl) Dgemm.gemm(false, false, 1, outer, n, 2 * bins, 1.0, z.d, 0, 0, (double[]) e, 0, 0, 0.0, y.d, 0, 0);
        else Sgemm.gemm(false, false, 1, outer, n, 2 * bins, 1f, z.f, 0, 0, (float[]) e, 0, 0, 0f, y.f, 0, 0);
    }

    /** c2c of {@code outer} contiguous rows: {@code y (outer x 2 outLen) = x (outer x 2 inLen) @ R}. */
    static void c2c(CpuBuffer x, CpuBuffer y, int outer, int n, int lo, int hi, boolean pad, boolean inverse, double scale) {
        boolean dbl = x.dtype.isDouble();
        int kept = lo + hi, inLen = pad ? kept : n, outLen = pad ? n : kept;
        Object r = cached(new Key('z', n, lo, hi, pad, inverse, scale, dbl), () -> c2cRow(n, lo, hi, pad, inverse, scale));
        if (dbl) Dgemm.gemm(false, false, 1, outer, 2 * outLen, 2 * inLen, 1.0, x.d, 0, 0, (double[]) r, 0, 0, 0.0, y.d, 0, 0);
        else Sgemm.gemm(false, false, 1, outer, 2 * outLen, 2 * inLen, 1f, x.f, 0, 0, (float[]) r, 0, 0, 0f, y.f, 0, 0);
    }
}
