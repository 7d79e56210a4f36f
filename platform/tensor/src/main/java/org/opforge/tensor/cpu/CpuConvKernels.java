package org.opforge.tensor.cpu;

import java.util.function.IntConsumer;
import org.opforge.tensor.backend.Buffer;
import org.opforge.tensor.backend.ConvGeometry;
import org.opforge.tensor.backend.ConvKernels;

/**
 * CPU convolution, pooling and resampling kernels. Every kernel works on independent planes
 * (one sample and channel), so planes run in parallel with no two tasks writing the same element.
 * The index arithmetic is done once per row through precomputed tables ({@link WindowPlan}); the
 * per-row element loops are plain array loops the JIT vectorizes, duplicated for float and double.
 */
public final class CpuConvKernels implements ConvKernels {
    /** Runs {@code body(i)} for i in [0, tasks) on the backend's worker pool; each task costs about {@code workPerTask} element operations. */
    static void parallelFor(int tasks, long workPerTask, IntConsumer body) {
        CpuThreads.parallelFor(tasks, workPerTask, (from, to) -> {
            for (int i = from; i < to; i++) body.accept(i);
        });
    }

    @Override public void forSamples(int n, long workPerSample, SampleRange body) {
        CpuThreads.parallelFor(n, workPerSample, body::run);
    }

    private static final class DirectScratch {
        float[] planes = new float[0], weights = new float[0];
    }

    private static final ThreadLocal<DirectScratch> DIRECT_SCRATCH = ThreadLocal.withInitial(DirectScratch::new);

    @Override public boolean convolveSamples(Buffer x, long xOffset, int from, int to, int channels, ConvGeometry g, Buffer w,
                                             int cOut, Buffer out, long outOffset, boolean accumulate) {
        CpuBuffer xs = CpuBackend.cb(x), ws = CpuBackend.cb(w), os = CpuBackend.cb(out);
        if (xs.f == null || ws.f == null || os.f == null) return false;
        DirectConv plan = DirectConv.plan(channels, cOut, g);
        if (plan == null) return false;
        DirectScratch s = DIRECT_SCRATCH.get();
        if (s.planes.length < plan.planesSize()) s.planes = new float[plan.planesSize()];
        if (s.weights.length < plan.packedSize()) s.weights = new float[plan.packedSize()];
        plan.packWeights(ws.f, 0, s.weights);
        long inStride = (long) channels * g.inVolume(), outStride = (long) cOut * g.outVolume();
        for (int q = from; q < to; q++) {
            plan.run(xs.f, (int) (xOffset + q * inStride), s.weights, s.planes, os.f, (int) (outOffset + q * outStride), accumulate);
        }
        return true;
    }

    @Override public boolean inputAdjointSamples(Buffer gy, long gyOffset, int from, int to, int cOut, ConvGeometry g, Buffer w,
                                                 int channels, Buffer gx, long gxOffset) {
        CpuBuffer gs = CpuBackend.cb(gy), ws = CpuBackend.cb(w), xs = CpuBackend.cb(gx);
        if (gs.f == null || ws.f == null || xs.f == null) return false;
        DirectConvTranspose plan = DirectConvTranspose.plan(channels, cOut, g, ws.f);
        if (plan == null) return false;
        DirectScratch s = DIRECT_SCRATCH.get();
        if (s.planes.length < plan.scratchSize()) s.planes = new float[plan.scratchSize()];
        long inStride = (long) channels * g.inVolume(), outStride = (long) cOut * g.outVolume();
        for (int q = from; q < to; q++) plan.run(gs.f, (int) (gyOffset + q * outStride), xs.f, (int) (gxOffset + q * inStride), s.planes);
        return true;
    }

