package org.opforge.tensor.cpu;

/**
 * Double-precision twin of {@link FloatFft}: the same lane kernels, the same layout and the same
 * conventions, on {@code double} arrays and the 64-bit plan tables. Keep the two in step (this file
 * is {@code FloatFft} with {@code float} replaced by {@code double} and table suffix 32 by 64, less
 * FloatFft's calls into its SIMD kernel).
 */
final class DoubleFft {
    private DoubleFft() {}

    /** Per-thread scratch, grown on demand and reused: no allocation per transform. */
    static final class Work {
        double[] ar = new double[0], ai = ar, br = ar, bi = ar, cr = ar, ci = ar, dr = ar, di = ar;

        void ensure(int main, int extra) {
            if (ar.length < main) {
                ar = new double[main];
                ai = new double[main];
                br = new double[main];
                bi = new double[main];
            }
            if (cr.length < extra) {
                cr = new double[extra];
                ci = new double[extra];
                dr = new double[extra];
                di = new double[extra];
            }
        }

        /** Runs of the current lanes (see {@link #runs}) and how many lanes are valid. */
        int[] segs = new int[0];
        int valid;

        int[] segs(int V) {
            if (segs.length < 3 * V) segs = new int[3 * V];
            return segs;
        }
    }

    private static final ThreadLocal<Work> WORK = ThreadLocal.withInitial(Work::new);

    static Work work() {
        return WORK.get();
    }

    /** Scratch sizes (main, Bluestein) for a transform of length n on V lanes, also covering real transforms. */
    static void prepare(Work w, FftPlan p, int V) {
        int main = (p.n + 1) * V;
        int extra = p.isBluestein() ? p.conv.n * V : V;
        w.ensure(main, Math.max(extra, main));
    }

    // ---------------------------------------------------------------------------------------------
    // the transform on lanes
    // ---------------------------------------------------------------------------------------------

    /** Forward DFT of the n x V lanes in {@code w.ar / w.ai}; the result is left there (buffers swapped as needed). */
    static void forward(FftPlan p, Work w, int V) {
        if (p.isBluestein()) {
            bluestein(p, w, V);
            return;
        }
        if (stockham(p, w.ar, w.ai, w.br, w.bi, V)) swapAB(w);
    }

    private static void swapAB(Work w) {
        double[] t = w.ar;
        w.ar = w.br;
        w.br = t;
        t = w.ai;
        w.ai = w.bi;
        w.bi = t;
    }

    /** Stockham autosort stages of a direct plan from x into x/y alternately; true when the result is in y. */
    static boolean stockham(FftPlan p, double[] xr, double[] xi, double[] yr, double[] yi, int V) {
        int n = p.n;
        int l = 1;
        boolean inY = false;
        for (int s = 0; s < p.radices.length; s++) {
            int r = p.radices[s];
            double[] sr = inY ? yr : xr, si = inY ? yi : xi, dr = inY ? xr : yr, di = inY ? xi : yi;
            switch (r) {
                case 2 -> radix2(sr, si, dr, di, n, l, p.twr64[s], p.twi64[s], V);
                case 3 -> radix3(sr, si, dr, di, n, l, p.twr64[s], p.twi64[s], V);
                case 4 -> radix4(sr, si, dr, di, n, l, p.twr64[s], p.twi64[s], V);
                case 5 -> radix5(sr, si, dr, di, n, l, p.twr64[s], p.twi64[s], V);
                default -> radixGeneric(sr, si, dr, di, n, l, r, p.twr64[s], p.twi64[s], p.gcos64[s], p.gsin64[s], V);
            }
            l *= r;
            inY = !inY;
        }
        return inY;
    }

