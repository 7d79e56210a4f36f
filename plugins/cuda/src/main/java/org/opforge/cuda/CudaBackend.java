package org.opforge.cuda;

import java.lang.ref.Reference;
import java.util.Arrays;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.backend.Backend;
import org.opforge.tensor.backend.BinaryOp;
import org.opforge.tensor.backend.Buffer;
import org.opforge.tensor.backend.ConvKernels;
import org.opforge.tensor.backend.FftKernels;
import org.opforge.tensor.backend.RandomKernels;
import org.opforge.tensor.backend.ReduceOp;
import org.opforge.tensor.backend.UnaryOp;

/**
 * The tensor engine's {@link Backend} on a CUDA device: our own kernels (src/main/cuda, shipped as
 * PTX) launched through a {@link Driver}, device memory from a {@link DeviceAllocator}. Kernels follow
 * the CPU backend's definitions (float math through double where the CPU does so, reductions in
 * double, Java's NaN rules for max/min, the same counter-based random numbers), so both devices agree
 * within float32 rounding.
 *
 * <p>Calls may come from any thread; they are serialized on this object, and each makes the
 * backend's context current first.
 */
public final class CudaBackend implements Backend {
    static final int BLOCK = 256;

    private final Device device;
    private final Driver driver;
    final DeviceAllocator allocator;
    private final CudaFft fft;
    private final CudaConv conv;
    private final boolean syncEachLaunch = Boolean.getBoolean("opforge.cuda.sync");
    private final int maxGrid;
    private boolean closed;

    CudaBackend(Device device, Driver driver) {
        this.device = device;
        this.driver = driver;
        this.allocator = new DeviceAllocator(driver);
        this.fft = new CudaFft(this);
        this.conv = new CudaConv(this);
        // grid-stride kernels: a few waves of blocks per multiprocessor keep it busy without a huge grid
        this.maxGrid = Math.max(64, driver.multiprocessors() * 32);
    }

    @Override public Device device() { return device; }

    @Override public String describe() { return device + " " + driver.describe(); }

    // ---- plumbing ----------------------------------------------------------------------------------

    static CudaBuffer cb(Buffer b, String op) {
        if (!(b instanceof CudaBuffer c)) {
            throw new IllegalArgumentException(op + ": CUDA kernel given a buffer of device " + b.backend().device());
        }
        return c;
    }

    private void open() {
        if (closed) throw new IllegalStateException(device + ": the CUDA backend was closed (its bundle stopped)");
    }

    /** A new buffer, contents undefined. */
    synchronized CudaBuffer newBuffer(DType dtype, long numel) {
        open();
        if (numel < 0) throw new IllegalArgumentException("buffer size must be >= 0, found " + numel);
        DeviceAllocator.Block block = allocator.acquire(Math.max(1, numel * dtype.bytes()));
        CudaBuffer b = new CudaBuffer(this, dtype, numel, block);
        allocator.track(b, block);
        return b;
    }

    /** Scratch memory for one call; give it back with {@link #releaseScratch}. */
    DeviceAllocator.Block scratch(long bytes) {
        return allocator.acquire(Math.max(1, bytes));
    }

    void releaseScratch(DeviceAllocator.Block b) {
        allocator.release(b);
    }

    void upload(long address, int[] data) { driver.copyIn(address, data); }

    void upload(long address, float[] data) { driver.copyIn(address, data); }

    void upload(long address, double[] data) { driver.copyIn(address, data); }

    /** Launches a one-dimensional grid-stride kernel over {@code work} items. */
    void launch1d(String name, long work, KernelArgs args) {
        if (work <= 0) return;
        long blocks = Math.min((work + BLOCK - 1) / BLOCK, maxGrid);
        launch(name, (int) blocks, 1, 1, BLOCK, 0, args);
    }

    void launch(String name, int gx, int gy, int gz, int block, int shared, KernelArgs args) {
        Kernels.Kernel k = Kernels.get(name);
        if (!k.signature().equals(args.signature())) {
            throw new IllegalStateException("kernel " + name + " takes (" + k.signature() + ") but was given (" + args.signature() + ")");
        }
        driver.launch(k, gx, gy, gz, block, shared, args);
        if (syncEachLaunch) driver.synchronize();
    }

    int maxGrid() { return maxGrid; }

    static String prec(DType t) { return t.isDouble() ? "f64" : "f32"; }

    // ---- memory ------------------------------------------------------------------------------------

