package org.opforge.cuda;

import java.lang.ref.Reference;
import java.util.HashMap;
import java.util.Map;
import org.opforge.tensor.backend.Buffer;
import org.opforge.tensor.backend.FftKernels;

/**
 * {@link FftKernels} on the device (fft.cu). Every transform is one load mode, a complex DFT of
 * length n along the axis, and one store mode:
 * <ul>
 *   <li>powers of two up to the shared-memory row limit (4096 complex64, 2048 complex128 values):
 *       one fused kernel (load, radix-2 butterflies in shared memory, store);</li>
 *   <li>other lengths up to {@link #DFT_MAX}: the same fused kernel with a direct DFT that computes
 *       only the stored bins (the truncated DFT);</li>
 *   <li>longer powers of two: load into a work buffer, log2 n radix-2 Stockham passes, store;</li>
 *   <li>every other length: Bluestein's chirp-z with a power-of-two convolution of length
 *       {@code m >= 2n - 1}, the chirp and the transformed kernel computed on the host in double.</li>
 * </ul>
 * Twiddle and chirp tables are computed in double on the host (angles reduced exactly first) and
 * cached on the device per length, sign and precision.
 */
final class CudaFft implements FftKernels {
    /** Longest non-power-of-two length done by the direct DFT (n^2 work per lane). */
    static final int DFT_MAX = 128;
    /** Load and store modes of fft.cu. */
    static final int LOAD_C_FULL = 0, LOAD_C_PAD = 1, LOAD_REAL = 2, LOAD_HALF = 3;
    static final int STORE_C_FULL = 0, STORE_C_PRUNE = 1, STORE_BINS = 2, STORE_REAL = 3;
    static final int ALGO_RADIX2 = 0, ALGO_DFT = 1;
    /** Shared-memory budget of one block: 32 KiB of complex values. */
    static final int SMEM_BYTES = 32 * 1024;

    private final CudaBackend be;
    private final Map<String, DeviceAllocator.Block> tables = new HashMap<>();

    CudaFft(CudaBackend backend) {
        this.be = backend;
    }

    private static CudaBuffer buf(Buffer b, String what, boolean complex) {
        CudaBuffer c = CudaBackend.cb(b, "fft kernel");
        if (c.dtype().isComplex() != complex) {
            throw new IllegalArgumentException("fft kernel: " + what + " must be " + (complex ? "complex" : "real") + ", found " + c.dtype());
        }
        return c;
    }

    private static void checkPrecision(CudaBuffer a, CudaBuffer b) {
        if (a.isDouble() != b.isDouble()) {
            throw new IllegalArgumentException("fft kernel: input " + a.dtype() + " and output " + b.dtype() + " differ in precision");
        }
    }

    private static void checkSize(CudaBuffer b, long expected, String what) {
        if (b.numel() != expected) {
            throw new IllegalArgumentException("fft kernel: " + what + " holds " + b.numel() + " elements, expected " + expected);
        }
    }

    private static void checkBins(String op, int n, int bins) {
        if (n < 1 || bins < 1 || bins > n / 2 + 1) {
            throw new IllegalArgumentException(op + ": bins must be in [1, n/2+1] = [1, " + (n / 2 + 1) + "] for n = " + n + ", found " + bins);
        }
    }

    @Override public void c2c(Buffer in, Buffer out, int outer, int n, int inner, int lo, int hi, boolean pad, boolean inverse, double scale) {
        CudaBuffer x = buf(in, "c2c input", true), y = buf(out, "c2c output", true);
        checkPrecision(x, y);
        int kept = FftKernels.keptFrequencies(n, lo, hi);
        checkSize(x, (long) outer * (pad ? kept : n) * inner, "c2c input");
        checkSize(y, (long) outer * (pad ? n : kept) * inner, "c2c output");
        int load = pad ? LOAD_C_PAD : LOAD_C_FULL;
        int store = pad || kept == n && hi == 0 ? STORE_C_FULL : STORE_C_PRUNE;
        transform(x, y, outer, n, inner, lo, hi, 0, false, load, store, inverse ? 1 : -1, scale);
    }