    private static void radix2(double[] xr, double[] xi, double[] yr, double[] yi, int n, int l, double[] twr, double[] twi, int V) {
        int q = n / 2, groups = q / l;
        for (int g = 0; g < groups; g++) {
            for (int k = 0; k < l; k++) {
                int j = g * l + k;
                int i0 = j * V, i1 = (j + q) * V;
                int o0 = (g * l * 2 + k) * V, o1 = o0 + l * V;
                double wr = twr[k], wi = twi[k];
                for (int v = 0; v < V; v++) {
                    double a0r = xr[i0 + v], a0i = xi[i0 + v];
                    double br = xr[i1 + v], bi = xi[i1 + v];
                    double a1r = br * wr - bi * wi, a1i = br * wi + bi * wr;
                    yr[o0 + v] = a0r + a1r;
                    yi[o0 + v] = a0i + a1i;
                    yr[o1 + v] = a0r - a1r;
                    yi[o1 + v] = a0i - a1i;
                }
            }
        }
    }

    private static void radix4(double[] xr, double[] xi, double[] yr, double[] yi, int n, int l, double[] twr, double[] twi, int V) {
        int q = n / 4, groups = q / l;
        for (int g = 0; g < groups; g++) {
            for (int k = 0; k < l; k++) {
                int j = g * l + k;
                int i0 = j * V, i1 = (j + q) * V, i2 = (j + 2 * q) * V, i3 = (j + 3 * q) * V;
                int o0 = (g * l * 4 + k) * V, o1 = o0 + l * V, o2 = o1 + l * V, o3 = o2 + l * V;
                double w1r = twr[3 * k], w1i = twi[3 * k];
                double w2r = twr[3 * k + 1], w2i = twi[3 * k + 1];
                double w3r = twr[3 * k + 2], w3i = twi[3 * k + 2];
                for (int v = 0; v < V; v++) {
                    double a0r = xr[i0 + v], a0i = xi[i0 + v];
                    double b1r = xr[i1 + v], b1i = xi[i1 + v];
                    double b2r = xr[i2 + v], b2i = xi[i2 + v];
                    double b3r = xr[i3 + v], b3i = xi[i3 + v];
                    double a1r = b1r * w1r - b1i * w1i, a1i = b1r * w1i + b1i * w1r;
                    double a2r = b2r * w2r - b2i * w2i, a2i = b2r * w2i + b2i * w2r;
                    double a3r = b3r * w3r - b3i * w3i, a3i = b3r * w3i + b3i * w3r;
                    double t0r = a0r + a2r, t0i = a0i + a2i;
                    double t1r = a0r - a2r, t1i = a0i - a2i;
                    double t2r = a1r + a3r, t2i = a1i + a3i;
                    // (a1 - a3) * (-i)
                    double t3r = a1i - a3i, t3i = a3r - a1r;
                    yr[o0 + v] = t0r + t2r;
                    yi[o0 + v] = t0i + t2i;
                    yr[o2 + v] = t0r - t2r;
                    yi[o2 + v] = t0i - t2i;
                    yr[o1 + v] = t1r + t3r;
                    yi[o1 + v] = t1i + t3i;
                    yr[o3 + v] = t1r - t3r;
                    yi[o3 + v] = t1i - t3i;
                }
            }
        }
    }

    private static final double S3 = (double) Math.sqrt(0.75);

    private static void radix3(double[] xr, double[] xi, double[] yr, double[] yi, int n, int l, double[] twr, double[] twi, int V) {
        int q = n / 3, groups = q / l;
        double h = (double) 0.5, s = S3;
        for (int g = 0; g < groups; g++) {
            for (int k = 0; k < l; k++) {
                int j = g * l + k;
                int i0 = j * V, i1 = (j + q) * V, i2 = (j + 2 * q) * V;
                int o0 = (g * l * 3 + k) * V, o1 = o0 + l * V, o2 = o1 + l * V;
                double w1r = twr[2 * k], w1i = twi[2 * k];
                double w2r = twr[2 * k + 1], w2i = twi[2 * k + 1];
                for (int v = 0; v < V; v++) {
                    double a0r = xr[i0 + v], a0i = xi[i0 + v];
                    double b1r = xr[i1 + v], b1i = xi[i1 + v];
                    double b2r = xr[i2 + v], b2i = xi[i2 + v];
                    double a1r = b1r * w1r - b1i * w1i, a1i = b1r * w1i + b1i * w1r;
                    double a2r = b2r * w2r - b2i * w2i, a2i = b2r * w2i + b2i * w2r;
                    double t1r = a1r + a2r, t1i = a1i + a2i;
                    double t2r = a0r - h * t1r, t2i = a0i - h * t1i;
                    // (a1 - a2) * (-i sqrt(3)/2)
                    double t3r = s * (a1i - a2i), t3i = s * (a2r - a1r);
                    yr[o0 + v] = a0r + t1r;
                    yi[o0 + v] = a0i + t1i;
                    yr[o1 + v] = t2r + t3r;
                    yi[o1 + v] = t2i + t3i;
                    yr[o2 + v] = t2r - t3r;
                    yi[o2 + v] = t2i - t3i;
                }
            }
        }
    }

