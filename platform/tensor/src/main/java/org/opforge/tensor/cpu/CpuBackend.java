package org.opforge.tensor.cpu;

import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Shapes;
import org.opforge.tensor.backend.Backend;
import org.opforge.tensor.backend.BinaryOp;
import org.opforge.tensor.backend.Buffer;
import org.opforge.tensor.backend.ConvKernels;
import org.opforge.tensor.backend.FftKernels;
import org.opforge.tensor.backend.RandomKernels;
import org.opforge.tensor.backend.ReduceOp;
import org.opforge.tensor.backend.UnaryOp;

/** The built-in CPU backend. */
public final class CpuBackend implements Backend {
    private static final CpuBackend INSTANCE = new CpuBackend();

    public static CpuBackend instance() {
        return INSTANCE;
    }

    private CpuBackend() {}

    static CpuBuffer cb(Buffer b) {
        if (!(b instanceof CpuBuffer c)) {
            throw new IllegalArgumentException("cpu kernel given a buffer of device " + b.backend().device());
        }
        return c;
    }

    @Override public Device device() { return Device.CPU; }

    @Override public String describe() {
        return "cpu: " + Runtime.getRuntime().availableProcessors() + " cores";
    }

    // ---- memory -----------------------------------------------------------------------------------

    @Override public Buffer allocate(DType dtype, long numel) { return new CpuBuffer(dtype, numel); }

    @Override public Buffer fromHost(float[] data, DType dtype) {
        if (!dtype.isDouble()) return new CpuBuffer(dtype, data.clone());
        double[] d = new double[data.length];
        for (int i = 0; i < d.length; i++) d[i] = data[i];
        return new CpuBuffer(dtype, d);
    }

    @Override public Buffer fromHost(double[] data, DType dtype) {
        if (dtype.isDouble()) return new CpuBuffer(dtype, data.clone());
        float[] f = new float[data.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) data[i];
        return new CpuBuffer(dtype, f);
    }

    @Override public float[] toHostFloat(Buffer src) {
        CpuBuffer s = cb(src);
        if (s.f != null) return s.f.clone();
        float[] f = new float[s.d.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) s.d[i];
        return f;
    }

    @Override public double[] toHostDouble(Buffer src) {
        CpuBuffer s = cb(src);
        if (s.d != null) return s.d.clone();
        double[] d = new double[s.f.length];
        for (int i = 0; i < d.length; i++) d[i] = s.f[i];
        return d;
    }

    @Override public Buffer cast(Buffer src, DType dtype) {
        CpuBuffer s = cb(src);
        CpuBuffer out = new CpuBuffer(dtype, s.numel);
        int n = (int) s.numel;
        int si = s.dtype.slots(), so = dtype.slots();
        for (int i = 0; i < n; i++) {
            out.set(i * so, s.get(i * si));
            if (so == 2 && si == 2) out.set(i * so + 1, s.get(i * si + 1));
        }
        return out;
    }

    @Override public void fill(Buffer out, double value) {
        CpuBuffer o = cb(out);
        int step = o.dtype.slots();
        if (o.f != null) {
            float v = (float) value;
            if (step == 1) java.util.Arrays.fill(o.f, v);
            else for (int i = 0; i < o.f.length; i += 2) { o.f[i] = v; o.f[i + 1] = 0; }
        } else {
            if (step == 1) java.util.Arrays.fill(o.d, value);
            else for (int i = 0; i < o.d.length; i += 2) { o.d[i] = value; o.d[i + 1] = 0; }
        }
    }

    // ---- element-wise -----------------------------------------------------------------------------

    @Override public void unary(UnaryOp op, Buffer x, Buffer out, double p) {
        CpuBuffer a = cb(x), o = cb(out);
        int n = (int) a.numel;
        if (a.f != null) {
            float[] s = a.f, r = o.f;
            for (int i = 0; i < n; i++) r[i] = (float) ScalarMath.unary(op, s[i], p);
        } else {
            double[] s = a.d, r = o.d;
            for (int i = 0; i < n; i++) r[i] = ScalarMath.unary(op, s[i], p);
        }
    }

    @Override public void binary(BinaryOp op, Buffer a, long aOffset, int[] aStrides, Buffer b, long bOffset, int[] bStrides,
                                 Buffer out, int[] shape) {
        CpuBuffer x = cb(a), y = cb(b), o = cb(out);
        if (o.dtype.isComplex()) {
            complexBinary(op, x, (int) aOffset, aStrides, y, (int) bOffset, bStrides, o, shape);
            return;
        }
        int n = (int) Shapes.numel(shape);
        if (n == 0) return;
        int rank = shape.length;
        int[] idx = new int[rank];
        int ia = (int) aOffset, ib = (int) bOffset;
        int inner = rank == 0 ? 1 : shape[rank - 1];
        int sa = rank == 0 ? 0 : aStrides[rank - 1], sb = rank == 0 ? 0 : bStrides[rank - 1];
        for (int base = 0; base < n; base += inner) {
            if (o.f != null) {
                float[] r = o.f;
                for (int j = 0; j < inner; j++) r[base + j] = (float) ScalarMath.binary(op, x.get(ia + j * sa), y.get(ib + j * sb));
            } else {
                double[] r = o.d;
                for (int j = 0; j < inner; j++) r[base + j] = ScalarMath.binary(op, x.get(ia + j * sa), y.get(ib + j * sb));
            }
            // advance the multi-index over all axes but the last
            for (int ax = rank - 2; ax >= 0; ax--) {
                idx[ax]++;
                ia += aStrides[ax];
                ib += bStrides[ax];
                if (idx[ax] < shape[ax]) break;
                ia -= aStrides[ax] * shape[ax];
                ib -= bStrides[ax] * shape[ax];
                idx[ax] = 0;
            }
        }
    }