    @Override public boolean weightGradientSamples(Buffer x, long xOffset, int from, int to, int channels, ConvGeometry g, Buffer gy,
                                                   long gyOffset, int cOut, Buffer gw, long gwOffset) {
        CpuBuffer xs = CpuBackend.cb(x), gs = CpuBackend.cb(gy), ws = CpuBackend.cb(gw);
        if (xs.f == null || gs.f == null || ws.f == null) return false;
        DirectConv plan = DirectConv.plan(channels, cOut, g);
        if (plan == null) return false;
        DirectScratch s = DIRECT_SCRATCH.get();
        if (s.planes.length < plan.planesSize()) s.planes = new float[plan.planesSize()];
        long inStride = (long) channels * g.inVolume(), outStride = (long) cOut * g.outVolume();
        for (int q = from; q < to; q++) {
            plan.weightGradient(xs.f, (int) (xOffset + q * inStride), gs.f, (int) (gyOffset + q * outStride), s.planes, ws.f,
                    (int) gwOffset, q != from);
        }
        return true;
    }

    private static CpuBuffer real(Buffer b, String kernel) {
        CpuBuffer c = CpuBackend.cb(b);
        if (c.dtype.isComplex()) throw new IllegalArgumentException(kernel + ": complex dtype " + c.dtype + " is not supported");
        return c;
    }

    private static void sameDtype(String kernel, CpuBuffer a, CpuBuffer b) {
        if (a.dtype != b.dtype) throw new IllegalArgumentException(kernel + ": buffers of dtype " + a.dtype + " and " + b.dtype);
    }

    // ============================================================================================
    // im2col / col2im
    // ============================================================================================

    @Override public void im2col(Buffer x, long xOffset, int batch, int channels, ConvGeometry g,
                                 Buffer cols, long colsOffset, long colsBatchStride, long ldCols) {
        CpuBuffer xs = real(x, "im2col"), cs = real(cols, "im2col");
        sameDtype("im2col", xs, cs);
        WindowPlan p = new WindowPlan(g);
        long work = (long) p.kVol * p.outVol;
        parallelFor(batch * channels, work, t -> {
            int q = t / channels, c = t % channels;
            int xb = (int) (xOffset + ((long) q * channels + c) * p.inVol);
            long cb = colsOffset + q * colsBatchStride + (long) c * p.kVol * ldCols;
            unfoldPlane(p, xs, xb, cs, cb, ldCols, false);
        });
    }

    @Override public void col2im(Buffer cols, long colsOffset, long colsBatchStride, long ldCols, int batch, int channels,
                                 ConvGeometry g, Buffer x, long xOffset) {
        CpuBuffer xs = real(x, "col2im"), cs = real(cols, "col2im");
        sameDtype("col2im", xs, cs);
        WindowPlan p = new WindowPlan(g);
        long work = (long) p.kVol * p.outVol;
        parallelFor(batch * channels, work, t -> {
            int q = t / channels, c = t % channels;
            int xb = (int) (xOffset + ((long) q * channels + c) * p.inVol);
            long cb = colsOffset + q * colsBatchStride + (long) c * p.kVol * ldCols;
            unfoldPlane(p, xs, xb, cs, cb, ldCols, true);
        });
    }

    /** One plane of im2col ({@code adjoint} false: x to cols) or col2im (true: cols added into x). */
    private static void unfoldPlane(WindowPlan p, CpuBuffer x, int xb, CpuBuffer cols, long cb, long ldCols, boolean adjoint) {
        int r = 0;
        for (int jd = 0; jd < p.kD; jd++) {
            for (int jh = 0; jh < p.kH; jh++) {
                for (int jw = 0; jw < p.kW; jw++, r++) {
                    int dst = (int) (cb + r * ldCols);
                    for (int od = 0; od < p.oD; od++) {
                        int id = p.tD[jd * p.oD + od];
                        for (int oh = 0; oh < p.oH; oh++, dst += p.oW) {
                            int ih = p.tH[jh * p.oH + oh];
                            if (id < 0 || ih < 0) {
                                if (!adjoint) zero(cols, dst, p.oW);
                                continue;
                            }
                            int src = xb + (id * p.nH + ih) * p.nW;
                            if (p.affineW) {
                                int lo = p.loW[jw], hi = p.hiW[jw], s0 = src + p.offW[jw];
                                if (adjoint) addAffine(cols, dst, x, s0, p.sW, lo, hi);
                                else {
                                    zero(cols, dst, lo);
                                    copyAffine(x, s0, p.sW, cols, dst, lo, hi);
                                    zero(cols, dst + hi, p.oW - hi);
                                }
                            } else if (adjoint) {
                                addTable(cols, dst, x, src, p.tW, jw * p.oW, p.oW);
                            } else {
                                copyTable(x, src, p.tW, jw * p.oW, cols, dst, p.oW);
                            }
                        }
                    }
                }
            }
        }
    }