    @Override public synchronized Buffer allocate(DType dtype, long numel) {
        CudaBuffer b = newBuffer(dtype, numel);
        if (numel > 0) driver.memsetZero(b.address(), b.bytes());
        return b;
    }

    @Override public synchronized Buffer fromHost(float[] data, DType dtype) {
        CudaBuffer b = newBuffer(dtype, data.length / dtype.slots());
        if (data.length == 0) return b;
        if (dtype.isDouble()) {
            double[] d = new double[data.length];
            for (int i = 0; i < d.length; i++) d[i] = data[i];
            driver.copyIn(b.address(), d);
        } else {
            driver.copyIn(b.address(), data);
        }
        return b;
    }

    @Override public synchronized Buffer fromHost(double[] data, DType dtype) {
        CudaBuffer b = newBuffer(dtype, data.length / dtype.slots());
        if (data.length == 0) return b;
        if (dtype.isDouble()) {
            driver.copyIn(b.address(), data);
        } else {
            float[] f = new float[data.length];
            for (int i = 0; i < f.length; i++) f[i] = (float) data[i];
            driver.copyIn(b.address(), f);
        }
        return b;
    }

    @Override public synchronized float[] toHostFloat(Buffer src) {
        open();
        CudaBuffer s = cb(src, "toHost");
        int n = hostLength(s);
        if (!s.isDouble()) {
            float[] f = new float[n];
            if (n > 0) driver.copyOut(s.address(), f);
            return f;
        }
        double[] d = new double[n];
        if (n > 0) driver.copyOut(s.address(), d);
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = (float) d[i];
        return f;
    }

    @Override public synchronized double[] toHostDouble(Buffer src) {
        open();
        CudaBuffer s = cb(src, "toHost");
        int n = hostLength(s);
        if (s.isDouble()) {
            double[] d = new double[n];
            if (n > 0) driver.copyOut(s.address(), d);
            return d;
        }
        float[] f = new float[n];
        if (n > 0) driver.copyOut(s.address(), f);
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = f[i];
        return d;
    }