    private static final double C51 = (double) Math.cos(2 * Math.PI / 5), C52 = (double) Math.cos(4 * Math.PI / 5);
    private static final double S51 = (double) Math.sin(2 * Math.PI / 5), S52 = (double) Math.sin(4 * Math.PI / 5);

    private static void radix5(double[] xr, double[] xi, double[] yr, double[] yi, int n, int l, double[] twr, double[] twi, int V) {
        int q = n / 5, groups = q / l;
        double c1 = C51, c2 = C52, s1 = S51, s2 = S52;
        for (int g = 0; g < groups; g++) {
            for (int k = 0; k < l; k++) {
                int j = g * l + k;
                int i0 = j * V, i1 = (j + q) * V, i2 = (j + 2 * q) * V, i3 = (j + 3 * q) * V, i4 = (j + 4 * q) * V;
                int o0 = (g * l * 5 + k) * V, o1 = o0 + l * V, o2 = o1 + l * V, o3 = o2 + l * V, o4 = o3 + l * V;
                double w1r = twr[4 * k], w1i = twi[4 * k], w2r = twr[4 * k + 1], w2i = twi[4 * k + 1];
                double w3r = twr[4 * k + 2], w3i = twi[4 * k + 2], w4r = twr[4 * k + 3], w4i = twi[4 * k + 3];
                for (int v = 0; v < V; v++) {
                    double a0r = xr[i0 + v], a0i = xi[i0 + v];
                    double e1r = xr[i1 + v], e1i = xi[i1 + v];
                    double e2r = xr[i2 + v], e2i = xi[i2 + v];
                    double e3r = xr[i3 + v], e3i = xi[i3 + v];
                    double e4r = xr[i4 + v], e4i = xi[i4 + v];
                    double a1r = e1r * w1r - e1i * w1i, a1i = e1r * w1i + e1i * w1r;
                    double a2r = e2r * w2r - e2i * w2i, a2i = e2r * w2i + e2i * w2r;
                    double a3r = e3r * w3r - e3i * w3i, a3i = e3r * w3i + e3i * w3r;
                    double a4r = e4r * w4r - e4i * w4i, a4i = e4r * w4i + e4i * w4r;
                    double b1r = a1r + a4r, b1i = a1i + a4i, d1r = a1r - a4r, d1i = a1i - a4i;
                    double b2r = a2r + a3r, b2i = a2i + a3i, d2r = a2r - a3r, d2i = a2i - a3i;
                    double p1r = a0r + c1 * b1r + c2 * b2r, p1i = a0i + c1 * b1i + c2 * b2i;
                    double p2r = a0r + c2 * b1r + c1 * b2r, p2i = a0i + c2 * b1i + c1 * b2i;
                    double f1r = s1 * d1r + s2 * d2r, f1i = s1 * d1i + s2 * d2i;
                    double f2r = s2 * d1r - s1 * d2r, f2i = s2 * d1i - s1 * d2i;
                    yr[o0 + v] = a0r + b1r + b2r;
                    yi[o0 + v] = a0i + b1i + b2i;
                    // y1 = p1 - i f1, y4 = p1 + i f1, y2 = p2 - i f2, y3 = p2 + i f2
                    yr[o1 + v] = p1r + f1i;
                    yi[o1 + v] = p1i - f1r;
                    yr[o4 + v] = p1r - f1i;
                    yi[o4 + v] = p1i + f1r;
                    yr[o2 + v] = p2r + f2i;
                    yi[o2 + v] = p2i - f2r;
                    yr[o3 + v] = p2r - f2i;
                    yi[o3 + v] = p2i + f2r;
                }
            }
        }
    }