    private static void complexBinary(BinaryOp op, CpuBuffer x, int aOff, int[] aStrides, CpuBuffer y, int bOff, int[] bStrides,
                                      CpuBuffer o, int[] shape) {
        int n = (int) Shapes.numel(shape);
        int rank = shape.length;
        int[] idx = new int[rank];
        for (int i = 0; i < n; i++) {
            int ia = aOff, ib = bOff;
            for (int ax = 0; ax < rank; ax++) {
                ia += idx[ax] * aStrides[ax];
                ib += idx[ax] * bStrides[ax];
            }
            double ar = x.get(2 * ia), ai = x.get(2 * ia + 1), br = y.get(2 * ib), bi = y.get(2 * ib + 1);
            double rr, ri;
            switch (op) {
                case ADD -> { rr = ar + br; ri = ai + bi; }
                case SUB -> { rr = ar - br; ri = ai - bi; }
                case MUL -> { rr = ar * br - ai * bi; ri = ar * bi + ai * br; }
                case DIV -> {
                    double den = br * br + bi * bi;
                    rr = (ar * br + ai * bi) / den;
                    ri = (ai * br - ar * bi) / den;
                }
                default -> throw new IllegalArgumentException(op.name().toLowerCase() + ": not defined for complex tensors");
            }
            o.set(2 * i, rr);
            o.set(2 * i + 1, ri);
            for (int ax = rank - 1; ax >= 0; ax--) {
                if (++idx[ax] < shape[ax]) break;
                idx[ax] = 0;
            }
        }
    }

    @Override public void complexParts(Buffer z, Buffer re, Buffer im) {
        CpuBuffer s = cb(z), r = cb(re), m = cb(im);
        int n = (int) s.numel;
        for (int i = 0; i < n; i++) {
            r.set(i, s.get(2 * i));
            m.set(i, s.get(2 * i + 1));
        }
    }

    @Override public void complexCombine(Buffer re, Buffer im, Buffer z) {
        CpuBuffer r = cb(re), m = cb(im), o = cb(z);
        int n = (int) o.numel;
        for (int i = 0; i < n; i++) {
            o.set(2 * i, r.get(i));
            o.set(2 * i + 1, m.get(i));
        }
    }

    @Override public void conj(Buffer z, Buffer out) {
        CpuBuffer s = cb(z), o = cb(out);
        int n = (int) s.numel;
        for (int i = 0; i < n; i++) {
            o.set(2 * i, s.get(2 * i));
            o.set(2 * i + 1, -s.get(2 * i + 1));
        }
    }

    // ---- reductions -------------------------------------------------------------------------------

    @Override public void reduce(ReduceOp op, Buffer x, int[] shape, boolean[] axes, Buffer out) {
        CpuBuffer s = cb(x), o = cb(out);
        int n = (int) Shapes.numel(shape);
        int rank = shape.length;
        int[] outShape = shape.clone();
        for (int i = 0; i < rank; i++) if (axes[i]) outShape[i] = 1;
        int[] outStrides = Shapes.strides(outShape);
        for (int i = 0; i < rank; i++) if (axes[i]) outStrides[i] = 0;
        int m = (int) o.numel;
        double init = switch (op) {
            case SUM -> 0.0;
            case MAX -> Double.NEGATIVE_INFINITY;
            case MIN -> Double.POSITIVE_INFINITY;
        };
        double[] acc = new double[m];
        java.util.Arrays.fill(acc, init);
        int[] idx = new int[rank];
        int io = 0;
        for (int i = 0; i < n; i++) {
            double v = s.get(i);
            switch (op) {
                case SUM -> acc[io] += v;
                case MAX -> { if (v > acc[io] || Double.isNaN(v)) acc[io] = v; }
                case MIN -> { if (v < acc[io] || Double.isNaN(v)) acc[io] = v; }
            }
            for (int ax = rank - 1; ax >= 0; ax--) {
                io += outStrides[ax];
                if (++idx[ax] < shape[ax]) break;
                io -= outStrides[ax] * shape[ax];
                idx[ax] = 0;
            }
        }
        for (int i = 0; i < m; i++) o.set(i, acc[i]);
    }

    // ---- data movement ----------------------------------------------------------------------------

