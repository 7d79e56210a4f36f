package org.opforge.solvers.spectral;

/**
 * In-place radix-2 complex FFT on split real/imaginary {@code double} arrays, with twiddles and
 * the bit-reversal permutation precomputed per size. Forward transform
 * {@code X_k = Σ_n x_n e^{-2πi kn/N}}; the inverse carries the {@code 1/N}. A plan is immutable
 * and may be shared between threads; 2-D transforms take a caller-owned scratch buffer.
 *
 * <p>Written here rather than taken from Hipparchus because {@code FastFourierTransformer}
 * allocates a {@code Complex} per element and has no 2-D transform: on the 64x64 vorticity
 * fields of the Navier-Stokes solver this plan is several times faster (see SolverBench).
 */
public final class Fft {
    private final int n;
    private final int[] reverse;
    private final double[] cos;
    private final double[] sin;

    public Fft(int n) {
        if (n < 1 || Integer.bitCount(n) != 1) {
            throw new IllegalArgumentException("FFT size must be a power of two, got " + n);
        }
        this.n = n;
        int bits = Integer.numberOfTrailingZeros(n);
        reverse = new int[n];
        for (int i = 0; i < n; i++) {
            reverse[i] = bits == 0 ? 0 : Integer.reverse(i) >>> (32 - bits);
        }
        cos = new double[Math.max(1, n / 2)];
        sin = new double[Math.max(1, n / 2)];
        for (int i = 0; i < n / 2; i++) {
            double t = 2 * Math.PI * i / n;
            cos[i] = Math.cos(t);
            sin[i] = Math.sin(t);
        }
    }

    public int size() {
        return n;
    }

    /** Forward transform of the {@code n} contiguous values starting at {@code off}. */
    public void forward(double[] re, double[] im, int off) {
        transform(re, off, im, off, false);
    }

    /** Inverse transform including the {@code 1/n} factor. */
    public void inverse(double[] re, double[] im, int off) {
        transform(re, off, im, off, true);
        scale(re, off, im, off, 1.0 / n);
    }

    /**
     * 2-D transform of a row-major {@code n x n} array (this plan's size on both axes).
     *
     * @param scratch at least {@code 2n} doubles, owned by the calling thread
     */
    public void forward2d(double[] re, double[] im, double[] scratch) {
        transform2d(re, im, scratch, false);
    }

    /** Inverse 2-D transform including the {@code 1/n²} factor. */
    public void inverse2d(double[] re, double[] im, double[] scratch) {
        transform2d(re, im, scratch, true);
    }

    private void transform2d(double[] re, double[] im, double[] scratch, boolean inverse) {
        if (re.length != n * n || im.length != n * n) {
            throw new IllegalArgumentException("2-D FFT expects " + n + "x" + n + " = " + n * n + " values, got " + re.length);
        }
        for (int r = 0; r < n; r++) {
            transform(re, r * n, im, r * n, inverse);
        }
        // columns go through a contiguous buffer: re in scratch[0, n), im in scratch[n, 2n)
        for (int c = 0; c < n; c++) {
            for (int r = 0; r < n; r++) {
                scratch[r] = re[r * n + c];
                scratch[n + r] = im[r * n + c];
            }
            transform(scratch, 0, scratch, n, inverse);
            for (int r = 0; r < n; r++) {
                re[r * n + c] = scratch[r];
                im[r * n + c] = scratch[n + r];
            }
        }
        if (inverse) {
            double s = 1.0 / ((double) n * n);
            for (int i = 0; i < re.length; i++) {
                re[i] *= s;
                im[i] *= s;
            }
        }
    }

    private void scale(double[] re, int reOff, double[] im, int imOff, double s) {
        for (int i = 0; i < n; i++) {
            re[reOff + i] *= s;
            im[imOff + i] *= s;
        }
    }

    /** Unnormalised transform of the values at {@code re[reOff..]}, {@code im[imOff..]}. */
    private void transform(double[] re, int reOff, double[] im, int imOff, boolean inverse) {
        for (int i = 0; i < n; i++) {
            int j = reverse[i];
            if (j > i) {
                double t = re[reOff + i];
                re[reOff + i] = re[reOff + j];
                re[reOff + j] = t;
                t = im[imOff + i];
                im[imOff + i] = im[imOff + j];
                im[imOff + j] = t;
            }
        }
        double sign = inverse ? 1 : -1;
        for (int len = 2; len <= n; len <<= 1) {
            int half = len >> 1;
            int step = n / len;
            for (int start = 0; start < n; start += len) {
                for (int k = 0; k < half; k++) {
                    double wr = cos[k * step];
                    double wi = sign * sin[k * step];
                    int a = start + k;
                    int b = a + half;
                    double br = re[reOff + b];
                    double bi = im[imOff + b];
                    double xr = br * wr - bi * wi;
                    double xi = br * wi + bi * wr;
                    re[reOff + b] = re[reOff + a] - xr;
                    im[imOff + b] = im[imOff + a] - xi;
                    re[reOff + a] += xr;
                    im[imOff + a] += xi;
                }
            }
        }
    }

    /** Signed integer wavenumber of FFT bin {@code i}: {@code 0..n/2-1, -n/2..-1} (the Nyquist bin counted as {@code -n/2}). */
    public static int wavenumber(int i, int n) {
        return i < (n + 1) / 2 ? i : i - n;
    }
}
