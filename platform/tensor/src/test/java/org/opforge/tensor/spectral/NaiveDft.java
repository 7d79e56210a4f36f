package org.opforge.tensor.spectral;

/**
 * Reference transforms by the O(n^2) definition in double precision, on interleaved complex arrays
 * laid out (outer, n, inner); angles are reduced exactly (k t mod n) before the cosine.
 */
final class NaiveDft {
    private NaiveDft() {}

    /** y[k] = scale sum_t x[t] exp(sign 2 pi i k t / n). */
    static double[] dft(double[] x, int outer, int n, int inner, int sign, double scale) {
        double[] y = new double[x.length];
        for (int o = 0; o < outer; o++) {
            for (int c = 0; c < inner; c++) {
                for (int k = 0; k < n; k++) {
                    double sr = 0, si = 0;
                    for (int t = 0; t < n; t++) {
                        double a = sign * 2 * Math.PI * (((long) k * t) % n) / n;
                        double cr = Math.cos(a), ci = Math.sin(a);
                        int i = 2 * ((o * n + t) * inner + c);
                        sr += x[i] * cr - x[i + 1] * ci;
                        si += x[i] * ci + x[i + 1] * cr;
                    }
                    int j = 2 * ((o * n + k) * inner + c);
                    y[j] = scale * sr;
                    y[j + 1] = scale * si;
                }
            }
        }
        return y;
    }

    /** Real x (outer, n, inner) to interleaved complex (outer, n, inner). */
    static double[] complexOf(double[] x) {
        double[] z = new double[2 * x.length];
        for (int i = 0; i < x.length; i++) z[2 * i] = x[i];
        return z;
    }

    /** Bins 0..bins-1 of a full interleaved spectrum (outer, n, inner). */
    static double[] firstBins(double[] z, int outer, int n, int inner, int bins) {
        double[] y = new double[2 * outer * bins * inner];
        for (int o = 0; o < outer; o++) {
            for (int k = 0; k < bins; k++) {
                System.arraycopy(z, 2 * (o * n + k) * inner, y, 2 * (o * bins + k) * inner, 2 * inner);
            }
        }
        return y;
    }

    /**
     * irfft by the definition: y[t] = scale (Re x0 + sum_{0<k<n/2} 2 Re(x_k e^{+}) [+ Re x_{n/2} (-1)^t]),
     * bins beyond those given are zero.
     */
    static double[] irfft(double[] x, int outer, int bins, int inner, int n, double scale) {
        double[] y = new double[outer * n * inner];
        for (int o = 0; o < outer; o++) {
            for (int c = 0; c < inner; c++) {
                for (int t = 0; t < n; t++) {
                    double s = 0;
                    for (int k = 0; k < bins && k <= n / 2; k++) {
                        double a = 2 * Math.PI * (((long) k * t) % n) / n;
                        int i = 2 * ((o * bins + k) * inner + c);
                        double re = x[i] * Math.cos(a) - x[i + 1] * Math.sin(a);
                        boolean edge = k == 0 || 2 * k == n;
                        s += edge ? re : 2 * re;
                    }
                    y[(o * n + t) * inner + c] = scale * s;
                }
            }
        }
        return y;
    }

    static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) m = Math.max(m, Math.abs(v));
        return m;
    }

    static double maxDiff(double[] a, double[] b) {
        if (a.length != b.length) throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }
}