    @Override public void r2c(Buffer in, Buffer out, int outer, int n, int inner, int bins, boolean hermitianWeights, double scale) {
        CudaBuffer x = buf(in, "r2c input", false), y = buf(out, "r2c output", true);
        checkPrecision(x, y);
        checkBins("r2c", n, bins);
        checkSize(x, (long) outer * n * inner, "r2c input");
        checkSize(y, (long) outer * bins * inner, "r2c output");
        transform(x, y, outer, n, inner, 0, 0, bins, hermitianWeights, LOAD_REAL, STORE_BINS, -1, scale);
    }

    @Override public void c2r(Buffer in, Buffer out, int outer, int n, int inner, int bins, boolean hermitianWeights, double scale) {
        CudaBuffer x = buf(in, "c2r input", true), y = buf(out, "c2r output", false);
        checkPrecision(x, y);
        checkBins("c2r", n, bins);
        checkSize(x, (long) outer * bins * inner, "c2r input");
        checkSize(y, (long) outer * n * inner, "c2r output");
        transform(x, y, outer, n, inner, 0, 0, bins, hermitianWeights, LOAD_HALF, STORE_REAL, 1, scale);
    }

    /** The 9 words of fft.cu's FftShape. */
    private static long[] shape(long outer, long n, long inner, long lo, long hi, long bins, boolean herm, int load, int store) {
        return new long[] {outer, n, inner, lo, hi, bins, herm ? 1 : 0, load, store};
    }

    private void transform(CudaBuffer x, CudaBuffer y, int outer, int n, int inner, int lo, int hi, int bins, boolean herm,
                           int load, int store, int sign, double scale) {
        synchronized (be) {
            long lanes = (long) outer * inner;
            if (lanes == 0) return;
            boolean dbl = x.isDouble();
            String p = dbl ? "f64" : "f32";
            int cbytes = dbl ? 16 : 8, rowLimit = SMEM_BYTES / cbytes;
            boolean pow2 = Integer.bitCount(n) == 1;
            long[] s = shape(outer, n, inner, lo, hi, bins, herm, load, store);
            if (pow2 && n <= rowLimit) {
                smem(p, x.address(), y.address(), s, lanes, n, scale, table("r2", n, sign, dbl), ALGO_RADIX2, rowLimit, cbytes);
            } else if (!pow2 && n <= DFT_MAX) {
                smem(p, x.address(), y.address(), s, lanes, n, scale, table("dft", n, sign, dbl), ALGO_DFT, rowLimit, cbytes);
            } else if (pow2) {
                DeviceAllocator.Block w1 = be.scratch(lanes * n * cbytes), w2 = be.scratch(lanes * n * cbytes);
                be.launch1d("fft_load_" + p, lanes * n, new KernelArgs().ptr(x.address()).ptr(w1.address).struct(s).i64(n).ptr(0));
                long res = rows(p, w1.address, w2.address, lanes, n, sign, dbl, rowLimit, cbytes);
                be.launch1d("fft_store_" + p, lanes * n,
                        new KernelArgs().ptr(res).ptr(y.address()).struct(s).i64(n).f64(scale).ptr(0).i32(0));
                be.releaseScratch(w1);
                be.releaseScratch(w2);
            } else {
                int m = Integer.highestOneBit(2 * n - 1);
                if (m < 2 * n - 1) m <<= 1;
                long chirp = table("chirp", n, sign, dbl), bhat = table("bhat", n, sign, dbl);
                DeviceAllocator.Block w1 = be.scratch(lanes * m * cbytes), w2 = be.scratch(lanes * m * cbytes);
                be.launch1d("fft_load_" + p, lanes * m, new KernelArgs().ptr(x.address()).ptr(w1.address).struct(s).i64(m).ptr(chirp));
                long a = rows(p, w1.address, w2.address, lanes, m, -1, dbl, rowLimit, cbytes);
                be.launch1d("fft_pointwise_" + p, lanes * m, new KernelArgs().ptr(a).i64(lanes).i64(m).ptr(bhat).i32(1));
                long other = a == w1.address ? w2.address : w1.address;
                long r = rows(p, a, other, lanes, m, -1, dbl, rowLimit, cbytes);
                be.launch1d("fft_store_" + p, lanes * m,
                        new KernelArgs().ptr(r).ptr(y.address()).struct(s).i64(m).f64(scale / m).ptr(chirp).i32(1));
                be.releaseScratch(w1);
                be.releaseScratch(w2);
            }
            Reference.reachabilityFence(x);
            Reference.reachabilityFence(y);
        }
    }