    private static void zero(CpuBuffer b, int at, int n) {
        if (n <= 0) return;
        if (b.f != null) java.util.Arrays.fill(b.f, at, at + n, 0f);
        else java.util.Arrays.fill(b.d, at, at + n, 0.0);
    }

    /** {@code dst[d + o] = src[s0 + o*s]} for {@code lo <= o < hi}. */
    private static void copyAffine(CpuBuffer src, int s0, int s, CpuBuffer dst, int d, int lo, int hi) {
        if (hi <= lo) return;
        if (s == 1) {
            if (src.f != null) System.arraycopy(src.f, s0 + lo, dst.f, d + lo, hi - lo);
            else System.arraycopy(src.d, s0 + lo, dst.d, d + lo, hi - lo);
        } else if (src.f != null) {
            float[] a = src.f, b = dst.f;
            for (int o = lo; o < hi; o++) b[d + o] = a[s0 + o * s];
        } else {
            double[] a = src.d, b = dst.d;
            for (int o = lo; o < hi; o++) b[d + o] = a[s0 + o * s];
        }
    }

    /** {@code x[s0 + o*s] += cols[d + o]} for {@code lo <= o < hi}. */
    private static void addAffine(CpuBuffer cols, int d, CpuBuffer x, int s0, int s, int lo, int hi) {
        if (x.f != null) {
            float[] a = cols.f, b = x.f;
            if (s == 1) for (int o = lo; o < hi; o++) b[s0 + o] += a[d + o];
            else for (int o = lo; o < hi; o++) b[s0 + o * s] += a[d + o];
        } else {
            double[] a = cols.d, b = x.d;
            if (s == 1) for (int o = lo; o < hi; o++) b[s0 + o] += a[d + o];
            else for (int o = lo; o < hi; o++) b[s0 + o * s] += a[d + o];
        }
    }

    /** {@code dst[d + o] = src[s0 + tab[t0 + o]]}, or 0 where the table holds -1. */
    private static void copyTable(CpuBuffer src, int s0, int[] tab, int t0, CpuBuffer dst, int d, int n) {
        if (src.f != null) {
            float[] a = src.f, b = dst.f;
            for (int o = 0; o < n; o++) {
                int i = tab[t0 + o];
                b[d + o] = i < 0 ? 0f : a[s0 + i];
            }
        } else {
            double[] a = src.d, b = dst.d;
            for (int o = 0; o < n; o++) {
                int i = tab[t0 + o];
                b[d + o] = i < 0 ? 0.0 : a[s0 + i];
            }
        }
    }

    /** {@code x[s0 + tab[t0 + o]] += cols[d + o]} where the table holds an index. */
    private static void addTable(CpuBuffer cols, int d, CpuBuffer x, int s0, int[] tab, int t0, int n) {
        if (x.f != null) {
            float[] a = cols.f, b = x.f;
            for (int o = 0; o < n; o++) {
                int i = tab[t0 + o];
                if (i >= 0) b[s0 + i] += a[d + o];
            }
        } else {
            double[] a = cols.d, b = x.d;
            for (int o = 0; o < n; o++) {
                int i = tab[t0 + o];
                if (i >= 0) b[s0 + i] += a[d + o];
            }
        }
    }

    // ============================================================================================
    // pooling
    // ============================================================================================

