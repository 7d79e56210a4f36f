package org.opforge.tensor.cpu;

import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
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

/**
 * The built-in CPU backend. Strided kernels first merge adjacent axes that are contiguous for every
 * operand (and drop size-1 axes), so the common cases (same-shape, scalar or row broadcast, slices,
 * permutes with a contiguous inner run) become a few long rows handled by tight loops; large loops
 * are split over {@link CpuThreads}.
 */
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
        if (c.f == null && c.d == null) {
            throw new IllegalStateException("cpu kernel given a released buffer (" + c.dtype + ", " + c.numel + " elements): a tensor"
                    + " outlived the autograd pass that released its storage");
        }
        return c;
    }

    @Override public Device device() { return Device.CPU; }

    @Override public String describe() {
        return "cpu: " + CpuThreads.threads() + " threads, sgemm kernel " + Gemm.kernelName();
    }

    /** Empties the pool of released storage and stops the worker threads; the next parallel kernel starts them again. */
    @Override public void trim() {
        POOL.clear();
        CpuThreads.shutdown(1000);
    }

    // ---- memory -----------------------------------------------------------------------------------

    /** Released storage for reuse: a sixteenth of the heap, between 64 MiB and 512 MiB. */
    private static final BufferPool POOL = new BufferPool(Math.max(64L << 20, Math.min(512L << 20, Runtime.getRuntime().maxMemory() / 16)));

    @Override public Buffer allocate(DType dtype, long numel) { return allocate(dtype, numel, true); }

    @Override public Buffer allocateForOverwrite(DType dtype, long numel) { return allocate(dtype, numel, false); }

    private static Buffer allocate(DType dtype, long numel, boolean zeroed) {
        long slots = numel * dtype.slots(), bytes = slots * (dtype.isDouble() ? 8 : 4);
        Object reused = slots >= BufferPool.MIN_SLOTS && slots <= Integer.MAX_VALUE - 8 ? POOL.take(dtype.isDouble(), (int) slots) : null;
        if (reused instanceof double[] d) {
            REUSED_BYTES.add(bytes);
            if (zeroed) Arrays.fill(d, 0);
            return observed(new CpuBuffer(dtype, d));
        }
        if (reused instanceof float[] f) {
            REUSED_BYTES.add(bytes);
            if (zeroed) Arrays.fill(f, 0);
            return observed(new CpuBuffer(dtype, f));
        }
        FRESH_BYTES.add(bytes);
        return observed(new CpuBuffer(dtype, numel));
    }

    private static volatile Consumer<CpuBuffer> observer;

    /**
     * Calls {@code o} with every buffer allocated from now on (null stops it): a measurement hook, for
     * the benchmarks' count of live bytes; it slows every allocation down to the observer's pace.
     */
    public static void observeAllocations(Consumer<CpuBuffer> o) { observer = o; }

    private static CpuBuffer observed(CpuBuffer b) {
        Consumer<CpuBuffer> o = observer;
        if (o != null) o.accept(b);
        return b;
    }

    private static final LongAdder FRESH_BYTES = new LongAdder(), REUSED_BYTES = new LongAdder();

    /** Bytes allocated so far: {@code [fresh from the heap, reused from released storage]}. */
    public static long[] allocatedBytes() { return new long[] {FRESH_BYTES.sum(), REUSED_BYTES.sum()}; }

    @Override public long allocationStamp() { return CpuBuffer.stamp(); }

    @Override public boolean allocatedSince(Buffer b, long stamp) {
        return b instanceof CpuBuffer c && c.serial > stamp;
    }

    @Override public void release(Buffer b) {
        if (b instanceof CpuBuffer c) {
            Object array = c.release();
            if (array != null) POOL.put(array);
        }
    }

    /** Bytes of released storage the pool holds for reuse. */
    public static long pooledBytes() { return POOL.heldBytes(); }

    @Override public Buffer fromHost(float[] data, DType dtype) {
        if (!dtype.isDouble()) return observed(new CpuBuffer(dtype, data.clone()));
        double[] d = new double[data.length];
        for (int i = 0; i < d.length; i++) d[i] = data[i];
        return observed(new CpuBuffer(dtype, d));
    }

    @Override public Buffer fromHost(double[] data, DType dtype) {
        if (dtype.isDouble()) return observed(new CpuBuffer(dtype, data.clone()));
        float[] f = new float[data.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) data[i];
        return observed(new CpuBuffer(dtype, f));
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
        CpuBuffer out = observed(new CpuBuffer(dtype, s.numel));
        int n = (int) s.numel;
        int si = s.dtype.slots(), so = dtype.slots();
        if (si == so) {
            // same layout, only the precision changes
            if (s.f != null && out.f != null) System.arraycopy(s.f, 0, out.f, 0, s.f.length);
            else if (s.d != null && out.d != null) System.arraycopy(s.d, 0, out.d, 0, s.d.length);
            else if (s.f != null) for (int i = 0; i < s.f.length; i++) out.d[i] = s.f[i];
            else for (int i = 0; i < s.d.length; i++) out.f[i] = (float) s.d[i];
            return out;
        }
        // real -> complex (im = 0) or complex -> real (keep re)
        for (int i = 0; i < n; i++) out.set(i * so, s.get(i * si));
        return out;
    }

    @Override public void fill(Buffer out, double value) {
        CpuBuffer o = cb(out);
        int step = o.dtype.slots();
        if (o.f != null) {
            float v = (float) value;
            if (step == 1) Arrays.fill(o.f, v);
            else for (int i = 0; i < o.f.length; i += 2) { o.f[i] = v; o.f[i + 1] = 0; }
        } else {
            if (step == 1) Arrays.fill(o.d, value);
            else for (int i = 0; i < o.d.length; i += 2) { o.d[i] = value; o.d[i + 1] = 0; }
        }
    }

    // ---- strided iteration ------------------------------------------------------------------------

    /**
     * Merges axes: drops size-1 axes and joins an axis with its inner neighbour when, for every stride
     * set, stride[outer] == stride[inner] * size[inner]. Returns {shape, strides_0, strides_1, ...},
     * all of the reduced rank (rank 0 when every axis had size 1).
     */
    static int[][] collapse(int[] shape, int[]... strides) {
        int r = shape.length, k = strides.length;
        int[] s = new int[r];
        int[][] st = new int[k][r];
        int n = 0;
        for (int ax = r - 1; ax >= 0; ax--) {
            if (shape[ax] == 1) continue;
            boolean merge = n > 0;
            for (int t = 0; t < k && merge; t++) merge = (long) strides[t][ax] == (long) st[t][n - 1] * s[n - 1];
            if (merge) {
                s[n - 1] *= shape[ax];
                continue;
            }
            s[n] = shape[ax];
            for (int t = 0; t < k; t++) st[t][n] = strides[t][ax];
            n++;
        }
        int[][] res = new int[k + 1][n];
        for (int i = 0; i < n; i++) {
            res[0][i] = s[n - 1 - i];
            for (int t = 0; t < k; t++) res[t + 1][i] = st[t][n - 1 - i];
        }
        return res;
    }

    /** Receives one row: the element offset of every operand at the row start, and the row length. */
    @FunctionalInterface
    interface RowBody {
        void row(int[] offsets, int len);
    }

    /**
     * Calls {@code body} for every row (the last collapsed axis) of {@code shape}, operand t starting at
     * {@code base[t]} with strides {@code strides[t]}; rows [r0, r1) only.
     */
    static void rows(int[] shape, int[][] strides, int[] base, int r0, int r1, RowBody body) {
        int rank = shape.length, k = strides.length;
        int len = rank == 0 ? 1 : shape[rank - 1];
        int outer = rank - 1;
        int[] idx = new int[Math.max(outer, 0)];
        int[] off = base.clone();
        // position at row r0
        long rem = r0;
        for (int ax = outer - 1; ax >= 0; ax--) {
            idx[ax] = (int) (rem % shape[ax]);
            rem /= shape[ax];
            for (int t = 0; t < k; t++) off[t] += idx[ax] * strides[t][ax];
        }
        for (int r = r0; r < r1; r++) {
            body.row(off, len);
            for (int ax = outer - 1; ax >= 0; ax--) {
                for (int t = 0; t < k; t++) off[t] += strides[t][ax];
                if (++idx[ax] < shape[ax]) break;
                for (int t = 0; t < k; t++) off[t] -= strides[t][ax] * shape[ax];
                idx[ax] = 0;
            }
        }
    }

    static int rowCount(int[] shape) {
        long n = 1;
        for (int i = 0; i < shape.length - 1; i++) n *= shape[i];
        return (int) n;
    }

    // ---- element-wise -----------------------------------------------------------------------------

    @Override public void unary(UnaryOp op, Buffer x, Buffer out, double p) {
        CpuBuffer a = cb(x), o = cb(out);
        if (a.dtype.isComplex()) throw new IllegalArgumentException(op.name().toLowerCase() + ": complex buffers are not supported");
        int n = (int) a.numel;
        long cost = switch (op) {
            case NEG, ABS, SIGN, SQUARE, RELU, STEP, ADD_SCALAR, MUL_SCALAR, CLAMP_MIN, CLAMP_MAX, GT_SCALAR -> 1;
            default -> 16;
        };
        if (a.f != null) {
            float[] s = a.f, r = o.f;
            CpuThreads.parallelFor(n, cost, (lo, hi) -> UnaryRows.range(op, s, r, p, lo, hi));
        } else {
            double[] s = a.d, r = o.d;
            CpuThreads.parallelFor(n, cost, (lo, hi) -> UnaryRows.range(op, s, r, p, lo, hi));
        }
    }

    @Override public void binary(BinaryOp op, Buffer a, long aOffset, int[] aStrides, Buffer b, long bOffset, int[] bStrides,
                                 Buffer out, int[] shape) {
        CpuBuffer x = cb(a), y = cb(b), o = cb(out);
        int n = (int) Shapes.numel(shape);
        if (n == 0) return;
        int[][] c = collapse(shape, aStrides, bStrides);
        int[] cs = c[0];
        int[][] st = {c[1], c[2], Shapes.strides(cs)};
        int[] base = {(int) aOffset, (int) bOffset, 0};
        int rows = rowCount(cs);
        int len = n / rows;
        if (o.dtype.isComplex()) {
            if (x.dtype != o.dtype || y.dtype != o.dtype) {
                throw new IllegalArgumentException(op.name().toLowerCase() + ": complex operands " + x.dtype + ", " + y.dtype + " for a " + o.dtype + " result");
            }
            if (op != BinaryOp.ADD && op != BinaryOp.SUB && op != BinaryOp.MUL && op != BinaryOp.DIV) {
                throw new IllegalArgumentException(op.name().toLowerCase() + ": not defined for complex tensors");
            }
            int sa = cs.length == 0 ? 0 : st[0][cs.length - 1], sb = cs.length == 0 ? 0 : st[1][cs.length - 1];
            CpuThreads.parallelFor(rows, 4L * len, (r0, r1) -> rows(cs, st, base, r0, r1, (off, l) -> {
                if (o.f != null) complexRow(op, x.f, off[0], sa, y.f, off[1], sb, o.f, off[2], l);
                else complexRow(op, x.d, off[0], sa, y.d, off[1], sb, o.d, off[2], l);
            }));
            return;
        }
        int sa = cs.length == 0 ? 0 : st[0][cs.length - 1], sb = cs.length == 0 ? 0 : st[1][cs.length - 1];
        if (rows == 1) {
            // one long row (same-shape contiguous operands collapse to it): split the row itself among threads
            int a0 = base[0], b0 = base[1];
            CpuThreads.parallelFor(len, 1, (j0, j1) -> {
                if (o.f != null) BinaryRows.row(op, x.f, a0 + j0 * sa, sa, y.f, b0 + j0 * sb, sb, o.f, j0, j1 - j0);
                else BinaryRows.row(op, x.d, a0 + j0 * sa, sa, y.d, b0 + j0 * sb, sb, o.d, j0, j1 - j0);
            });
            return;
        }
        CpuThreads.parallelFor(rows, len, (r0, r1) -> rows(cs, st, base, r0, r1, (off, l) -> {
            if (o.f != null) BinaryRows.row(op, x.f, off[0], sa, y.f, off[1], sb, o.f, off[2], l);
            else BinaryRows.row(op, x.d, off[0], sa, y.d, off[1], sb, o.d, off[2], l);
        }));
    }

    /** Complex row: element strides sa, sb (0 broadcasts); interleaved storage. */
    private static void complexRow(BinaryOp op, float[] a, int ia, int sa, float[] b, int ib, int sb, float[] r, int ir, int len) {
        for (int j = 0; j < len; j++) {
            int pa = 2 * (ia + j * sa), pb = 2 * (ib + j * sb), pr = 2 * (ir + j);
            float ar = a[pa], ai = a[pa + 1], br = b[pb], bi = b[pb + 1];
            switch (op) {
                case ADD -> { r[pr] = ar + br; r[pr + 1] = ai + bi; }
                case SUB -> { r[pr] = ar - br; r[pr + 1] = ai - bi; }
                case MUL -> { r[pr] = (float) ((double) ar * br - (double) ai * bi); r[pr + 1] = (float) ((double) ar * bi + (double) ai * br); }
                default -> {
                    double den = (double) br * br + (double) bi * bi;
                    r[pr] = (float) (((double) ar * br + (double) ai * bi) / den);
                    r[pr + 1] = (float) (((double) ai * br - (double) ar * bi) / den);
                }
            }
        }
    }

    private static void complexRow(BinaryOp op, double[] a, int ia, int sa, double[] b, int ib, int sb, double[] r, int ir, int len) {
        for (int j = 0; j < len; j++) {
            int pa = 2 * (ia + j * sa), pb = 2 * (ib + j * sb), pr = 2 * (ir + j);
            double ar = a[pa], ai = a[pa + 1], br = b[pb], bi = b[pb + 1];
            switch (op) {
                case ADD -> { r[pr] = ar + br; r[pr + 1] = ai + bi; }
                case SUB -> { r[pr] = ar - br; r[pr + 1] = ai - bi; }
                case MUL -> { r[pr] = ar * br - ai * bi; r[pr + 1] = ar * bi + ai * br; }
                default -> {
                    double den = br * br + bi * bi;
                    r[pr] = (ar * br + ai * bi) / den;
                    r[pr + 1] = (ai * br - ar * bi) / den;
                }
            }
        }
    }

    @Override public void complexParts(Buffer z, Buffer re, Buffer im) {
        CpuBuffer s = cb(z), r = cb(re), m = cb(im);
        int n = (int) s.numel;
        if (s.f != null) {
            for (int i = 0; i < n; i++) { r.f[i] = s.f[2 * i]; m.f[i] = s.f[2 * i + 1]; }
        } else {
            for (int i = 0; i < n; i++) { r.d[i] = s.d[2 * i]; m.d[i] = s.d[2 * i + 1]; }
        }
    }

    @Override public void complexCombine(Buffer re, Buffer im, Buffer z) {
        CpuBuffer r = cb(re), m = cb(im), o = cb(z);
        int n = (int) o.numel;
        if (o.f != null) {
            for (int i = 0; i < n; i++) { o.f[2 * i] = r.f[i]; o.f[2 * i + 1] = m.f[i]; }
        } else {
            for (int i = 0; i < n; i++) { o.d[2 * i] = r.d[i]; o.d[2 * i + 1] = m.d[i]; }
        }
    }

    @Override public void conj(Buffer z, Buffer out) {
        CpuBuffer s = cb(z), o = cb(out);
        int n = (int) s.numel;
        if (s.f != null) {
            for (int i = 0; i < n; i++) { o.f[2 * i] = s.f[2 * i]; o.f[2 * i + 1] = -s.f[2 * i + 1]; }
        } else {
            for (int i = 0; i < n; i++) { o.d[2 * i] = s.d[2 * i]; o.d[2 * i + 1] = -s.d[2 * i + 1]; }
        }
    }

    // ---- reductions -------------------------------------------------------------------------------

    @Override public void reduce(ReduceOp op, Buffer x, int[] shape, boolean[] axes, Buffer out) {
        CpuBuffer s = cb(x), o = cb(out);
        if (s.dtype.isComplex()) throw new IllegalArgumentException("reduce: complex buffers are not supported");
        int n = (int) Shapes.numel(shape);
        int m = (int) o.numel;
        int rank = shape.length;
        int[] outShape = shape.clone();
        for (int i = 0; i < rank; i++) if (axes[i]) outShape[i] = 1;
        int[] outStrides = Shapes.strides(outShape);
        for (int i = 0; i < rank; i++) if (axes[i]) outStrides[i] = 0;
        double init = switch (op) {
            case SUM -> 0.0;
            case MAX -> Double.NEGATIVE_INFINITY;
            case MIN -> Double.POSITIVE_INFINITY;
        };
        double[] acc = new double[m];
        Arrays.fill(acc, init);
        if (n > 0) {
            int[][] c = collapse(shape, Shapes.strides(shape), outStrides);
            int[] cs = c[0];
            int[][] st = {c[1], c[2]};
            int rows = rowCount(cs);
            int len = n / rows;
            boolean innerReduced = cs.length > 0 && st[1][cs.length - 1] == 0;
            if (cs.length == 0) {
                acc[0] = ReduceRows.combine(op, init, s.f != null ? s.f[0] : s.d[0]);
            } else if (cs.length == 2 && st[0][0] == len && st[0][1] == 1 && st[1][0] == 1 && st[1][1] == 0) {
                // contiguous (R, C) reduced over C (row sums): one call per row without the generic walk
                CpuThreads.parallelFor(rows, len, (r0, r1) -> {
                    for (int r = r0; r < r1; r++) {
                        acc[r] = s.f != null ? ReduceRows.row(op, s.f, r * len, len, init) : ReduceRows.row(op, s.d, r * len, len, init);
                    }
                });
            } else if (innerReduced) {
                boolean outerAllKept = true;
                for (int i = 0; i < cs.length - 1; i++) outerAllKept &= st[1][i] != 0;
                CpuThreads.Range body = (r0, r1) -> rows(cs, st, new int[] {0, 0}, r0, r1, (off, l) -> {
                    double v = s.f != null ? ReduceRows.row(op, s.f, off[0], l, init) : ReduceRows.row(op, s.d, off[0], l, init);
                    acc[off[1]] = ReduceRows.combine(op, acc[off[1]], v);
                });
                // rows write distinct outputs only when no outer axis is reduced
                if (outerAllKept) CpuThreads.parallelFor(rows, len, body);
                else body.run(0, rows);
            } else if (cs.length == 2 && st[1][0] == 0 && st[0][1] == 1 && st[1][1] == 1 && st[0][0] == cs[1]) {
                // contiguous (R, C) reduced over R (bias gradients): fixed blocks of rows each reduced into a
                // partial row, the partials then combined in block order. Every thread works along whole
                // rows (not a slice of columns of every row), and the blocks depend on the shape only, so
                // the result is the same for any thread count.
                int nr = cs[0], nc = cs[1];
                int block = (int) Math.max(1, Math.min(nr, (1 << 15) / nc));
                int blocks = (nr + block - 1) / block;
                double[] part = new double[blocks * nc];
                if (op != ReduceOp.SUM) Arrays.fill(part, init);
                CpuThreads.parallelFor(blocks, (long) block * nc, (b0, b1) -> {
                    for (int bk = b0; bk < b1; bk++) {
                        for (int r = bk * block, end = Math.min(nr, r + block); r < end; r++) {
                            if (s.f != null) ReduceRows.columns(op, s.f, r * nc, part, bk * nc, nc);
                            else ReduceRows.columns(op, s.d, r * nc, part, bk * nc, nc);
                        }
                    }
                });
                for (int bk = 0; bk < blocks; bk++) for (int j = 0; j < nc; j++) acc[j] = ReduceRows.combine(op, acc[j], part[bk * nc + j]);
            } else {
                // inner axis kept: split its columns among threads, every thread walks all rows
                CpuThreads.parallelFor(len, rows, (j0, j1) -> rows(cs, st, new int[] {0, 0}, 0, rows, (off, l) -> {
                    if (s.f != null) ReduceRows.columns(op, s.f, off[0] + j0, acc, off[1] + j0, j1 - j0);
                    else ReduceRows.columns(op, s.d, off[0] + j0, acc, off[1] + j0, j1 - j0);
                }));
            }
        }
        if (o.f != null) for (int i = 0; i < m; i++) o.f[i] = (float) acc[i];
        else System.arraycopy(acc, 0, o.d, 0, m);
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
        if (s.dtype != d.dtype) throw new IllegalArgumentException("copyStrided: source " + s.dtype + " and destination " + d.dtype + " differ");
        int n = (int) Shapes.numel(shape);
        if (n == 0) return;
        int w = s.dtype.slots();
        int[][] c = collapse(shape, ss, ds);
        int[] cs = c[0];
        int[][] st = {c[1], c[2]};
        if (Transpose.tryRun(s, so, st[0], d, dof, st[1], cs, w, add)) return;
        int rows = rowCount(cs);
        int len = n / rows;
        int sIn = cs.length == 0 ? 1 : st[0][cs.length - 1], dIn = cs.length == 0 ? 1 : st[1][cs.length - 1];
        if (!add && cs.length == 2 && st[1][0] == len && dIn == 1 && st[0][0] == 0 && sIn == 1) {
            // one row repeated into a contiguous block (a bias broadcast over the batch): a block copy per row
            int rl = len * w;
            CpuThreads.parallelFor(rows, rl, (r0, r1) -> {
                for (int r = r0; r < r1; r++) {
                    if (s.f != null) System.arraycopy(s.f, so * w, d.f, (dof + r * len) * w, rl);
                    else System.arraycopy(s.d, so * w, d.d, (dof + r * len) * w, rl);
                }
            });
            return;
        }
        if (!add && w == 1 && cs.length == 2 && st[1][0] == len && dIn == 1 && sIn == 0) {
            // one value per row spread along it (a per-sample gradient broadcast over features): a fill per row
            int rs = st[0][0];
            CpuThreads.parallelFor(rows, len, (r0, r1) -> {
                for (int r = r0; r < r1; r++) {
                    int at = dof + r * len;
                    if (s.f != null) Arrays.fill(d.f, at, at + len, s.f[so + r * rs]);
                    else Arrays.fill(d.d, at, at + len, s.d[so + r * rs]);
                }
            });
            return;
        }
        CpuThreads.parallelFor(rows, (long) len * w, (r0, r1) -> rows(cs, st, new int[] {so, dof}, r0, r1, (off, l) -> {
            int a = off[0] * w, b = off[1] * w;
            if (s.f != null) StridedRows.row(s.f, a, sIn * w, d.f, b, dIn * w, l, w, add);
            else StridedRows.row(s.d, a, sIn * w, d.d, b, dIn * w, l, w, add);
        }));
    }

    @Override public void gather(Buffer src, int outer, int srcAxis, int inner, int[] index, Buffer out) {
        CpuBuffer s = cb(src), o = cb(out);
        int w = s.dtype.slots() * inner;
        CpuThreads.parallelFor(outer, (long) index.length * w, (a0, a1) -> {
            for (int a = a0; a < a1; a++) {
                for (int j = 0; j < index.length; j++) {
                    int from = (a * srcAxis + index[j]) * w, to = (a * index.length + j) * w;
                    if (s.f != null) System.arraycopy(s.f, from, o.f, to, w);
                    else System.arraycopy(s.d, from, o.d, to, w);
                }
            }
        });
    }

    @Override public void scatterAdd(Buffer src, int outer, int dstAxis, int inner, int[] index, Buffer dst) {
        CpuBuffer s = cb(src), o = cb(dst);
        int w = s.dtype.slots() * inner;
        // distinct outer slices never collide, repeated indices within one slice are added in order
        CpuThreads.parallelFor(outer, (long) index.length * w, (a0, a1) -> {
            for (int a = a0; a < a1; a++) {
                for (int j = 0; j < index.length; j++) {
                    int from = (a * index.length + j) * w, to = (a * dstAxis + index[j]) * w;
                    if (s.f != null) { float[] x = s.f, y = o.f; for (int c = 0; c < w; c++) y[to + c] += x[from + c]; }
                    else { double[] x = s.d, y = o.d; for (int c = 0; c < w; c++) y[to + c] += x[from + c]; }
                }
            }
        });
    }

    // ---- linear algebra ---------------------------------------------------------------------------

    @Override public void gemm(boolean transA, boolean transB, int batch, int m, int n, int k, double alpha,
                               Buffer a, long aOffset, long aBatchStride, Buffer b, long bOffset, long bBatchStride,
                               double beta, Buffer c, long cOffset, long cBatchStride) {
        Gemm.run(transA, transB, batch, m, n, k, alpha, cb(a), aOffset, aBatchStride, cb(b), bOffset, bBatchStride,
                beta, cb(c), cOffset, cBatchStride);
    }

    /**
     * float32: each thread writes the bias into the block of out it computes, accumulates the product
     * into it and applies the activation there, while the block is in its cache (one pass over out
     * instead of three); other dtypes as the default.
     */
    @Override public void linear(int m, int n, int k, Buffer x, Buffer w, Buffer bias, UnaryOp act, double p, Buffer out) {
        CpuBuffer o = cb(out), xb = cb(x), wb = cb(w), bb = bias == null ? null : cb(bias);
        if (o.f == null || xb.f == null || wb.f == null || (bb != null && bb.f == null)) {
            Backend.super.linear(m, n, k, x, w, bias, act, p, out);
            return;
        }
        float[] c = o.f, bv = bb == null ? null : bb.f;
        Sgemm.gemm(false, true, m, n, k, 1f, xb.f, 0, wb.f, 0, c, 0, new Sgemm.BlockHooks() {
            @Override public void before(int i0, int i1, int j0, int j1) {
                for (int i = i0; i < i1; i++) {
                    if (bv == null) Arrays.fill(c, i * n + j0, i * n + j1, 0f);
                    else System.arraycopy(bv, j0, c, i * n + j0, j1 - j0);
                }
            }

            @Override public void after(int i0, int i1, int j0, int j1) {
                if (act == null) return;
                if (j0 == 0 && j1 == n) UnaryRows.range(act, c, c, p, i0 * n, i1 * n);
                else for (int i = i0; i < i1; i++) UnaryRows.range(act, c, c, p, i * n + j0, i * n + j1);
            }
        });
    }

    /** float32 in one pass per row ({@link SgemmKernel#dotRows}, rows split over the threads); other dtypes as the default. */
    @Override public void vecdot(int rows, int len, Buffer a, Buffer b, Buffer out) {
        CpuBuffer x = cb(a), y = cb(b), o = cb(out);
        if (x.f == null || y.f == null || o.f == null) {
            Backend.super.vecdot(rows, len, a, b, out);
            return;
        }
        float[] xf = x.f, yf = y.f, of = o.f;
        CpuThreads.parallelFor(rows, Math.max(1, len), (lo, hi) -> Sgemm.KERNEL.dotRows(lo, hi, len, xf, yf, of));
    }

    // ---- optimizers -------------------------------------------------------------------------------

    @Override public void adamStep(Buffer p, Buffer g, Buffer m, Buffer v, Buffer vMax, Buffer out, double lr, double beta1,
                                   double beta2, double eps, double weightDecay, boolean decoupled, double bc1, double bc2) {
        CpuOptimKernels.adam(cb(p), cb(g), cb(m), cb(v), vMax == null ? null : cb(vMax), cb(out), lr, beta1, beta2, eps,
                weightDecay, decoupled, bc1, bc2);
    }

    // ---- kernel groups ----------------------------------------------------------------------------

    /** Counter-based fills: slot i depends only on (seed, counter + i), so chunks may run on any thread. */
    private final RandomKernels random = new RandomKernels() {
        @Override public void uniform(Buffer out, long seed, long counter, double low, double high) {
            CpuBuffer o = cb(out);
            CpuThreads.parallelFor(o.slots(), 8, (lo, hi) -> {
                for (int i = lo; i < hi; i++) o.set(i, low + (high - low) * Rng.uniform(seed, counter + i));
            });
        }

        @Override public void normal(Buffer out, long seed, long counter, double mean, double std) {
            CpuBuffer o = cb(out);
            CpuThreads.parallelFor(o.slots(), 32, (lo, hi) -> {
                for (int i = lo; i < hi; i++) o.set(i, mean + std * Rng.normal(seed, counter + i));
            });
        }
    };

    private final FftKernels fft = new CpuFftKernels();
    private final ConvKernels conv = new CpuConvKernels();

    @Override public FftKernels fft() { return fft; }

    @Override public ConvKernels conv() { return conv; }

    @Override public RandomKernels random() { return random; }
}