    /** The fused shared-memory kernel over all lanes. */
    private void smem(String p, long in, long out, long[] s, long lanes, int n, double scale, long tw, int algo, int rowLimit, int cbytes) {
        int lb = (int) Math.max(1, Math.min(Math.min(rowLimit / n, 64), lanes));
        long blocks = Math.min((lanes + lb - 1) / lb, be.maxGrid());
        be.launch("fft_smem_" + p, (int) blocks, 1, 1, CudaBackend.BLOCK, lb * n * cbytes,
                new KernelArgs().ptr(in).ptr(out).struct(s).f64(scale).ptr(tw).i32(algo).i32(lb).i32(Integer.numberOfTrailingZeros(n)));
    }

    /**
     * Unscaled DFTs with {@code sign} of {@code lanes} contiguous complex rows of power-of-two length
     * {@code m}, from {@code src} (which may be overwritten) using {@code other} as the second buffer;
     * returns the address holding the result.
     */
    private long rows(String p, long src, long other, long lanes, int m, int sign, boolean dbl, int rowLimit, int cbytes) {
        long tw = table("r2", m, sign, dbl);
        if (m <= rowLimit) {
            smem(p, src, other, shape(lanes, m, 1, m, 0, 0, false, LOAD_C_FULL, STORE_C_FULL), lanes, m, 1.0, tw, ALGO_RADIX2, rowLimit, cbytes);
            return other;
        }
        long a = src, b = other;
        for (long ns = 1; ns < m; ns <<= 1) {
            be.launch1d("fft_stockham_" + p, lanes * (m / 2), new KernelArgs().ptr(a).ptr(b).i64(lanes).i64(m).i64(ns).ptr(tw));
            long t = a;
            a = b;
            b = t;
        }
        return a;
    }

    /**
     * A cached device table for length n and sign: "r2" exp(sign 2 pi i q/n), q < n/2; "dft" the same
     * for q < n; "chirp" exp(sign i pi t^2/n), t < n; "bhat" the power-of-two DFT of the conjugate
     * chirp wrapped to length m (Bluestein's convolution kernel).
     */
    private long table(String kind, int n, int sign, boolean dbl) {
        String key = kind + ":" + n + ":" + sign + ":" + (dbl ? 64 : 32);
        DeviceAllocator.Block b = tables.get(key);
        if (b != null) return b.address;
        double[] v = switch (kind) {
            case "r2" -> twiddles(n, Math.max(1, n / 2), sign);
            case "dft" -> twiddles(n, n, sign);
            case "chirp" -> chirp(n, sign);
            case "bhat" -> bluesteinKernel(n, sign);
            default -> throw new IllegalArgumentException(kind);
        };
        b = be.scratch((long) v.length * (dbl ? 8 : 4));
        if (dbl) be.upload(b.address, v);
        else {
            float[] f = new float[v.length];
            for (int i = 0; i < f.length; i++) f[i] = (float) v[i];
            be.upload(b.address, f);
        }
        tables.put(key, b);
        return b.address;
    }

    /** exp(2 pi i num / den) with the numerator reduced first, so large arguments stay exact (as the CPU plans). */
    static double[] unit(long num, long den) {
        long r = Math.floorMod(num, den);
        if (2 * r > den) r -= den;
        double a = 2 * Math.PI * r / den;
        return new double[] {Math.cos(a), Math.sin(a)};
    }