    @Override public void maxPool(Buffer key, Buffer values, int planes, ConvGeometry g, Buffer out) {
        CpuBuffer k = real(key, "maxPool"), v = real(values, "maxPool"), o = real(out, "maxPool");
        sameDtype("maxPool", v, o);
        WindowPlan p = new WindowPlan(g);
        boolean plainMax = p.dense && key == values;
        parallelFor(planes, (long) p.outVol * p.kVol, plane -> {
            int kb = plane * p.inVol, l = plane * p.outVol;
            if (plainMax) {
                // selecting by the values themselves: the maximum is the value, no position needed (branch-free)
                maxDense(p, v, kb, o, l);
                return;
            }
            for (int od = 0; od < p.oD; od++) {
                for (int oh = 0; oh < p.oH; oh++) {
                    int base = (od * p.sD * p.nH + oh * p.sH) * p.nW;
                    for (int ow = 0; ow < p.oW; ow++, l++, base += p.sW) {
                        int m = p.dense ? argmaxDense(k, kb, base, p.woff) : argmax(p, k, kb, od, oh, ow);
                        if (o.f != null) o.f[l] = m < 0 ? 0f : v.f[kb + m];
                        else o.d[l] = m < 0 ? 0.0 : v.d[kb + m];
                    }
                }
            }
        });
    }

    @Override public void maxPoolAdjoint(Buffer key, Buffer grad, int planes, ConvGeometry g, Buffer out) {
        CpuBuffer k = real(key, "maxPoolAdjoint"), gr = real(grad, "maxPoolAdjoint"), o = real(out, "maxPoolAdjoint");
        sameDtype("maxPoolAdjoint", gr, o);
        WindowPlan p = new WindowPlan(g);
        parallelFor(planes, (long) p.outVol * p.kVol, plane -> {
            int kb = plane * p.inVol, l = plane * p.outVol;
            for (int od = 0; od < p.oD; od++) {
                for (int oh = 0; oh < p.oH; oh++) {
                    int base = (od * p.sD * p.nH + oh * p.sH) * p.nW;
                    for (int ow = 0; ow < p.oW; ow++, l++, base += p.sW) {
                        int m = p.dense ? argmaxDense(k, kb, base, p.woff) : argmax(p, k, kb, od, oh, ow);
                        if (m < 0) continue;
                        if (o.f != null) o.f[kb + m] += gr.f[l];
                        else o.d[kb + m] += gr.d[l];
                    }
                }
            }
        });
    }

    /*
     * Float comparisons in data-dependent ternaries compile to branches that random data mispredicts, and
     * Math.max(float) is not an intrinsic on JDK 17: the dense max loops compare order-preserving integer
     * images of the values instead (sign-magnitude to two's complement), which compile to conditional moves.
     * A window holding a NaN takes the exact slow path, so NaN semantics stay PyTorch's.
     */

    private static int order(float v) {
        int i = Float.floatToRawIntBits(v);
        return i ^ ((i >> 31) & 0x7fffffff);
    }

    private static long order(double v) {
        long i = Double.doubleToRawLongBits(v);
        return i ^ ((i >> 63) & 0x7fffffffffffffffL);
    }

    private static float fromOrder(int o) { return Float.intBitsToFloat(o ^ ((o >> 31) & 0x7fffffff)); }

    private static double fromOrder(long o) { return Double.longBitsToDouble(o ^ ((o >> 63) & 0x7fffffffffffffffL)); }

    /** Window maxima of one plane whose windows all lie inside the input; a NaN in the window gives NaN, as in PyTorch. */
    private static void maxDense(WindowPlan p, CpuBuffer x, int xb, CpuBuffer out, int ob) {
        int[] woff = p.woff;
        int l = ob;
        for (int od = 0; od < p.oD; od++) {
            for (int oh = 0; oh < p.oH; oh++) {
                int base = xb + (od * p.sD * p.nH + oh * p.sH) * p.nW;
                for (int ow = 0; ow < p.oW; ow++, l++, base += p.sW) {
                    boolean nan = false;
                    if (x.f != null) {
                        float[] xf = x.f;
                        int m = Integer.MIN_VALUE;
                        for (int off : woff) {
                            float v = xf[base + off];
                            nan |= v != v;
                            m = Math.max(m, order(v));
                        }
                        out.f[l] = nan ? Float.NaN : fromOrder(m);
                    } else {
                        double[] xd = x.d;
                        long m = Long.MIN_VALUE;
                        for (int off : woff) {
                            double v = xd[base + off];
                            nan |= v != v;
                            m = Math.max(m, order(v));
                        }
                        out.d[l] = nan ? Double.NaN : fromOrder(m);
                    }
                }
            }
        }
    }