    private static int hostLength(CudaBuffer s) {
        long n = s.slots();
        if (n > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("toHost: " + n + " values do not fit in a Java array");
        return (int) n;
    }

    @Override public synchronized Buffer cast(Buffer src, DType dtype) {
        CudaBuffer s = cb(src, "cast");
        CudaBuffer out = newBuffer(dtype, s.numel());
        launch1d("cast_" + prec(s.dtype()) + "_" + prec(dtype), s.numel(),
                new KernelArgs().ptr(s).i64(s.dtype().slots()).ptr(out).i64(dtype.slots()).i64(s.numel()));
        Reference.reachabilityFence(s);
        return out;
    }

    @Override public synchronized void fill(Buffer out, double value) {
        open();
        CudaBuffer o = cb(out, "fill");
        launch1d("fill_" + prec(o.dtype()), o.numel(), new KernelArgs().ptr(o).i64(o.numel()).i64(o.dtype().slots()).f64(value));
    }

    // ---- element-wise ------------------------------------------------------------------------------

    /** The op code of elementwise.cu's unary switch. */
    static int unaryCode(UnaryOp op) {
        return switch (op.name()) {
            case "NEG" -> 0;
            case "ABS" -> 1;
            case "SIGN" -> 2;
            case "EXP" -> 3;
            case "EXPM1" -> 4;
            case "LOG" -> 5;
            case "SQRT" -> 6;
            case "RSQRT" -> 7;
            case "RECIPROCAL" -> 8;
            case "SQUARE" -> 9;
            case "SIN" -> 10;
            case "COS" -> 11;
            case "TANH" -> 12;
            case "SIGMOID" -> 13;
            case "ERF" -> 14;
            case "RELU" -> 15;
            case "STEP" -> 16;
            case "NORMAL_CDF" -> 17;
            case "NORMAL_PDF" -> 18;
            case "GELU" -> 19;
            case "GELU_GRAD" -> 20;
            case "SOFTPLUS" -> 21;
            case "POW_SCALAR" -> 22;
            case "ADD_SCALAR" -> 23;
            case "MUL_SCALAR" -> 24;
            case "CLAMP_MIN" -> 25;
            case "CLAMP_MAX" -> 26;
            case "GT_SCALAR" -> 27;
            default -> throw new UnsupportedOperationException("unary op " + op + " has no CUDA kernel (elementwise.cu)");
        };
    }

    static int binaryCode(BinaryOp op) {
        return switch (op.name()) {
            case "ADD" -> 0;
            case "SUB" -> 1;
            case "MUL" -> 2;
            case "DIV" -> 3;
            case "POW" -> 4;
            case "MAX" -> 5;
            case "MIN" -> 6;
            case "GT" -> 7;
            case "EQ" -> 8;
            case "RELU_GRAD" -> 9;
            default -> throw new UnsupportedOperationException("binary op " + op + " has no CUDA kernel (elementwise.cu)");
        };
    }

    @Override public synchronized void unary(UnaryOp op, Buffer x, Buffer out, double p) {
        open();
        CudaBuffer a = cb(x, op.name().toLowerCase()), o = cb(out, op.name().toLowerCase());
        if (a.dtype().isComplex()) throw new IllegalArgumentException(op.name().toLowerCase() + ": complex buffers are not supported");
        if (a.dtype() != o.dtype() || a.numel() != o.numel()) {
            throw new IllegalArgumentException(op.name().toLowerCase() + ": input " + a + " and output " + o + " differ in dtype or size");
        }
        launch1d("unary_" + prec(a.dtype()), a.numel(), new KernelArgs().ptr(a).ptr(o).i64(a.numel()).i32(unaryCode(op)).f64(p));
    }

    @Override public synchronized void binary(BinaryOp op, Buffer a, long aOffset, int[] aStrides, Buffer b, long bOffset, int[] bStrides,
                                              Buffer out, int[] shape) {
        open();
        String name = op.name().toLowerCase();
        CudaBuffer x = cb(a, name), y = cb(b, name), o = cb(out, name);
        long n = 1;
        for (int s : shape) n *= s;
        if (n == 0) return;
        String kernel;
        if (o.dtype().isComplex()) {
            if (x.dtype() != o.dtype() || y.dtype() != o.dtype()) {
                throw new IllegalArgumentException(name + ": complex operands " + x.dtype() + ", " + y.dtype() + " for a " + o.dtype() + " result");
            }
            if (op != BinaryOp.ADD && op != BinaryOp.SUB && op != BinaryOp.MUL && op != BinaryOp.DIV) {
                throw new IllegalArgumentException(name + ": not defined for complex tensors");
            }
            kernel = o.isDouble() ? "binary_c128" : "binary_c64";
        } else {
            if (x.dtype() != o.dtype() || y.dtype() != o.dtype()) {
                throw new IllegalArgumentException(name + ": operands " + x.dtype() + ", " + y.dtype() + " for a " + o.dtype() + " result");
            }
            kernel = "binary_" + prec(o.dtype());
        }
        long[] d = Layouts.strided2(name, shape, aStrides, bStrides);
        launch1d(kernel, n, new KernelArgs().ptr(x).i64(aOffset).ptr(y).i64(bOffset).ptr(o).i64(n).i32(binaryCode(op)).struct(d));
    }

    @Override public synchronized void complexParts(Buffer z, Buffer re, Buffer im) {
        open();
        CudaBuffer s = cb(z, "complexParts"), r = cb(re, "complexParts"), m = cb(im, "complexParts");
        launch1d("cparts_" + prec(s.dtype()), s.numel(), new KernelArgs().ptr(s).ptr(r).ptr(m).i64(s.numel()));
    }

    @Override public synchronized void complexCombine(Buffer re, Buffer im, Buffer z) {
        open();
        CudaBuffer r = cb(re, "complexCombine"), m = cb(im, "complexCombine"), o = cb(z, "complexCombine");
        launch1d("ccombine_" + prec(o.dtype()), o.numel(), new KernelArgs().ptr(r).ptr(m).ptr(o).i64(o.numel()));
    }

    @Override public synchronized void conj(Buffer z, Buffer out) {
        open();
        CudaBuffer s = cb(z, "conj"), o = cb(out, "conj");
        launch1d("conj_" + prec(s.dtype()), s.numel(), new KernelArgs().ptr(s).ptr(o).i64(s.numel()));
    }

    // ---- reductions --------------------------------------------------------------------------------

    @Override public synchronized void reduce(ReduceOp op, Buffer x, int[] shape, boolean[] axes, Buffer out) {
        open();
        CudaBuffer s = cb(x, "reduce"), o = cb(out, "reduce");
        if (s.dtype().isComplex()) throw new IllegalArgumentException("reduce: complex buffers are not supported");
        long n = 1, m = 1;
        for (int i = 0; i < shape.length; i++) {
            n *= shape[i];
            if (!axes[i]) m *= shape[i];
        }
        if (o.numel() != m) {
            throw new IllegalArgumentException("reduce: output holds " + o.numel() + " elements, expected " + m + " for shape "
                    + Arrays.toString(shape) + " reduced over " + Arrays.toString(axes));
        }
        if (m == 0) return;
        long r = n / m;
        boolean[] innerKept = new boolean[1];
        long[] d = Layouts.reduction(shape, axes, innerKept);
        int code = op.ordinal();
        String p = prec(s.dtype());
        if (m >= 2048 && (r <= 32 || innerKept[0])) {
            launch1d("reduce_thread_" + p, m, new KernelArgs().ptr(s).ptr(o).i64(m).i64(r).i32(code).struct(d));
            return;
        }
        // one block per output, or several per output (then a second pass) when there are few outputs
        long chunks = Math.max(1, Math.min((r + 4095) / 4096, (2L * maxGrid + m - 1) / m));
        long blocks = Math.min(m * chunks, maxGrid);
        DeviceAllocator.Block partial = chunks > 1 ? scratch(8 * m * chunks) : null;
        launch("reduce_block_" + p, (int) blocks, 1, 1, BLOCK, 0,
                new KernelArgs().ptr(s).ptr(partial == null ? 0 : partial.address).ptr(o).i64(m).i64(r).i32(code).i64(chunks).struct(d));
        if (partial != null) {
            launch1d("reduce_finish_" + p, m, new KernelArgs().ptr(partial.address).ptr(o).i64(m).i64(chunks).i32(code));
            releaseScratch(partial);
        }
        Reference.reachabilityFence(s);
        Reference.reachabilityFence(o);
    }

    // ---- data movement -----------------------------------------------------------------------------

    @Override public synchronized void copyStrided(Buffer src, long srcOffset, int[] srcStrides, Buffer dst, long dstOffset, int[] dstStrides,
                                                   int[] shape) {
        strided("copyStrided", cb(src, "copyStrided"), srcOffset, srcStrides, cb(dst, "copyStrided"), dstOffset, dstStrides, shape, false);
    }

    @Override public synchronized void addStrided(Buffer src, long srcOffset, int[] srcStrides, Buffer dst, long dstOffset, int[] dstStrides,
                                                  int[] shape) {
        strided("addStrided", cb(src, "addStrided"), srcOffset, srcStrides, cb(dst, "addStrided"), dstOffset, dstStrides, shape, true);
    }

    private void strided(String op, CudaBuffer s, long so, int[] ss, CudaBuffer d, long dof, int[] ds, int[] shape, boolean add) {
        open();
        if (s.dtype() != d.dtype()) throw new IllegalArgumentException(op + ": source " + s.dtype() + " and destination " + d.dtype() + " differ");
        long n = 1;
        for (int x : shape) n *= x;
        if (n == 0) return;
        long[] desc = Layouts.strided2(op, shape, ss, ds);
        if (add) {
            launch1d("add_strided_" + prec(s.dtype()), n,
                    new KernelArgs().ptr(s).i64(so).ptr(d).i64(dof).i64(n).i64(s.dtype().slots()).struct(desc));
        } else {
            String w = switch (s.dtype().bytes()) {
                case 4 -> "b4";
                case 8 -> "b8";
                default -> "b16";
            };
            launch1d("copy_strided_" + w, n, new KernelArgs().ptr(s).i64(so).ptr(d).i64(dof).i64(n).struct(desc));
        }
    }

    @Override public synchronized void gather(Buffer src, int outer, int srcAxis, int inner, int[] index, Buffer out) {
        indexed("gather", cb(src, "gather"), cb(out, "gather"), outer, srcAxis, inner, index, false);
    }

    @Override public synchronized void scatterAdd(Buffer src, int outer, int dstAxis, int inner, int[] index, Buffer dst) {
        indexed("scatterAdd", cb(src, "scatterAdd"), cb(dst, "scatterAdd"), outer, dstAxis, inner, index, true);
    }

    private void indexed(String op, CudaBuffer src, CudaBuffer dst, int outer, int axis, int inner, int[] index, boolean scatter) {
        open();
        if (src.dtype() != dst.dtype()) throw new IllegalArgumentException(op + ": buffers of dtype " + src.dtype() + " and " + dst.dtype());
        for (int j = 0; j < index.length; j++) {
            if (index[j] < 0 || index[j] >= axis) {
                throw new IndexOutOfBoundsException(op + ": index[" + j + "] = " + index[j] + " is outside [0, " + axis + ")");
            }
        }
        long w = (long) src.dtype().slots() * inner;
        long work = (long) outer * index.length * w;
        if (work == 0) return;
        DeviceAllocator.Block idx = scratch(4L * index.length);
        driver.copyIn(idx.address, index);
        launch1d((scatter ? "scatter_add_" : "gather_") + prec(src.dtype()), work,
                new KernelArgs().ptr(src).ptr(dst).ptr(idx.address).i64(outer).i64(axis).i64(index.length).i64(w));
        releaseScratch(idx);
        Reference.reachabilityFence(src);
        Reference.reachabilityFence(dst);
    }

    // ---- linear algebra ----------------------------------------------------------------------------

    @Override public synchronized void gemm(boolean transA, boolean transB, int batch, int m, int n, int k, double alpha,
                                            Buffer a, long aOffset, long aBatchStride, Buffer b, long bOffset, long bBatchStride,
                                            double beta, Buffer c, long cOffset, long cBatchStride) {
        open();
        CudaBuffer x = cb(a, "gemm"), y = cb(b, "gemm"), z = cb(c, "gemm");
        if (x.dtype() != z.dtype() || y.dtype() != z.dtype()) {
            throw new IllegalArgumentException("gemm: operand dtypes " + x.dtype() + ", " + y.dtype() + " and result " + z.dtype() + " differ");
        }
        if (batch <= 0 || m <= 0 || n <= 0) return;
        String t = switch (z.dtype()) {
            case FLOAT32 -> "f32";
            case FLOAT64 -> "f64";
            case COMPLEX64 -> "c64";
            case COMPLEX128 -> "c128";
        };
        // tile edges of gemm.cu's instantiations
        int tile = switch (z.dtype()) {
            case FLOAT32 -> 128;
            case FLOAT64, COMPLEX64 -> 64;
            case COMPLEX128 -> 32;
        };
        int gx = (n + tile - 1) / tile, gy = (m + tile - 1) / tile, gz = Math.min(batch, 65535);
        if (gy > 65535) throw new IllegalArgumentException("gemm: m = " + m + " needs " + gy + " row tiles, more than the grid's 65535");
        launch("gemm_" + t + "_" + (transA ? "t" : "n") + (transB ? "t" : "n"), gx, gy, gz, BLOCK, 0,
                new KernelArgs().i32(m).i32(n).i32(k).f64(alpha).ptr(x).i64(aOffset).i64(aBatchStride).ptr(y).i64(bOffset).i64(bBatchStride)
                        .f64(beta).ptr(z).i64(cOffset).i64(cBatchStride).i32(batch));
    }

    // ---- kernel groups -----------------------------------------------------------------------------

    private final RandomKernels random = new RandomKernels() {
        @Override public void uniform(Buffer out, long seed, long counter, double low, double high) {
            fillRandom("rand_uniform_", out, seed, counter, low, high);
        }

        @Override public void normal(Buffer out, long seed, long counter, double mean, double std) {
            fillRandom("rand_normal_", out, seed, counter, mean, std);
        }
    };

    private synchronized void fillRandom(String kernel, Buffer out, long seed, long counter, double a, double b) {
        open();
        CudaBuffer o = cb(out, "random");
        launch1d(kernel + prec(o.dtype()), o.slots(), new KernelArgs().ptr(o).i64(o.slots()).i64(seed).i64(counter).f64(a).f64(b));
    }

    @Override public FftKernels fft() { return fft; }

    @Override public ConvKernels conv() { return conv; }

    @Override public RandomKernels random() { return random; }

    /** Gives cached device blocks back to the driver. */
    @Override public synchronized void trim() {
        if (closed) return;
        allocator.drain();
        allocator.releaseCached();
    }

    // ---- memory statistics (benchmarks) ------------------------------------------------------------

    /** Bytes held by live buffers, after recycling those the collector found unreachable. */
    public synchronized long memoryInUse() {
        allocator.drain();
        return allocator.inUseBytes();
    }

    /** Highest {@link #memoryInUse()} since the last {@link #resetPeakMemory()}. */
    public synchronized long peakMemoryInUse() { return allocator.peakInUseBytes(); }

    /** Highest device memory held from the driver (live plus cached) since the last reset: the figure to compare with PyTorch's reserved peak. */
    public synchronized long peakMemoryReserved() { return allocator.peakReservedBytes(); }

    public synchronized void resetPeakMemory() { allocator.resetPeaks(); }

    /** Waits for all queued kernels (benchmark timing). */
    public synchronized void synchronize() {
        open();
        driver.synchronize();
    }

    /** Frees all device memory and the context; the backend is unusable afterwards. */
    synchronized void close() {
        if (closed) return;
        closed = true;
        fft.clearTables();
        driver.close();
    }
}