    /** Interleaved exp(sign 2 pi i q / n) for q < count. */
    static double[] twiddles(int n, int count, int sign) {
        double[] t = new double[2 * count];
        for (int q = 0; q < count; q++) {
            double[] w = unit((long) sign * q, n);
            t[2 * q] = w[0];
            t[2 * q + 1] = w[1];
        }
        return t;
    }

    /** Interleaved c_t = exp(sign i pi t^2 / n) = exp(2 pi i sign (t^2 mod 2n) / 2n), t < n. */
    static double[] chirp(int n, int sign) {
        double[] c = new double[2 * n];
        for (int t = 0; t < n; t++) {
            long t2 = ((long) t * t) % (2L * n);
            double[] w = unit(sign * t2, 2L * n);
            c[2 * t] = w[0];
            c[2 * t + 1] = w[1];
        }
        return c;
    }

    /** FFT_m of b, b_t = b_{m-t} = conj(c_t) for t < n, zero elsewhere (interleaved, length m). */
    static double[] bluesteinKernel(int n, int sign) {
        int m = Integer.highestOneBit(2 * n - 1);
        if (m < 2 * n - 1) m <<= 1;
        double[] c = chirp(n, sign);
        double[] re = new double[m], im = new double[m];
        for (int t = 0; t < n; t++) {
            re[t] = c[2 * t];
            im[t] = -c[2 * t + 1];
            if (t > 0) {
                re[m - t] = re[t];
                im[m - t] = im[t];
            }
        }
        fftInPlace(re, im);
        double[] out = new double[2 * m];
        for (int k = 0; k < m; k++) {
            out[2 * k] = re[k];
            out[2 * k + 1] = im[k];
        }
        return out;
    }

    /** Forward radix-2 FFT on the host (power-of-two length), iterative, in double. */
    static void fftInPlace(double[] re, double[] im) {
        int n = re.length;
        for (int i = 1, j = 0; i < n; i++) {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) j ^= bit;
            j ^= bit;
            if (i < j) {
                double t = re[i]; re[i] = re[j]; re[j] = t;
                t = im[i]; im[i] = im[j]; im[j] = t;
            }
        }
        for (int len = 2; len <= n; len <<= 1) {
            for (int k = 0; k < len / 2; k++) {
                double[] w = unit(-k, len);
                for (int s = 0; s < n; s += len) {
                    int a = s + k, b = a + len / 2;
                    double xr = re[b] * w[0] - im[b] * w[1], xi = re[b] * w[1] + im[b] * w[0];
                    re[b] = re[a] - xr;
                    im[b] = im[a] - xi;
                    re[a] += xr;
                    im[a] += xi;
                }
            }
        }
    }

    @Override public void channelMix(Buffer a, boolean transA, boolean conjA, Buffer b, boolean transB, boolean conjB, Buffer out,
                                     int nb, int ni, int no, int modes) {
        CudaBuffer x = buf(a, "channelMix A", true), w = buf(b, "channelMix B", true), y = buf(out, "channelMix output", true);
        checkPrecision(x, w);
        checkPrecision(x, y);
        checkSize(x, (long) nb * ni * modes, "channelMix A");
        checkSize(w, (long) ni * no * modes, "channelMix B");
        checkSize(y, (long) nb * no * modes, "channelMix output");
        synchronized (be) {
            be.launch1d(x.isDouble() ? "channel_mix_c128" : "channel_mix_c64", (long) nb * no * modes,
                    new KernelArgs().ptr(x).ptr(w).ptr(y).i64(nb).i64(ni).i64(no).i64(modes).i32(transA).i32(conjA).i32(transB).i32(conjB));
        }
    }

    /** Returns the cached tables to the allocator. */
    void clearTables() {
        synchronized (be) {
            for (DeviceAllocator.Block b : tables.values()) be.releaseScratch(b);
            tables.clear();
        }
    }
}