    /** {@link #argmax} for a window fully inside the input, starting at {@code base}: the first maximum. */
    private static int argmaxDense(CpuBuffer key, int kb, int base, int[] woff) {
        int best = base + woff[0];
        boolean nan = false;
        if (key.f != null) {
            float[] kf = key.f;
            int bestO = Integer.MIN_VALUE;
            for (int off : woff) {
                int idx = base + off;
                float v = kf[kb + idx];
                nan |= v != v;
                int o = order(v);
                int take = (int) (((long) bestO - o) >> 63); // -1 where o > bestO, else 0; no branch
                best = (idx & take) | (best & ~take);
                bestO = (o & take) | (bestO & ~take);
            }
        } else {
            double[] kd = key.d;
            long bestO = Long.MIN_VALUE;
            for (int off : woff) {
                int idx = base + off;
                double v = kd[kb + idx];
                nan |= v != v;
                long o = order(v);
                boolean gt = o > bestO;
                best = gt ? idx : best;
                bestO = gt ? o : bestO;
            }
        }
        if (!nan) return best;
        for (int off : woff) {
            double v = key.get(kb + base + off);
            if (v != v) return base + off;
        }
        return best;
    }

    /**
     * Position (within the plane) of the window maximum of output (od, oh, ow); -1 when the window is all
     * padding. The first maximum wins ties; a NaN wins and then stays (PyTorch).
     */
    private static int argmax(WindowPlan p, CpuBuffer key, int kb, int od, int oh, int ow) {
        int best = -1;
        double bestV = Double.NEGATIVE_INFINITY;
        float[] kf = key.f;
        double[] kd = key.d;
        for (int jd = 0; jd < p.kD; jd++) {
            int id = p.tD[jd * p.oD + od];
            if (id < 0) continue;
            for (int jh = 0; jh < p.kH; jh++) {
                int ih = p.tH[jh * p.oH + oh];
                if (ih < 0) continue;
                int row = (id * p.nH + ih) * p.nW;
                for (int jw = 0; jw < p.kW; jw++) {
                    int iw = p.tW[jw * p.oW + ow];
                    if (iw < 0) continue;
                    double v = kf != null ? kf[kb + row + iw] : kd[kb + row + iw];
                    if (best < 0 || v > bestV || (v != v && bestV == bestV)) {
                        best = row + iw;
                        bestV = v;
                    }
                }
            }
        }
        return best;
    }

    @Override public void avgPool(Buffer x, int planes, ConvGeometry g, boolean countIncludePad, Buffer out) {
        CpuBuffer xs = real(x, "avgPool"), o = real(out, "avgPool");
        sameDtype("avgPool", xs, o);
        WindowPlan p = new WindowPlan(g);
        parallelFor(planes, (long) p.outVol * p.kVol, plane -> {
            int xb = plane * p.inVol, ob = plane * p.outVol;
            if (p.dense) {
                avgPoolDense(p, xs, xb, o, ob);
                return;
            }
            for (int l = 0; l < p.outVol; l++) {
                int ow = l % p.oW, oh = (l / p.oW) % p.oH, od = l / (p.oW * p.oH);
                double sum = 0;
                int count = 0;
                for (int jd = 0; jd < p.kD; jd++) {
                    int id = p.tD[jd * p.oD + od];
                    if (id < 0) continue;
                    for (int jh = 0; jh < p.kH; jh++) {
                        int ih = p.tH[jh * p.oH + oh];
                        if (ih < 0) continue;
                        int row = xb + (id * p.nH + ih) * p.nW;
                        for (int jw = 0; jw < p.kW; jw++) {
                            int iw = p.tW[jw * p.oW + ow];
                            if (iw < 0) continue;
                            sum += xs.get(row + iw);
                            count++;
                        }
                    }
                }
                o.set(ob + l, count == 0 ? 0.0 : sum / (countIncludePad ? p.kVol : count));
            }
        });
    }