    /** Direct O(R^2) butterfly for the radices 7, 11, 13. */
    private static void radixGeneric(double[] xr, double[] xi, double[] yr, double[] yi, int n, int l, int r,
                                     double[] twr, double[] twi, double[] gc, double[] gs, int V) {
        int q = n / r, groups = q / l;
        double[] ar = new double[r * V], ai = new double[r * V];
        for (int g = 0; g < groups; g++) {
            for (int k = 0; k < l; k++) {
                int j = g * l + k;
                for (int v = 0; v < V; v++) {
                    ar[v] = xr[j * V + v];
                    ai[v] = xi[j * V + v];
                }
                for (int m = 1; m < r; m++) {
                    double wr = twr[k * (r - 1) + m - 1], wi = twi[k * (r - 1) + m - 1];
                    int in = (j + m * q) * V;
                    for (int v = 0; v < V; v++) {
                        double br = xr[in + v], bi = xi[in + v];
                        ar[m * V + v] = br * wr - bi * wi;
                        ai[m * V + v] = br * wi + bi * wr;
                    }
                }
                int o0 = (g * l * r + k) * V;
                for (int f = 0; f < r; f++) {
                    int out = o0 + f * l * V;
                    for (int v = 0; v < V; v++) {
                        yr[out + v] = ar[v];
                        yi[out + v] = ai[v];
                    }
                    for (int m = 1; m < r; m++) {
                        int e = (int) ((long) m * f % r);
                        // exp(-2 pi i e / r) = cos - i sin
                        double c = gc[e], s = gs[e];
                        int src = m * V;
                        for (int v = 0; v < V; v++) {
                            double br = ar[src + v], bi = ai[src + v];
                            yr[out + v] += br * c + bi * s;
                            yi[out + v] += bi * c - br * s;
                        }
                    }
                }
            }
        }
    }

