package org.opforge.tensor;

/**
 * Direct (loop-per-definition) float64 implementations of the {@link Conv} ops, written from the
 * PyTorch formulas independently of the im2col/GEMM and separable code paths, for the tests to
 * compare against. Spatial ranks 1 to 3 are handled by padding shapes to three axes in front.
 */
final class ConvReference {
    private ConvReference() {}

    /** Shape (N, C, D, H, W) with the spatial part padded in front by ones. */
    private static int[] as5(int[] s) {
        int[] r = {s[0], s[1], 1, 1, 1};
        for (int i = 2; i < s.length; i++) r[5 - (s.length - i)] = s[i];
        return r;
    }

    /** Per-axis parameter padded in front with {@code fill} to three axes. */
    private static int[] as3(int[] v, int fill) {
        int[] r = {fill, fill, fill};
        for (int i = 0; i < v.length; i++) r[3 - v.length + i] = v[i];
        return r;
    }

    private static int[] unpad(int[] s5, int rank) {
        int[] r = new int[rank + 2];
        r[0] = s5[0];
        r[1] = s5[1];
        for (int i = 0; i < rank; i++) r[2 + i] = s5[5 - rank + i];
        return r;
    }

    /** F.conv{r}d with padding_mode zeros or circular (nn.Conv: pad periodically, then convolve unpadded). */
    static Tensor conv(Tensor x, Tensor w, Tensor b, int[] stride, int[] padding, int[] dilation, int groups, boolean circular) {
        int r = x.dim() - 2;
        int[] xs = as5(x.shape()), ws = as5(w.shape());
        int[] s = as3(stride, 1), p = as3(padding, 0), d = as3(dilation, 1);
        int n = xs[0], c = xs[1], co = ws[0], cg = ws[1], og = co / groups;
        int[] out = new int[3];
        for (int a = 0; a < 3; a++) out[a] = (xs[2 + a] + 2 * p[a] - d[a] * (ws[2 + a] - 1) - 1) / s[a] + 1;
        double[] xv = x.toDoubleArray(), wv = w.toDoubleArray(), bv = b == null ? null : b.toDoubleArray();
        double[] y = new double[n * co * out[0] * out[1] * out[2]];
        int yi = 0;
        for (int q = 0; q < n; q++) {
            for (int o = 0; o < co; o++) {
                int grp = o / og;
                for (int z = 0; z < out[0]; z++) {
                    for (int u = 0; u < out[1]; u++) {
                        for (int v = 0; v < out[2]; v++) {
                            double acc = bv == null ? 0 : bv[o];
                            for (int ci = 0; ci < cg; ci++) {
                                int cin = grp * cg + ci;
                                for (int kz = 0; kz < ws[2]; kz++) {
                                    int iz = index(z * s[0] - p[0] + kz * d[0], xs[2], circular);
                                    if (iz < 0) continue;
                                    for (int ky = 0; ky < ws[3]; ky++) {
                                        int iy = index(u * s[1] - p[1] + ky * d[1], xs[3], circular);
                                        if (iy < 0) continue;
                                        for (int kx = 0; kx < ws[4]; kx++) {
                                            int ix = index(v * s[2] - p[2] + kx * d[2], xs[4], circular);
                                            if (ix < 0) continue;
                                            double xval = xv[(((q * c + cin) * xs[2] + iz) * xs[3] + iy) * xs[4] + ix];
                                            double wval = wv[(((o * cg + ci) * ws[2] + kz) * ws[3] + ky) * ws[4] + kx];
                                            acc += xval * wval;
                                        }
                                    }
                                }
                            }
                            y[yi++] = acc;
                        }
                    }
                }
            }
        }
        return Tensor.of(y, unpad(new int[] {n, co, out[0], out[1], out[2]}, r));
    }

    private static int index(int i, int n, boolean circular) {
        if (circular) return Math.floorMod(i, n);
        return i < 0 || i >= n ? -1 : i;
    }