    @Override public void avgPoolAdjoint(Buffer grad, int planes, ConvGeometry g, boolean countIncludePad, Buffer out) {
        CpuBuffer gr = real(grad, "avgPoolAdjoint"), o = real(out, "avgPoolAdjoint");
        sameDtype("avgPoolAdjoint", gr, o);
        WindowPlan p = new WindowPlan(g);
        parallelFor(planes, (long) p.outVol * p.kVol, plane -> {
            int xb = plane * p.inVol, gb = plane * p.outVol;
            if (p.dense) {
                avgPoolAdjointDense(p, gr, gb, o, xb);
                return;
            }
            for (int l = 0; l < p.outVol; l++) {
                int ow = l % p.oW, oh = (l / p.oW) % p.oH, od = l / (p.oW * p.oH);
                int count = countIncludePad ? p.kVol : validCount(p, od, oh, ow);
                if (count == 0) continue;
                double share = gr.get(gb + l) / count;
                for (int jd = 0; jd < p.kD; jd++) {
                    int id = p.tD[jd * p.oD + od];
                    if (id < 0) continue;
                    for (int jh = 0; jh < p.kH; jh++) {
                        int ih = p.tH[jh * p.oH + oh];
                        if (ih < 0) continue;
                        int row = xb + (id * p.nH + ih) * p.nW;
                        for (int jw = 0; jw < p.kW; jw++) {
                            int iw = p.tW[jw * p.oW + ow];
                            if (iw >= 0) o.set(row + iw, o.get(row + iw) + share);
                        }
                    }
                }
            }
        });
    }

    /** Average pooling of one plane whose windows all lie inside the input (every divisor is the kernel volume). */
    private static void avgPoolDense(WindowPlan p, CpuBuffer x, int xb, CpuBuffer out, int ob) {
        int[] woff = p.woff;
        double scale = 1.0 / p.kVol;
        int l = ob;
        for (int od = 0; od < p.oD; od++) {
            for (int oh = 0; oh < p.oH; oh++) {
                int base = xb + (od * p.sD * p.nH + oh * p.sH) * p.nW;
                for (int ow = 0; ow < p.oW; ow++, l++, base += p.sW) {
                    if (x.f != null) {
                        float[] xf = x.f;
                        float sum = 0;
                        for (int off : woff) sum += xf[base + off];
                        out.f[l] = (float) (sum * scale);
                    } else {
                        double[] xd = x.d;
                        double sum = 0;
                        for (int off : woff) sum += xd[base + off];
                        out.d[l] = sum * scale;
                    }
                }
            }
        }
    }

    /** Adjoint of {@link #avgPoolDense}: each gradient divided by the kernel volume is added over its window. */
    private static void avgPoolAdjointDense(WindowPlan p, CpuBuffer grad, int gb, CpuBuffer out, int xb) {
        int[] woff = p.woff;
        double scale = 1.0 / p.kVol;
        int l = gb;
        for (int od = 0; od < p.oD; od++) {
            for (int oh = 0; oh < p.oH; oh++) {
                int base = xb + (od * p.sD * p.nH + oh * p.sH) * p.nW;
                for (int ow = 0; ow < p.oW; ow++, l++, base += p.sW) {
                    if (out.f != null) {
                        float share = (float) (grad.f[l] * scale);
                        float[] of = out.f;
                        for (int off : woff) of[base + off] += share;
                    } else {
                        double share = grad.d[l] * scale;
                        double[] odd = out.d;
                        for (int off : woff) odd[base + off] += share;
                    }
                }
            }
        }
    }

    private static int validCount(WindowPlan p, int od, int oh, int ow) {
        int cd = 0, ch = 0, cw = 0;
        for (int jd = 0; jd < p.kD; jd++) if (p.tD[jd * p.oD + od] >= 0) cd++;
        for (int jh = 0; jh < p.kH; jh++) if (p.tH[jh * p.oH + oh] >= 0) ch++;
        for (int jw = 0; jw < p.kW; jw++) if (p.tW[jw * p.oW + ow] >= 0) cw++;
        return cd * ch * cw;
    }