    /** Bluestein: chirp, power-of-two circular convolution (two direct transforms), chirp. */
    private static void bluestein(FftPlan p, Work w, int V) {
        int n = p.n, m = p.conv.n;
        double[] chr = p.chr64, chi = p.chi64, bkr = p.bkr64, bki = p.bki64;
        double[] cr = w.cr, ci = w.ci;
        for (int t = 0; t < n; t++) {
            double c = chr[t], s = chi[t];
            int o = t * V;
            for (int v = 0; v < V; v++) {
                double xr = w.ar[o + v], xi = w.ai[o + v];
                cr[o + v] = xr * c - xi * s;
                ci[o + v] = xr * s + xi * c;
            }
        }
        java.util.Arrays.fill(cr, n * V, m * V, 0);
        java.util.Arrays.fill(ci, n * V, m * V, 0);
        boolean inD = stockham(p.conv, cr, ci, w.dr, w.di, V);
        double[] sr = inD ? w.dr : cr, si = inD ? w.di : ci;
        // conj(A) * conj(B^)/m, so the second forward transform yields conj of the convolution
        for (int k = 0; k < m; k++) {
            double br = bkr[k], bi = bki[k];
            int o = k * V;
            for (int v = 0; v < V; v++) {
                double xr = sr[o + v], xi = -si[o + v];
                sr[o + v] = xr * br - xi * bi;
                si[o + v] = xr * bi + xi * br;
            }
        }
        double[] or = inD ? cr : w.dr, oi = inD ? ci : w.di;
        boolean second = stockham(p.conv, sr, si, or, oi, V);
        double[] qr = second ? or : sr, qi = second ? oi : si;
        for (int t = 0; t < n; t++) {
            double c = chr[t], s = chi[t];
            int o = t * V;
            for (int v = 0; v < V; v++) {
                double xr = qr[o + v], xi = -qi[o + v];
                w.ar[o + v] = xr * c - xi * s;
                w.ai[o + v] = xr * s + xi * c;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // strided tensors <-> lanes
    // ---------------------------------------------------------------------------------------------

    /**
     * The valid lanes {@code first .. min(first + V, lanes) - 1} (lane = outer index x inner + column;
     * {@code lanes} is the end of those the chunk may cover) as runs of neighbours in memory:
     * run r holds lanes {@code seg[3r] .. seg[3r] + seg[3r+1] - 1}, whose element t = 0 sits at offset
     * {@code seg[3r+2]} (in elements) of a tensor whose transformed axis has length {@code len}. Sets
     * {@code w.valid} and returns the number of runs. For inner = 1 every lane is a run of one (its
     * elements are contiguous along the axis instead), for inner > 1 runs end at outer boundaries.
     */
    private static int runs(Work w, int V, int first, int lanes, int inner, int len) {
        int[] seg = w.segs(V);
        int valid = Math.max(0, Math.min(V, lanes - first));
        int count = 0;
        for (int v = 0; v < valid; ) {
            int lane = first + v;
            int o = lane / inner, c = lane - o * inner;
            int run = Math.min(valid - v, inner - c);
            seg[3 * count] = v;
            seg[3 * count + 1] = run;
            seg[3 * count + 2] = o * len * inner + c;
            count++;
            v += run;
        }
        w.valid = valid;
        return count;
    }

    /**
     * Interleaved complex elements t0 <= t < t1 of the runs (axis stride inner) into lane rows t + shift
     * of (ar, ai), imaginary parts times sg. The loops run along memory on the tensor side: along each
     * lane's elements for inner = 1, along the lanes of a run otherwise.
     */
    private static void gatherComplex(int[] seg, int runs, int inner, double[] in, double[] ar, double[] ai, int V,
                                      int t0, int t1, int shift, double sg) {
        if (t0 >= t1) return;
        if (inner == 1) {
            for (int r = 0; r < runs; r++) {
                int s = 2 * (seg[3 * r + 2] + t0), d = (t0 + shift) * V + seg[3 * r];
                for (int t = t0; t < t1; t++, s += 2, d += V) {
                    ar[d] = in[s];
                    ai[d] = sg * in[s + 1];
                }
            }
            return;
        }
        for (int t = t0; t < t1; t++) {
            int row = (t + shift) * V, off = 2 * t * inner;
            for (int r = 0; r < runs; r++) {
                int d = row + seg[3 * r], len = seg[3 * r + 1], s = 2 * seg[3 * r + 2] + off;
                for (int u = 0; u < len; u++) {
                    ar[d + u] = in[s + 2 * u];
                    ai[d + u] = sg * in[s + 2 * u + 1];
                }
            }
        }
    }

    /** Lane rows t + shift of (ar, ai), times (sr, si), to the interleaved complex elements t0 <= t < t1 of the runs. */
    private static void scatterComplex(int[] seg, int runs, int inner, double[] ar, double[] ai, double[] out, int V,
                                       int t0, int t1, int shift, double sr, double si) {
        if (t0 >= t1) return;
        if (inner == 1) {
            for (int r = 0; r < runs; r++) {
                int d = 2 * (seg[3 * r + 2] + t0), s = (t0 + shift) * V + seg[3 * r];
                for (int t = t0; t < t1; t++, d += 2, s += V) {
                    out[d] = sr * ar[s];
                    out[d + 1] = si * ai[s];
                }
            }
            return;
        }
        for (int t = t0; t < t1; t++) {
            int row = (t + shift) * V, off = 2 * t * inner;
            for (int r = 0; r < runs; r++) {
                int s = row + seg[3 * r], len = seg[3 * r + 1], d = 2 * seg[3 * r + 2] + off;
                for (int u = 0; u < len; u++) {
                    out[d + 2 * u] = sr * ar[s + u];
                    out[d + 2 * u + 1] = si * ai[s + u];
                }
            }
        }
    }

    /**
     * Complex transform of the lanes {@code first .. first+V-1} (of outer*inner) with pruning, see
     * {@code FftKernels.c2c}. {@code in} / {@code out} are interleaved complex.
     */
    static void c2c(FftPlan p, Work w, int V, int first, int lanes, double[] in, double[] out, int inner, int lo, int hi,
                    boolean pad, boolean inverse, double scale) {
        int n = p.n, kept = lo + hi;
        int inLen = pad ? kept : n, outLen = pad ? n : kept;
        double[] ar = w.ar, ai = w.ai;
        int runs = runs(w, V, first, lanes, inner, inLen);
        // lanes past the valid ones keep stale values: transformed along, never written out
        if (pad && kept < n) {
            java.util.Arrays.fill(ar, lo * V, (n - hi) * V, 0);
            java.util.Arrays.fill(ai, lo * V, (n - hi) * V, 0);
        }
        double sg = inverse ? -1 : 1;
        // kept input t goes to row t below lo, to row n - kept + t from lo on (high frequencies)
        int split = pad ? lo : inLen;
        gatherComplex(w.segs, runs, inner, in, ar, ai, V, 0, split, 0, sg);
        gatherComplex(w.segs, runs, inner, in, ar, ai, V, split, inLen, n - kept, sg);
        forward(p, w, V);
        runs = runs(w, V, first, lanes, inner, outLen);
        split = pad ? outLen : lo;
        scatterComplex(w.segs, runs, inner, w.ar, w.ai, out, V, 0, split, 0, scale, sg * scale);
        scatterComplex(w.segs, runs, inner, w.ar, w.ai, out, V, split, outLen, n - kept, scale, sg * scale);
    }

    /** Real-to-complex transform of V lanes, see {@code FftKernels.r2c}. */
    static void r2c(FftPlan p, Work w, int V, int first, int lanes, double[] in, double[] out, int inner, int bins,
                    boolean hermitian, double scale) {
        int n = p.n;
        boolean even = n % 2 == 0 && n > 1;
        FftPlan f = even ? p.half() : p;
        int len = f.n;
        double[] ar = w.ar, ai = w.ai;
        int runs = runs(w, V, first, lanes, inner, n);
        int[] seg = w.segs;
        // lanes past the valid ones keep stale values: transformed along, never written out
        if (!even) java.util.Arrays.fill(ai, 0, len * V, 0);
        // even n: z_t = x_2t + i x_2t+1, a complex sequence of length n / 2
        int pair = even ? 2 : 1;
        if (inner == 1) {
            for (int r = 0; r < runs; r++) {
                int s = seg[3 * r + 2], d = seg[3 * r];
                if (even) {
                    for (int t = 0; t < len; t++, s += 2, d += V) {
                        ar[d] = in[s];
                        ai[d] = in[s + 1];
                    }
                } else {
                    for (int t = 0; t < len; t++, s++, d += V) ar[d] = in[s];
                }
            }
        } else {
            for (int t = 0; t < len; t++) {
                int row = t * V, off = pair * t * inner;
                for (int r = 0; r < runs; r++) {
                    int d = row + seg[3 * r], rl = seg[3 * r + 1], s = seg[3 * r + 2] + off;
                    System.arraycopy(in, s, ar, d, rl);
                    if (even) System.arraycopy(in, s + inner, ai, d, rl);
                }
            }
        }
        forward(f, w, V);
        ar = w.ar;
        ai = w.ai;
        int half = n / 2;
        double[] xr = w.cr, xi = w.ci;
        // post-processing into planar bins, bins outer and lanes inner
        for (int k = 0; k < bins; k++) {
            boolean edge = k == 0 || (even && k == half);
            double wk = hermitian && !edge ? 2 * scale : scale;
            int o = k * V;
            if (even) {
                int k1 = (k == len ? 0 : k) * V, k2 = (k == 0 ? 0 : len - k) * V;
                double wr = 0.5 * wk * p.rwr64[k], wi = 0.5 * wk * p.rwi64[k], h = 0.5 * wk;
                r2cPost(ar, ai, xr, xi, k1, k2, o, h, wr, wi, V);
            } else {
                for (int v = 0; v < V; v++) {
                    xr[o + v] = wk * ar[o + v];
                    xi[o + v] = wk * ai[o + v];
                }
            }
            if (edge) java.util.Arrays.fill(xi, o, o + V, 0);
        }
        runs = runs(w, V, first, lanes, inner, bins);
        scatterComplex(w.segs, runs, inner, xr, xi, out, V, 0, bins, 0, 1, 1);
    }

    /**
     * One bin k of the even real transform from the half-length transform Z (lanes rows k1 = k mod n/2 and
     * k2 = (n/2 - k) mod n/2): {@code X_k = (E + w O) / 2} with {@code E = Z_k + conj Z_{n/2-k}},
     * {@code O = -i (Z_k - conj Z_{n/2-k})}, {@code w = exp(-2 pi i k / n)}; h = weight / 2 and
     * (wr, wi) = h w.
     */
    static void r2cPost(double[] ar, double[] ai, double[] xr, double[] xi, int k1, int k2, int o, double h, double wr, double wi, int V) {
        for (int v = 0; v < V; v++) {
            double a = ar[k1 + v], bb = ai[k1 + v], cc = ar[k2 + v], d = ai[k2 + v];
            double er = a + cc, ei = bb - d, or = bb + d, oi = cc - a;
            xr[o + v] = h * er + wr * or - wi * oi;
            xi[o + v] = h * ei + wr * oi + wi * or;
        }
    }

    /**
     * One row k of the half-length sequence for the even complex-to-real transform from bins k and
     * n/2 - k (lanes rows k1, k2): {@code Z_k = E + i e^{+2 pi i k / n} D} with {@code E = X_k + conj X_{n/2-k}},
     * {@code D = X_k - conj X_{n/2-k}}, conjugated for the inverse transform; (u, s) = exp(-2 pi i k / n).
     */
    static void c2rPre(double[] xr, double[] xi, double[] ar, double[] ai, int k1, int k2, double u, double s, int V) {
        for (int v = 0; v < V; v++) {
            double a = xr[k1 + v], bb = xi[k1 + v], cc = xr[k2 + v], d = xi[k2 + v];
            double er = a + cc, ei = bb - d, dr = a - cc, di = bb + d;
            ar[k1 + v] = er - u * di + s * dr;
            ai[k1 + v] = -(ei + u * dr + s * di);
        }
    }

    /** Complex-to-real synthesis of V lanes, see {@code FftKernels.c2r}. */
    static void c2r(FftPlan p, Work w, int V, int first, int lanes, double[] in, double[] out, int inner, int bins,
                    boolean hermitian, double scale) {
        int n = p.n;
        boolean even = n % 2 == 0 && n > 1;
        int half = n / 2;
        // spectrum bins 0..half into c (missing bins zero), with weights and the ignored imaginary parts
        int nb = half + 1;
        double[] xr = w.cr, xi = w.ci;
        int runs = runs(w, V, first, lanes, inner, bins);
        if (bins < nb) {
            java.util.Arrays.fill(xr, 0, nb * V, 0);
            java.util.Arrays.fill(xi, 0, nb * V, 0);
        }
        gatherComplex(w.segs, runs, inner, in, xr, xi, V, 0, bins, 0, 1);
        for (int k = 0; k < bins; k++) {
            boolean edge = k == 0 || (even && k == half);
            if (edge) java.util.Arrays.fill(xi, k * V, k * V + V, 0);
            else if (!hermitian) {
                for (int v = k * V; v < k * V + V; v++) {
                    xr[v] *= 0.5;
                    xi[v] *= 0.5;
                }
            }
        }
        double[] ar = w.ar, ai = w.ai;
        FftPlan f;
        if (even) {
            f = p.half();
            for (int k = 0; k < half; k++) c2rPre(xr, xi, ar, ai, k * V, (half - k) * V, p.rwr64[k], p.rwi64[k], V);
        } else {
            f = p;
            for (int k = 0; k < nb; k++) {
                for (int v = 0; v < V; v++) {
                    ar[k * V + v] = xr[k * V + v];
                    ai[k * V + v] = -xi[k * V + v];
                }
            }
            for (int k = 1; k < nb; k++) {
                for (int v = 0; v < V; v++) {
                    ar[(n - k) * V + v] = xr[k * V + v];
                    ai[(n - k) * V + v] = xi[k * V + v];
                }
            }
        }
        forward(f, w, V);
        ar = w.ar;
        ai = w.ai;
        runs = runs(w, V, first, lanes, inner, n);
        int[] seg = w.segs;
        double ns = -scale;
        if (inner == 1) {
            for (int r = 0; r < runs; r++) {
                int d = seg[3 * r + 2], s = seg[3 * r];
                if (even) {
                    for (int t = 0; t < half; t++, d += 2, s += V) {
                        out[d] = scale * ar[s];
                        out[d + 1] = ns * ai[s];
                    }
                } else {
                    for (int t = 0; t < n; t++, d++, s += V) out[d] = scale * ar[s];
                }
            }
            return;
        }
        int len = even ? half : n, pair = even ? 2 : 1;
        for (int t = 0; t < len; t++) {
            int row = t * V, off = pair * t * inner;
            for (int r = 0; r < runs; r++) {
                int s = row + seg[3 * r], rl = seg[3 * r + 1], d = seg[3 * r + 2] + off;
                for (int u = 0; u < rl; u++) out[d + u] = scale * ar[s + u];
                if (even) {
                    for (int u = 0; u < rl; u++) out[d + inner + u] = ns * ai[s + u];
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // complex channel contraction
    // ---------------------------------------------------------------------------------------------

    /** Planar copy of a (d0, d1, modes) complex array read as (rows, cols) with optional transpose and conjugation. */
    static void planar(double[] src, boolean trans, boolean conj, int rows, int cols, int modes, double[] re, double[] im) {
        double sg = conj ? -1 : 1;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int s = 2 * (trans ? c * rows + r : r * cols + c) * modes;
                int d = (r * cols + c) * modes;
                for (int m = 0; m < modes; m++) {
                    re[d + m] = src[s + 2 * m];
                    im[d + m] = sg * src[s + 2 * m + 1];
                }
            }
        }
    }

    /**
     * out[b, o, m0..m1) = sum_i A[b, i, m] B[i, o, m] from planar A (nb, ni, modes) and B (ni, no, modes)
     * for one batch row b and one block of modes; acc holds 2 (m1 - m0) doubles.
     */
    static void mixBlock(double[] aR, double[] aI, double[] bR, double[] bI, double[] out, int b, int ni, int no, int modes,
                         int m0, int m1, double[] accR, double[] accI) {
        int len = m1 - m0;
        for (int o = 0; o < no; o++) {
            java.util.Arrays.fill(accR, 0, len, 0);
            java.util.Arrays.fill(accI, 0, len, 0);
            for (int i = 0; i < ni; i++) {
                int pa = (b * ni + i) * modes + m0, pb = (i * no + o) * modes + m0;
                for (int m = 0; m < len; m++) {
                    double xr = aR[pa + m], xi = aI[pa + m], yr = bR[pb + m], yi = bI[pb + m];
                    accR[m] += xr * yr - xi * yi;
                    accI[m] += xr * yi + xi * yr;
                }
            }
            int d = 2 * ((b * no + o) * modes + m0);
            for (int m = 0; m < len; m++) {
                out[d + 2 * m] = accR[m];
                out[d + 2 * m + 1] = accI[m];
            }
        }
    }
}
