package org.opforge.tensor.cpu;

/**
 * Single-precision FFT kernels working on "lanes": {@code V} independent sequences transformed at once,
 * stored planar (separate real and imaginary arrays) with element {@code (t, v)} at {@code t V + v}.
 * Every butterfly then loops over the V lanes with unit stride, which the JIT turns into SIMD code,
 * so one plan serves a batch of rows or columns of any axis without transposing the tensor: the
 * lanes are gathered from and scattered to the strided tensor around the transform.
 *
 * <p>{@link DoubleFft} is the same code in double precision (keep the two in step: it is this file
 * with {@code float} replaced by {@code double} and table suffix 32 by 64).
 *
 * <p>Only the forward transform is implemented; the inverse uses
 * {@code IDFT(x) = conj(DFT(conj(x)))}, folded into the gather and scatter.
 */
final class FloatFft {
    private FloatFft() {}

    /** Per-thread scratch, grown on demand and reused: no allocation per transform. */
    static final class Work {
        float[] ar = new float[0], ai = ar, br = ar, bi = ar, cr = ar, ci = ar, dr = ar, di = ar;

        void ensure(int main, int extra) {
            if (ar.length < main) {
                ar = new float[main];
                ai = new float[main];
                br = new float[main];
                bi = new float[main];
            }
            if (cr.length < extra) {
                cr = new float[extra];
                ci = new float[extra];
                dr = new float[extra];
                di = new float[extra];
            }
        }

        private int[] lanes = new int[0];

        int[] lanes(int size) {
            if (lanes.length < size) lanes = new int[size];
            return lanes;
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
        float[] t = w.ar;
        w.ar = w.br;
        w.br = t;
        t = w.ai;
        w.ai = w.bi;
        w.bi = t;
    }

    /** Stockham autosort stages of a direct plan from x into x/y alternately; true when the result is in y. */
    static boolean stockham(FftPlan p, float[] xr, float[] xi, float[] yr, float[] yi, int V) {
        int n = p.n;
        int l = 1;
        boolean inY = false;
        for (int s = 0; s < p.radices.length; s++) {
            int r = p.radices[s];
            float[] sr = inY ? yr : xr, si = inY ? yi : xi, dr = inY ? xr : yr, di = inY ? xi : yi;
            switch (r) {
                case 2 -> radix2(sr, si, dr, di, n, l, p.twr32[s], p.twi32[s], V);
                case 3 -> radix3(sr, si, dr, di, n, l, p.twr32[s], p.twi32[s], V);
                case 4 -> radix4(sr, si, dr, di, n, l, p.twr32[s], p.twi32[s], V);
                case 5 -> radix5(sr, si, dr, di, n, l, p.twr32[s], p.twi32[s], V);
                default -> radixGeneric(sr, si, dr, di, n, l, r, p.twr32[s], p.twi32[s], p.gcos32[s], p.gsin32[s], V);
            }
            l *= r;
            inY = !inY;
        }
        return inY;
    }

    private static void radix2(float[] xr, float[] xi, float[] yr, float[] yi, int n, int l, float[] twr, float[] twi, int V) {
        int q = n / 2, groups = q / l;
        for (int g = 0; g < groups; g++) {
            for (int k = 0; k < l; k++) {
                int j = g * l + k;
                int i0 = j * V, i1 = (j + q) * V;
                int o0 = (g * l * 2 + k) * V, o1 = o0 + l * V;
                float wr = twr[k], wi = twi[k];
                for (int v = 0; v < V; v++) {
                    float a0r = xr[i0 + v], a0i = xi[i0 + v];
                    float br = xr[i1 + v], bi = xi[i1 + v];
                    float a1r = br * wr - bi * wi, a1i = br * wi + bi * wr;
                    yr[o0 + v] = a0r + a1r;
                    yi[o0 + v] = a0i + a1i;
                    yr[o1 + v] = a0r - a1r;
                    yi[o1 + v] = a0i - a1i;
                }
            }
        }
    }