    // ============================================================================================
    // linear resampling
    // ============================================================================================

    @Override public void linearResample(Buffer x, int outer, int inSize, int inner, int outSize, boolean alignCorners, Buffer out) {
        CpuBuffer xs = real(x, "linearResample"), o = real(out, "linearResample");
        sameDtype("linearResample", xs, o);
        Taps taps = new Taps(inSize, outSize, alignCorners);
        int[] i0 = taps.i0, i1 = taps.i1;
        parallelFor(outer, (long) outSize * inner, q -> {
            int ib = q * inSize * inner, ob = q * outSize * inner;
            if (o.f != null) {
                float[] src = xs.f, dst = o.f, w0 = taps.w0f, w1 = taps.w1f;
                if (inner == 1) {
                    for (int t = 0; t < outSize; t++) dst[ob + t] = w0[t] * src[ib + i0[t]] + w1[t] * src[ib + i1[t]];
                    return;
                }
                for (int t = 0; t < outSize; t++) {
                    int a = ib + i0[t] * inner, b = ib + i1[t] * inner, d = ob + t * inner;
                    float u = w0[t], v = w1[t];
                    for (int i = 0; i < inner; i++) dst[d + i] = u * src[a + i] + v * src[b + i];
                }
            } else {
                double[] src = xs.d, dst = o.d, w0 = taps.w0, w1 = taps.w1;
                for (int t = 0; t < outSize; t++) {
                    int a = ib + i0[t] * inner, b = ib + i1[t] * inner, d = ob + t * inner;
                    double u = w0[t], v = w1[t];
                    for (int i = 0; i < inner; i++) dst[d + i] = u * src[a + i] + v * src[b + i];
                }
            }
        });
    }

    @Override public void linearResampleAdjoint(Buffer grad, int outer, int outSize, int inner, int inSize, boolean alignCorners,
                                                Buffer out) {
        CpuBuffer gs = real(grad, "linearResampleAdjoint"), o = real(out, "linearResampleAdjoint");
        sameDtype("linearResampleAdjoint", gs, o);
        Taps taps = new Taps(inSize, outSize, alignCorners);
        int[] i0 = taps.i0, i1 = taps.i1;
        parallelFor(outer, (long) outSize * inner, q -> {
            int ib = q * inSize * inner, gb = q * outSize * inner;
            if (o.f != null) {
                float[] src = gs.f, dst = o.f, w0 = taps.w0f, w1 = taps.w1f;
                for (int t = 0; t < outSize; t++) {
                    int a = ib + i0[t] * inner, b = ib + i1[t] * inner, d = gb + t * inner;
                    float u = w0[t], v = w1[t];
                    for (int i = 0; i < inner; i++) {
                        dst[a + i] += u * src[d + i];
                        dst[b + i] += v * src[d + i];
                    }
                }
            } else {
                double[] src = gs.d, dst = o.d, w0 = taps.w0, w1 = taps.w1;
                for (int t = 0; t < outSize; t++) {
                    int a = ib + i0[t] * inner, b = ib + i1[t] * inner, d = gb + t * inner;
                    double u = w0[t], v = w1[t];
                    for (int i = 0; i < inner; i++) {
                        dst[a + i] += u * src[d + i];
                        dst[b + i] += v * src[d + i];
                    }
                }
            }
        });
    }

    /** Neighbours and weights (1 - w, w) of each output index of a 1-D linear resampling. */
    private static final class Taps {
        final int[] i0, i1;
        final double[] w0, w1;
        final float[] w0f, w1f;

        Taps(int inSize, int outSize, boolean alignCorners) {
            i0 = new int[outSize];
            i1 = new int[outSize];
            w0 = new double[outSize];
            w1 = new double[outSize];
            w0f = new float[outSize];
            w1f = new float[outSize];
            for (int t = 0; t < outSize; t++) {
                double s = ConvKernels.sourceCoordinate(t, inSize, outSize, alignCorners);
                int a = Math.min((int) Math.floor(s), inSize - 1);
                double w = Math.min(Math.max(s - a, 0.0), 1.0);
                i0[t] = a;
                i1[t] = Math.min(a + 1, inSize - 1);
                w0[t] = 1.0 - w;
                w1[t] = w;
                w0f[t] = (float) (1.0 - w);
                w1f[t] = (float) w;
            }
        }
    }