    /**
     * F.conv_transpose{r}d by its scatter definition: y[n, g*Og + o, i*s - p + j*d] += x[n, g*Cg + c, i] w[g*Cg + c, o, j],
     * with output size (n-1)s - 2p + d(k-1) + outputPadding + 1.
     */
    static Tensor convTranspose(Tensor x, Tensor w, Tensor b, int[] stride, int[] padding, int[] outputPadding, int[] dilation,
                                int groups) {
        int r = x.dim() - 2;
        int[] xs = as5(x.shape()), ws = as5(w.shape());
        int[] s = as3(stride, 1), p = as3(padding, 0), d = as3(dilation, 1), op = as3(outputPadding, 0);
        int n = xs[0], cin = xs[1], og = ws[1], co = og * groups, cg = cin / groups;
        int[] out = new int[3];
        for (int a = 0; a < 3; a++) out[a] = (xs[2 + a] - 1) * s[a] - 2 * p[a] + d[a] * (ws[2 + a] - 1) + op[a] + 1;
        double[] xv = x.toDoubleArray(), wv = w.toDoubleArray();
        double[] y = new double[n * co * out[0] * out[1] * out[2]];
        for (int q = 0; q < n; q++) {
            for (int ci = 0; ci < cin; ci++) {
                int grp = ci / cg;
                for (int z = 0; z < xs[2]; z++) {
                    for (int u = 0; u < xs[3]; u++) {
                        for (int v = 0; v < xs[4]; v++) {
                            double xval = xv[(((q * cin + ci) * xs[2] + z) * xs[3] + u) * xs[4] + v];
                            for (int o = 0; o < og; o++) {
                                int oc = grp * og + o;
                                for (int kz = 0; kz < ws[2]; kz++) {
                                    int tz = z * s[0] - p[0] + kz * d[0];
                                    if (tz < 0 || tz >= out[0]) continue;
                                    for (int ky = 0; ky < ws[3]; ky++) {
                                        int ty = u * s[1] - p[1] + ky * d[1];
                                        if (ty < 0 || ty >= out[1]) continue;
                                        for (int kx = 0; kx < ws[4]; kx++) {
                                            int tx = v * s[2] - p[2] + kx * d[2];
                                            if (tx < 0 || tx >= out[2]) continue;
                                            double wval = wv[(((ci * og + o) * ws[2] + kz) * ws[3] + ky) * ws[4] + kx];
                                            y[(((q * co + oc) * out[0] + tz) * out[1] + ty) * out[2] + tx] += xval * wval;
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        if (b != null) {
            double[] bv = b.toDoubleArray();
            int vol = out[0] * out[1] * out[2];
            for (int q = 0; q < n; q++) for (int o = 0; o < co; o++) for (int i = 0; i < vol; i++) y[(q * co + o) * vol + i] += bv[o];
        }
        return Tensor.of(y, unpad(new int[] {n, co, out[0], out[1], out[2]}, r));
    }

    /** Max (avg == false) or average pooling; padding never wins a max; the average divides by the kernel volume or the valid count. */
    static Tensor pool(Tensor x, int[] kernel, int[] stride, int[] padding, boolean avg, boolean countIncludePad) {
        int r = x.dim() - 2;
        int[] xs = as5(x.shape());
        int[] k = as3(kernel, 1), s = as3(stride, 1), p = as3(padding, 0);
        int[] out = new int[3];
        for (int a = 0; a < 3; a++) out[a] = (xs[2 + a] + 2 * p[a] - k[a]) / s[a] + 1;
        double[] xv = x.toDoubleArray();
        int planes = xs[0] * xs[1];
        double[] y = new double[planes * out[0] * out[1] * out[2]];
        int yi = 0;
        for (int pl = 0; pl < planes; pl++) {
            for (int z = 0; z < out[0]; z++) {
                for (int u = 0; u < out[1]; u++) {
                    for (int v = 0; v < out[2]; v++) {
                        double best = Double.NEGATIVE_INFINITY, sum = 0;
                        int count = 0;
                        for (int kz = 0; kz < k[0]; kz++) {
                            for (int ky = 0; ky < k[1]; ky++) {
                                for (int kx = 0; kx < k[2]; kx++) {
                                    int iz = z * s[0] - p[0] + kz, iy = u * s[1] - p[1] + ky, ix = v * s[2] - p[2] + kx;
                                    if (iz < 0 || iy < 0 || ix < 0 || iz >= xs[2] || iy >= xs[3] || ix >= xs[4]) continue;
                                    double val = xv[((pl * xs[2] + iz) * xs[3] + iy) * xs[4] + ix];
                                    best = Math.max(best, val);
                                    sum += val;
                                    count++;
                                }
                            }
                        }
                        y[yi++] = avg ? sum / (countIncludePad ? k[0] * k[1] * k[2] : count) : best;
                    }
                }
            }
        }
        return Tensor.of(y, unpad(new int[] {xs[0], xs[1], out[0], out[1], out[2]}, r));
    }

    /** PyTorch's multilinear interpolation evaluated directly as a product of per-axis weights (not axis by axis). */
    static Tensor interpolate(Tensor x, int[] size, boolean alignCorners) {
        int r = x.dim() - 2;
        int[] xs = as5(x.shape());
        int[] out = as3(size, 1);
        double[] xv = x.toDoubleArray();
        int planes = xs[0] * xs[1];
        double[] y = new double[planes * out[0] * out[1] * out[2]];
        int yi = 0;
        for (int pl = 0; pl < planes; pl++) {
            for (int z = 0; z < out[0]; z++) {
                double[] tz = taps(z, xs[2], out[0], alignCorners);
                for (int u = 0; u < out[1]; u++) {
                    double[] ty = taps(u, xs[3], out[1], alignCorners);
                    for (int v = 0; v < out[2]; v++) {
                        double[] tx = taps(v, xs[4], out[2], alignCorners);
                        double acc = 0;
                        for (int a = 0; a < 2; a++) {
                            for (int bb = 0; bb < 2; bb++) {
                                for (int c = 0; c < 2; c++) {
                                    double wgt = tz[2 + a] * ty[2 + bb] * tx[2 + c];
                                    int iz = (int) tz[a], iy = (int) ty[bb], ix = (int) tx[c];
                                    acc += wgt * xv[((pl * xs[2] + iz) * xs[3] + iy) * xs[4] + ix];
                                }
                            }
                        }
                        y[yi++] = acc;
                    }
                }
            }
        }
        return Tensor.of(y, unpad(new int[] {xs[0], xs[1], out[0], out[1], out[2]}, r));
    }

    /** {i0, i1, w0, w1} of output index t as PyTorch's upsample_linear computes them. */
    private static double[] taps(int t, int in, int out, boolean alignCorners) {
        double src;
        if (alignCorners) src = out > 1 ? t * (double) (in - 1) / (out - 1) : 0;
        else src = Math.max(0, (t + 0.5) * in / out - 0.5);
        int i0 = (int) src;
        int i1 = i0 < in - 1 ? i0 + 1 : i0;
        double l1 = src - i0;
        return new double[] {i0, i1, 1 - l1, l1};
    }
}