    private static void radix4(float[] xr, float[] xi, float[] yr, float[] yi, int n, int l, float[] twr, float[] twi, int V) {
        int q = n / 4, groups = q / l;
        for (int g = 0; g < groups; g++) {
            for (int k = 0; k < l; k++) {
                int j = g * l + k;
                int i0 = j * V, i1 = (j + q) * V, i2 = (j + 2 * q) * V, i3 = (j + 3 * q) * V;
                int o0 = (g * l * 4 + k) * V, o1 = o0 + l * V, o2 = o1 + l * V, o3 = o2 + l * V;
                float w1r = twr[3 * k], w1i = twi[3 * k];
                float w2r = twr[3 * k + 1], w2i = twi[3 * k + 1];
                float w3r = twr[3 * k + 2], w3i = twi[3 * k + 2];
                for (int v = 0; v < V; v++) {
                    float a0r = xr[i0 + v], a0i = xi[i0 + v];
                    float b1r = xr[i1 + v], b1i = xi[i1 + v];
                    float b2r = xr[i2 + v], b2i = xi[i2 + v];
                    float b3r = xr[i3 + v], b3i = xi[i3 + v];
                    float a1r = b1r * w1r - b1i * w1i, a1i = b1r * w1i + b1i * w1r;
                    float a2r = b2r * w2r - b2i * w2i, a2i = b2r * w2i + b2i * w2r;
                    float a3r = b3r * w3r - b3i * w3i, a3i = b3r * w3i + b3i * w3r;
                    float t0r = a0r + a2r, t0i = a0i + a2i;
                    float t1r = a0r - a2r, t1i = a0i - a2i;
                    float t2r = a1r + a3r, t2i = a1i + a3i;
                    // (a1 - a3) * (-i)
                    float t3r = a1i - a3i, t3i = a3r - a1r;
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

    private static final float S3 = (float) Math.sqrt(0.75);

    private static void radix3(float[] xr, float[] xi, float[] yr, float[] yi, int n, int l, float[] twr, float[] twi, int V) {
        int q = n / 3, groups = q / l;
        float h = (float) 0.5, s = S3;
        for (int g = 0; g < groups; g++) {
            for (int k = 0; k < l; k++) {
                int j = g * l + k;
                int i0 = j * V, i1 = (j + q) * V, i2 = (j + 2 * q) * V;
                int o0 = (g * l * 3 + k) * V, o1 = o0 + l * V, o2 = o1 + l * V;
                float w1r = twr[2 * k], w1i = twi[2 * k];
                float w2r = twr[2 * k + 1], w2i = twi[2 * k + 1];
                for (int v = 0; v < V; v++) {
                    float a0r = xr[i0 + v], a0i = xi[i0 + v];
                    float b1r = xr[i1 + v], b1i = xi[i1 + v];
                    float b2r = xr[i2 + v], b2i = xi[i2 + v];
                    float a1r = b1r * w1r - b1i * w1i, a1i = b1r * w1i + b1i * w1r;
                    float a2r = b2r * w2r - b2i * w2i, a2i = b2r * w2i + b2i * w2r;
                    float t1r = a1r + a2r, t1i = a1i + a2i;
                    float t2r = a0r - h * t1r, t2i = a0i - h * t1i;
                    // (a1 - a2) * (-i sqrt(3)/2)
                    float t3r = s * (a1i - a2i), t3i = s * (a2r - a1r);
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

    private static final float C51 = (float) Math.cos(2 * Math.PI / 5), C52 = (float) Math.cos(4 * Math.PI / 5);
    private static final float S51 = (float) Math.sin(2 * Math.PI / 5), S52 = (float) Math.sin(4 * Math.PI / 5);

    private static void radix5(float[] xr, float[] xi, float[] yr, float[] yi, int n, int l, float[] twr, float[] twi, int V) {
        int q = n / 5, groups = q / l;
        float c1 = C51, c2 = C52, s1 = S51, s2 = S52;
        for (int g = 0; g < groups; g++) {
            for (int k = 0; k < l; k++) {
                int j = g * l + k;
                int i0 = j * V, i1 = (j + q) * V, i2 = (j + 2 * q) * V, i3 = (j + 3 * q) * V, i4 = (j + 4 * q) * V;
                int o0 = (g * l * 5 + k) * V, o1 = o0 + l * V, o2 = o1 + l * V, o3 = o2 + l * V, o4 = o3 + l * V;
                float w1r = twr[4 * k], w1i = twi[4 * k], w2r = twr[4 * k + 1], w2i = twi[4 * k + 1];
                float w3r = twr[4 * k + 2], w3i = twi[4 * k + 2], w4r = twr[4 * k + 3], w4i = twi[4 * k + 3];
                for (int v = 0; v < V; v++) {
                    float a0r = xr[i0 + v], a0i = xi[i0 + v];
                    float e1r = xr[i1 + v], e1i = xi[i1 + v];
                    float e2r = xr[i2 + v], e2i = xi[i2 + v];
                    float e3r = xr[i3 + v], e3i = xi[i3 + v];
                    float e4r = xr[i4 + v], e4i = xi[i4 + v];
                    float a1r = e1r * w1r - e1i * w1i, a1i = e1r * w1i + e1i * w1r;
                    float a2r = e2r * w2r - e2i * w2i, a2i = e2r * w2i + e2i * w2r;
                    float a3r = e3r * w3r - e3i * w3i, a3i = e3r * w3i + e3i * w3r;
                    float a4r = e4r * w4r - e4i * w4i, a4i = e4r * w4i + e4i * w4r;
                    float b1r = a1r + a4r, b1i = a1i + a4i, d1r = a1r - a4r, d1i = a1i - a4i;
                    float b2r = a2r + a3r, b2i = a2i + a3i, d2r = a2r - a3r, d2i = a2i - a3i;
                    float p1r = a0r + c1 * b1r + c2 * b2r, p1i = a0i + c1 * b1i + c2 * b2i;
                    float p2r = a0r + c2 * b1r + c1 * b2r, p2i = a0i + c2 * b1i + c1 * b2i;
                    float f1r = s1 * d1r + s2 * d2r, f1i = s1 * d1i + s2 * d2i;
                    float f2r = s2 * d1r - s1 * d2r, f2i = s2 * d1i - s1 * d2i;
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
    private static void radixGeneric(float[] xr, float[] xi, float[] yr, float[] yi, int n, int l, int r,
                                     float[] twr, float[] twi, float[] gc, float[] gs, int V) {
        int q = n / r, groups = q / l;
        float[] ar = new float[r * V], ai = new float[r * V];
        for (int g = 0; g < groups; g++) {
            for (int k = 0; k < l; k++) {
                int j = g * l + k;
                for (int v = 0; v < V; v++) {
                    ar[v] = xr[j * V + v];
                    ai[v] = xi[j * V + v];
                }
                for (int m = 1; m < r; m++) {
                    float wr = twr[k * (r - 1) + m - 1], wi = twi[k * (r - 1) + m - 1];
                    int in = (j + m * q) * V;
                    for (int v = 0; v < V; v++) {
                        float br = xr[in + v], bi = xi[in + v];
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
                        float c = gc[e], s = gs[e];
                        int src = m * V;
                        for (int v = 0; v < V; v++) {
                            float br = ar[src + v], bi = ai[src + v];
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
        float[] chr = p.chr32, chi = p.chi32, bkr = p.bkr32, bki = p.bki32;
        float[] cr = w.cr, ci = w.ci;
        for (int t = 0; t < n; t++) {
            float c = chr[t], s = chi[t];
            int o = t * V;
            for (int v = 0; v < V; v++) {
                float xr = w.ar[o + v], xi = w.ai[o + v];
                cr[o + v] = xr * c - xi * s;
                ci[o + v] = xr * s + xi * c;
            }
        }
        java.util.Arrays.fill(cr, n * V, m * V, 0);
        java.util.Arrays.fill(ci, n * V, m * V, 0);
        boolean inD = stockham(p.conv, cr, ci, w.dr, w.di, V);
        float[] sr = inD ? w.dr : cr, si = inD ? w.di : ci;
        // conj(A) * conj(B^)/m, so the second forward transform yields conj of the convolution
        for (int k = 0; k < m; k++) {
            float br = bkr[k], bi = bki[k];
            int o = k * V;
            for (int v = 0; v < V; v++) {
                float xr = sr[o + v], xi = -si[o + v];
                sr[o + v] = xr * br - xi * bi;
                si[o + v] = xr * bi + xi * br;
            }
        }
        float[] or = inD ? cr : w.dr, oi = inD ? ci : w.di;
        boolean second = stockham(p.conv, sr, si, or, oi, V);
        float[] qr = second ? or : sr, qi = second ? oi : si;
        for (int t = 0; t < n; t++) {
            float c = chr[t], s = chi[t];
            int o = t * V;
            for (int v = 0; v < V; v++) {
                float xr = qr[o + v], xi = -qi[o + v];
                w.ar[o + v] = xr * c - xi * s;
                w.ai[o + v] = xr * s + xi * c;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // strided tensors <-> lanes
    // ---------------------------------------------------------------------------------------------

    /**
     * Lane bases: for lane {@code first + v} (of {@code lanes} = outer x inner) the offset of its element
     * t = 0 in a tensor whose transformed axis has length {@code len}, in elements; -1 for lanes past the end.
     */
    private static int[] bases(Work w, int V, int first, int lanes, int inner, int len) {
        int[] b = w.lanes(V);
        for (int v = 0; v < V; v++) {
            int lane = first + v;
            if (lane >= lanes) {
                b[v] = -1;
                continue;
            }
            int o = lane / inner, c = lane - o * inner;
            b[v] = o * len * inner + c;
        }
        return b;
    }

    /**
     * Complex transform of the lanes {@code first .. first+V-1} (of outer*inner) with pruning, see
     * {@code FftKernels.c2c}. {@code in} / {@code out} are interleaved complex.
     */
    static void c2c(FftPlan p, Work w, int V, int first, int lanes, float[] in, float[] out, int inner, int lo, int hi,
                    boolean pad, boolean inverse, float scale) {
        int n = p.n, kept = lo + hi;
        int inLen = pad ? kept : n, outLen = pad ? n : kept;
        float[] ar = w.ar, ai = w.ai;
        if (pad && kept < n) {
            java.util.Arrays.fill(ar, lo * V, (n - hi) * V, 0);
            java.util.Arrays.fill(ai, lo * V, (n - hi) * V, 0);
        }
        float sg = inverse ? -1 : 1;
        int[] b = bases(w, V, first, lanes, inner, inLen);
        int step = 2 * inner;
        // rows outer, lanes inner: the scratch is written with unit stride, and for inner > 1 the
        // lanes of one row are neighbours in memory too
        for (int t = 0; t < inLen; t++) {
            int row = (pad && t >= lo ? n - kept + t : t) * V, off = t * step;
            for (int v = 0; v < V; v++) {
                int i = b[v];
                if (i < 0) {
                    ar[row + v] = 0;
                    ai[row + v] = 0;
                } else {
                    ar[row + v] = in[2 * i + off];
                    ai[row + v] = sg * in[2 * i + off + 1];
                }
            }
        }
        forward(p, w, V);
        ar = w.ar;
        ai = w.ai;
        float si = sg * scale;
        b = bases(w, V, first, lanes, inner, outLen);
        int valid = validLanes(b, V);
        for (int j = 0; j < outLen; j++) {
            int row = (!pad && j >= lo ? n - kept + j : j) * V, off = j * step;
            for (int v = 0; v < valid; v++) {
                int i = 2 * b[v] + off;
                out[i] = scale * ar[row + v];
                out[i + 1] = si * ai[row + v];
            }
        }
    }

    private static int validLanes(int[] b, int V) {
        int valid = V;
        while (valid > 0 && b[valid - 1] < 0) valid--;
        return valid;
    }

    /** Real-to-complex transform of V lanes, see {@code FftKernels.r2c}. */
    static void r2c(FftPlan p, Work w, int V, int first, int lanes, float[] in, float[] out, int inner, int bins,
                    boolean hermitian, float scale) {
        int n = p.n;
        boolean even = n % 2 == 0 && n > 1;
        FftPlan f = even ? p.half() : p;
        int len = f.n;
        float[] ar = w.ar, ai = w.ai;
        int[] b = bases(w, V, first, lanes, inner, n);
        int valid = validLanes(b, V);
        if (valid < V) {
            java.util.Arrays.fill(ar, 0, len * V, 0);
            java.util.Arrays.fill(ai, 0, len * V, 0);
        }
        if (even) {
            int s2 = 2 * inner;
            for (int v = 0; v < valid; v++) {
                int base = b[v];
                for (int t = 0, i = base; t < len; t++, i += s2) {
                    ar[t * V + v] = in[i];
                    ai[t * V + v] = in[i + inner];
                }
            }
        } else {
            for (int v = 0; v < valid; v++) {
                int base = b[v];
                for (int t = 0, i = base; t < len; t++, i += inner) {
                    ar[t * V + v] = in[i];
                    ai[t * V + v] = 0;
                }
            }
        }
        forward(f, w, V);
        ar = w.ar;
        ai = w.ai;
        int half = n / 2;
        float[] xr = w.cr, xi = w.ci;
        // post-processing into planar bins, bins outer and lanes inner (branch-free inner loop)
        for (int k = 0; k < bins; k++) {
            boolean edge = k == 0 || (even && k == half);
            float wk = hermitian && !edge ? 2 * scale : scale;
            int o = k * V;
            if (even) {
                int k1 = (k == len ? 0 : k) * V, k2 = (k == 0 ? 0 : len - k) * V;
                float wr = (float) 0.5 * wk * p.rwr32[k], wi = (float) 0.5 * wk * p.rwi32[k], h = (float) 0.5 * wk;
                for (int v = 0; v < V; v++) {
                    float a = ar[k1 + v], bb = ai[k1 + v], cc = ar[k2 + v], d = ai[k2 + v];
                    float er = a + cc, ei = bb - d, or = bb + d, oi = cc - a;
                    // X_k = (E + w O) / 2 with E = Z_k + conj Z_{N-k}, O = -i (Z_k - conj Z_{N-k})
                    xr[o + v] = h * er + wr * or - wi * oi;
                    xi[o + v] = h * ei + wr * oi + wi * or;
                }
            } else {
                for (int v = 0; v < V; v++) {
                    xr[o + v] = wk * ar[o + v];
                    xi[o + v] = wk * ai[o + v];
                }
            }
            if (edge) java.util.Arrays.fill(xi, o, o + V, 0);
        }
        int step = 2 * inner;
        b = bases(w, V, first, lanes, inner, bins);
        for (int v = 0; v < valid; v++) {
            int base = 2 * b[v];
            for (int k = 0, i = base; k < bins; k++, i += step) {
                out[i] = xr[k * V + v];
                out[i + 1] = xi[k * V + v];
            }
        }
    }

    /** Complex-to-real synthesis of V lanes, see {@code FftKernels.c2r}. */
    static void c2r(FftPlan p, Work w, int V, int first, int lanes, float[] in, float[] out, int inner, int bins,
                    boolean hermitian, float scale) {
        int n = p.n;
        boolean even = n % 2 == 0 && n > 1;
        int half = n / 2;
        // spectrum bins 0..half into c (missing bins zero), with weights and the ignored imaginary parts
        int nb = half + 1;
        float[] xr = w.cr, xi = w.ci;
        int[] b = bases(w, V, first, lanes, inner, bins);
        int valid = validLanes(b, V);
        if (valid < V || bins < nb) {
            java.util.Arrays.fill(xr, 0, nb * V, 0);
            java.util.Arrays.fill(xi, 0, nb * V, 0);
        }
        int step = 2 * inner;
        for (int v = 0; v < valid; v++) {
            int base = 2 * b[v];
            for (int k = 0, i = base; k < bins; k++, i += step) {
                xr[k * V + v] = in[i];
                xi[k * V + v] = in[i + 1];
            }
        }
        for (int k = 0; k < bins; k++) {
            boolean edge = k == 0 || (even && k == half);
            if (edge) java.util.Arrays.fill(xi, k * V, k * V + V, 0);
            else if (!hermitian) {
                for (int v = k * V; v < k * V + V; v++) {
                    xr[v] *= (float) 0.5;
                    xi[v] *= (float) 0.5;
                }
            }
        }
        float[] ar = w.ar, ai = w.ai;
        FftPlan f;
        if (even) {
            f = p.half();
            int len = half;
            for (int k = 0; k < len; k++) {
                int k1 = k * V, k2 = (len - k) * V;
                float u = p.rwr32[k], s = p.rwi32[k];
                for (int v = 0; v < V; v++) {
                    float a = xr[k1 + v], bb = xi[k1 + v], cc = xr[k2 + v], d = xi[k2 + v];
                    float er = a + cc, ei = bb - d, dr = a - cc, di = bb + d;
                    // Z_k = E + i e^{+2 pi i k / n} D, conjugated for the inverse transform
                    ar[k1 + v] = er - u * di + s * dr;
                    ai[k1 + v] = -(ei + u * dr + s * di);
                }
            }
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
        b = bases(w, V, first, lanes, inner, n);
        if (even) {
            float ns = -scale;
            for (int v = 0; v < valid; v++) {
                int base = b[v];
                for (int t = 0, i = base; t < half; t++, i += 2 * inner) {
                    out[i] = scale * ar[t * V + v];
                    out[i + inner] = ns * ai[t * V + v];
                }
            }
        } else {
            for (int v = 0; v < valid; v++) {
                int base = b[v];
                for (int t = 0, i = base; t < n; t++, i += inner) out[i] = scale * ar[t * V + v];
            }
        }
    }
}