    @Override public void copyStrided(Buffer src, long srcOffset, int[] srcStrides, Buffer dst, long dstOffset, int[] dstStrides,
                                      int[] shape) {
        strided(cb(src), (int) srcOffset, srcStrides, cb(dst), (int) dstOffset, dstStrides, shape, false);
    }

    @Override public void addStrided(Buffer src, long srcOffset, int[] srcStrides, Buffer dst, long dstOffset, int[] dstStrides,
                                     int[] shape) {
        strided(cb(src), (int) srcOffset, srcStrides, cb(dst), (int) dstOffset, dstStrides, shape, true);
    }

    private static void strided(CpuBuffer s, int so, int[] ss, CpuBuffer d, int dof, int[] ds, int[] shape, boolean add) {
        int n = (int) Shapes.numel(shape);
        if (n == 0) return;
        int w = s.dtype.slots();
        int rank = shape.length;
        int[] idx = new int[rank];
        int is = so, id = dof;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < w; c++) {
                double v = s.get(is * w + c);
                d.set(id * w + c, add ? d.get(id * w + c) + v : v);
            }
            for (int ax = rank - 1; ax >= 0; ax--) {
                is += ss[ax];
                id += ds[ax];
                if (++idx[ax] < shape[ax]) break;
                is -= ss[ax] * shape[ax];
                id -= ds[ax] * shape[ax];
                idx[ax] = 0;
            }
        }
    }

    @Override public void gather(Buffer src, int outer, int srcAxis, int inner, int[] index, Buffer out) {
        CpuBuffer s = cb(src), o = cb(out);
        int w = s.dtype.slots() * inner;
        for (int a = 0; a < outer; a++) {
            for (int j = 0; j < index.length; j++) {
                int from = (a * srcAxis + index[j]) * w, to = (a * index.length + j) * w;
                if (s.f != null) System.arraycopy(s.f, from, o.f, to, w);
                else System.arraycopy(s.d, from, o.d, to, w);
            }
        }
    }

    @Override public void scatterAdd(Buffer src, int outer, int dstAxis, int inner, int[] index, Buffer dst) {
        CpuBuffer s = cb(src), o = cb(dst);
        int w = s.dtype.slots() * inner;
        for (int a = 0; a < outer; a++) {
            for (int j = 0; j < index.length; j++) {
                int from = (a * index.length + j) * w, to = (a * dstAxis + index[j]) * w;
                for (int c = 0; c < w; c++) o.set(to + c, o.get(to + c) + s.get(from + c));
            }
        }
    }

    // ---- linear algebra ---------------------------------------------------------------------------

    @Override public void gemm(boolean transA, boolean transB, int batch, int m, int n, int k, double alpha,
                               Buffer a, long aOffset, long aBatchStride, Buffer b, long bOffset, long bBatchStride,
                               double beta, Buffer c, long cOffset, long cBatchStride) {
        CpuBuffer x = cb(a), y = cb(b), z = cb(c);
        boolean cx = z.dtype.isComplex();
        for (int q = 0; q < batch; q++) {
            int ao = (int) (aOffset + q * aBatchStride), bo = (int) (bOffset + q * bBatchStride), co = (int) (cOffset + q * cBatchStride);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double sr = 0, si = 0;
                    for (int p = 0; p < k; p++) {
                        int ia = ao + (transA ? p * m + i : i * k + p);
                        int ib = bo + (transB ? j * k + p : p * n + j);
                        if (cx) {
                            double ar = x.get(2 * ia), ai = x.get(2 * ia + 1), br = y.get(2 * ib), bi = y.get(2 * ib + 1);
                            sr += ar * br - ai * bi;
                            si += ar * bi + ai * br;
                        } else {
                            sr += x.get(ia) * y.get(ib);
                        }
                    }
                    int ic = co + i * n + j;
                    if (cx) {
                        z.set(2 * ic, alpha * sr + (beta == 0 ? 0 : beta * z.get(2 * ic)));
                        z.set(2 * ic + 1, alpha * si + (beta == 0 ? 0 : beta * z.get(2 * ic + 1)));
                    } else {
                        z.set(ic, alpha * sr + (beta == 0 ? 0 : beta * z.get(ic)));
                    }
                }
            }
        }
    }

    // ---- kernel groups ----------------------------------------------------------------------------

    private final RandomKernels random = new RandomKernels() {
        @Override public void uniform(Buffer out, long seed, long counter, double low, double high) {
            CpuBuffer o = cb(out);
            int n = o.slots();
            for (int i = 0; i < n; i++) o.set(i, low + (high - low) * Rng.uniform(seed, counter + i));
        }

        @Override public void normal(Buffer out, long seed, long counter, double mean, double std) {
            CpuBuffer o = cb(out);
            int n = o.slots();
            for (int i = 0; i < n; i++) o.set(i, mean + std * Rng.normal(seed, counter + i));
        }
    };

    private final FftKernels fft = new CpuFftKernels();
    private final ConvKernels conv = new CpuConvKernels();

    @Override public FftKernels fft() { return fft; }

    @Override public ConvKernels conv() { return conv; }

    @Override public RandomKernels random() { return random; }
}