    // ============================================================================================
    // window geometry, normalized to three spatial axes (D, H, W)
    // ============================================================================================

    /**
     * A {@link ConvGeometry} padded in front to three axes (size 1, kernel 1) with, per axis, the table
     * {@code t[j*out + o]} of the input index read by kernel offset {@code j} at output {@code o}
     * (-1 in zero padding). Along W without circular wrap the index is affine,
     * {@code o*sW + offW[j]} on the valid range {@code [loW[j], hiW[j])}, which the copy loops use directly.
     */
    static final class WindowPlan {
        final int nD, nH, nW, oD, oH, oW, kD, kH, kW, inVol, outVol, kVol;
        final int[] tD, tH, tW;
        final boolean affineW;
        final int sW;
        final int[] offW, loW, hiW;
        /**
         * True without padding (hence without wrap): every window lies inside the input, output (od, oh, ow)
         * starts at {@code (od*sD*nH + oh*sH)*nW + ow*sW} and kernel offset j adds {@code woff[j]}.
         */
        final boolean dense;
        final int sD, sH;
        final int[] woff;

        WindowPlan(ConvGeometry g) {
            int r = g.rank(), lead = 3 - r;
            int[] n = new int[3], o = new int[3], k = new int[3], s = new int[3], pad = new int[3], d = new int[3];
            for (int a = 0; a < 3; a++) {
                if (a < lead) {
                    n[a] = o[a] = k[a] = s[a] = d[a] = 1;
                } else {
                    int b = a - lead;
                    n[a] = g.in(b);
                    o[a] = g.out(b);
                    k[a] = g.kernel(b);
                    s[a] = g.stride(b);
                    pad[a] = g.padding(b);
                    d[a] = g.dilation(b);
                }
            }
            nD = n[0]; nH = n[1]; nW = n[2];
            oD = o[0]; oH = o[1]; oW = o[2];
            kD = k[0]; kH = k[1]; kW = k[2];
            inVol = nD * nH * nW;
            outVol = oD * oH * oW;
            kVol = kD * kH * kW;
            boolean circ = g.circular();
            dense = pad[0] == 0 && pad[1] == 0 && pad[2] == 0;
            sD = s[0];
            sH = s[1];
            woff = new int[kVol];
            for (int jd = 0, j = 0; jd < kD; jd++) {
                for (int jh = 0; jh < kH; jh++) {
                    for (int jw = 0; jw < kW; jw++) woff[j++] = (jd * d[0] * nH + jh * d[1]) * nW + jw * d[2];
                }
            }
            tD = table(n[0], o[0], k[0], s[0], pad[0], d[0], circ);
            tH = table(n[1], o[1], k[1], s[1], pad[1], d[1], circ);
            tW = table(n[2], o[2], k[2], s[2], pad[2], d[2], circ);
            affineW = !circ;
            sW = s[2];
            offW = new int[kW];
            loW = new int[kW];
            hiW = new int[kW];
            for (int j = 0; j < kW; j++) {
                int off = -pad[2] + j * d[2];
                offW[j] = off;
                int lo = off >= 0 ? 0 : (-off + sW - 1) / sW;
                int hi = nW - 1 - off < 0 ? 0 : Math.min(oW, (nW - 1 - off) / sW + 1);
                loW[j] = Math.min(lo, hi);
                hiW[j] = hi;
            }
        }

        private static int[] table(int n, int out, int k, int s, int p, int d, boolean circular) {
            int[] t = new int[k * out];
            for (int j = 0; j < k; j++) {
                for (int o = 0; o < out; o++) {
                    int i = o * s - p + j * d;
                    if (circular) i = Math.floorMod(i, n);
                    else if (i < 0 || i >= n) i = -1;
                    t[j * out + o] = i;
                }
            }
            return t;
        }
    }
}
