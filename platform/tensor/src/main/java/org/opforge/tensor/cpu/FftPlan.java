package org.opforge.tensor.cpu;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Precomputed tables for the forward complex DFT {@code X_k = sum_t x_t exp(-2 pi i k t / n)} of one
 * length, shared by every transform of that length (plans are cached and immutable).
 *
 * <p>A length whose prime factors are all at most {@link #MAX_DIRECT_RADIX} is done by a mixed-radix
 * Stockham autosort (radices 4, 2, 3, 5 with dedicated butterflies, 7, 11, 13 with a direct one);
 * stage s with radix R after sub-transforms of size L multiplies input r of butterfly k by
 * {@code exp(-2 pi i r k / (L R))}. Any other length uses Bluestein's chirp-z algorithm:
 * {@code X_k = c_k sum_t (x_t c_t) conj(c_{k-t})} with {@code c_t = exp(-i pi t^2 / n)}, a circular
 * convolution of power-of-two length {@code m >= 2n - 1}. Real transforms of even length n use the
 * half-length plan and the post-processing twiddles {@code exp(-2 pi i k / n)}, k <= n/2.
 *
 * <p>Tables exist in both precisions (suffix 32 / 64) so the float kernels do not convert.
 */
final class FftPlan {
    static final int MAX_DIRECT_RADIX = 13;
    private static final ConcurrentHashMap<Integer, FftPlan> CACHE = new ConcurrentHashMap<>();

    final int n;
    /** Radices of the Stockham stages in order (empty for n = 1 and for Bluestein lengths). */
    final int[] radices;
    /** Per stage: twiddles exp(-2 pi i r k / (L R)) at index k (R-1) + r - 1. */
    final float[][] twr32, twi32;
    final double[][] twr64, twi64;
    /** Per stage with a generic radix: cos / sin of 2 pi j / R, j < R (null for dedicated radices). */
    final float[][] gcos32, gsin32;
    final double[][] gcos64, gsin64;

    /** Bluestein: convolution length, its plan, the chirp c_t and conj(FFT(b)) / m. Null when direct. */
    final FftPlan conv;
    final float[] chr32, chi32, bkr32, bki32;
    final double[] chr64, chi64, bkr64, bki64;

    /** Even n: post-processing twiddles exp(-2 pi i k / n), k <= n/2, of the real transform. */
    final float[] rwr32, rwi32;
    final double[] rwr64, rwi64;

    static FftPlan of(int n) {
        if (n < 1) throw new IllegalArgumentException("FFT length must be >= 1, found " + n);
        FftPlan p = CACHE.get(n);
        if (p == null) {
            p = new FftPlan(n);
            FftPlan prev = CACHE.putIfAbsent(n, p);
            if (prev != null) p = prev;
        }
        return p;
    }

    /** The plan of n / 2 for the real transform of an even length n. */
    FftPlan half() {
        return of(n / 2);
    }

    private FftPlan(int n) {
        this.n = n;
        int[] factors = factor(n);
        boolean direct = factors != null;
        if (direct) {
            radices = factors;
            int stages = radices.length;
            twr32 = new float[stages][];
            twi32 = new float[stages][];
            twr64 = new double[stages][];
            twi64 = new double[stages][];
            gcos32 = new float[stages][];
            gsin32 = new float[stages][];
            gcos64 = new double[stages][];
            gsin64 = new double[stages][];
            int l = 1;
            for (int s = 0; s < stages; s++) {
                int r = radices[s];
                double[] tr = new double[l * (r - 1)], ti = new double[l * (r - 1)];
                for (int k = 0; k < l; k++) {
                    for (int q = 1; q < r; q++) {
                        double[] w = unit(-(long) q * k, (long) l * r);
                        tr[k * (r - 1) + q - 1] = w[0];
                        ti[k * (r - 1) + q - 1] = w[1];
                    }
                }
                twr64[s] = tr;
                twi64[s] = ti;
                twr32[s] = toFloat(tr);
                twi32[s] = toFloat(ti);
                if (r > 5) {
                    double[] c = new double[r], sn = new double[r];
                    for (int j = 0; j < r; j++) {
                        double[] w = unit(j, r);
                        c[j] = w[0];
                        sn[j] = w[1];
                    }
                    gcos64[s] = c;
                    gsin64[s] = sn;
                    gcos32[s] = toFloat(c);
                    gsin32[s] = toFloat(sn);
                }
                l *= r;
            }
            conv = null;
            chr32 = chi32 = bkr32 = bki32 = null;
            chr64 = chi64 = bkr64 = bki64 = null;
        } else {
            radices = new int[0];
            twr32 = twi32 = gcos32 = gsin32 = null;
            twr64 = twi64 = gcos64 = gsin64 = null;
            int m = Integer.highestOneBit(2 * n - 1);
            if (m < 2 * n - 1) m <<= 1;
            conv = of(m);
            chr64 = new double[n];
            chi64 = new double[n];
            for (int t = 0; t < n; t++) {
                // t^2 mod 2n keeps the angle small, so the chirp is accurate for large n
                long t2 = ((long) t * t) % (2L * n);
                double[] w = unit(-t2, 2L * n);
                chr64[t] = w[0];
                chi64[t] = w[1];
            }
            double[] br = new double[m], bi = new double[m];
            br[0] = chr64[0];
            bi[0] = -chi64[0];
            for (int t = 1; t < n; t++) {
                br[t] = br[m - t] = chr64[t];
                bi[t] = bi[m - t] = -chi64[t];
            }
            double[] fr = new double[m], fi = new double[m];
            naiveOrFast(conv, br, bi, fr, fi);
            bkr64 = new double[m];
            bki64 = new double[m];
            for (int k = 0; k < m; k++) {
                bkr64[k] = fr[k] / m;
                bki64[k] = -fi[k] / m;
            }
            chr32 = toFloat(chr64);
            chi32 = toFloat(chi64);
            bkr32 = toFloat(bkr64);
            bki32 = toFloat(bki64);
        }
        if (n % 2 == 0) {
            rwr64 = new double[n / 2 + 1];
            rwi64 = new double[n / 2 + 1];
            for (int k = 0; k <= n / 2; k++) {
                double[] w = unit(-k, n);
                rwr64[k] = w[0];
                rwi64[k] = w[1];
            }
            rwr32 = toFloat(rwr64);
            rwi32 = toFloat(rwi64);
        } else {
            rwr32 = rwi32 = null;
            rwr64 = rwi64 = null;
        }
    }

    /** The forward DFT of one double sequence with an already built direct plan (for the Bluestein kernel). */
    private static void naiveOrFast(FftPlan p, double[] xr, double[] xi, double[] yr, double[] yi) {
        double[] ar = xr.clone(), ai = xi.clone(), br = new double[xr.length], bi = new double[xr.length];
        boolean inB = DoubleFft.stockham(p, ar, ai, br, bi, 1);
        System.arraycopy(inB ? br : ar, 0, yr, 0, yr.length);
        System.arraycopy(inB ? bi : ai, 0, yi, 0, yi.length);
    }

    /** exp(2 pi i num / den) with the numerator reduced first, so large arguments stay exact. */
    static double[] unit(long num, long den) {
        long r = Math.floorMod(num, den);
        // use the symmetric range (-den/2, den/2] for accuracy
        if (2 * r > den) r -= den;
        double a = 2 * Math.PI * r / den;
        return new double[] {Math.cos(a), Math.sin(a)};
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }

    /** Radices for a direct plan (4s first, then 2, 3, 5, 7, 11, 13), or null when a larger prime divides n. */
    static int[] factor(int n) {
        List<Integer> f = new ArrayList<>();
        int m = n;
        while (m % 4 == 0) { f.add(4); m /= 4; }
        while (m % 2 == 0) { f.add(2); m /= 2; }
        for (int p = 3; p <= MAX_DIRECT_RADIX; p += 2) {
            while (m % p == 0) { f.add(p); m /= p; }
        }
        if (m != 1) return null;
        int[] r = new int[f.size()];
        for (int i = 0; i < r.length; i++) r[i] = f.get(i);
        return r;
    }

    boolean isBluestein() {
        return conv != null;
    }
}
