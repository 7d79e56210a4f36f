package org.opforge.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opforge.tensor.DType;
import org.opforge.tensor.backend.Backend;
import org.opforge.tensor.backend.Backends;
import org.opforge.tensor.backend.BinaryOp;
import org.opforge.tensor.backend.Buffer;
import org.opforge.tensor.backend.ConvGeometry;
import org.opforge.tensor.backend.ReduceOp;
import org.opforge.tensor.backend.UnaryOp;

/**
 * Every kernel of the backend SPI, called with the same arguments on the CPU backend and on a CUDA
 * backend, must give the same values: within float rounding (relative to the largest magnitude of the
 * result) for float32 and complex64, within 1e-12 for double types, with NaN where the CPU has NaN.
 * The cases are chosen to reach every code path of the CUDA side: broadcast strides, thread and block
 * reductions with a second pass, all GEMM transposes and tile edges, each FFT algorithm (radix-2 in
 * shared memory, direct DFT, Stockham passes for long rows, Bluestein) with pruning, padding and
 * Hermitian weights, every convolution and pooling kernel with padding, dilation and wrap.
 *
 * <p>Runs on the host emulation of the kernels (no GPU needed) and on the GPU when there is one.
 */
class BackendConformanceTest {
    static Stream<TestDevices.Target> targets() { return TestDevices.targets(); }

    private static final Backend CPU = Backends.cpu();
    private final Random rnd = new Random(42);

    private static CudaBackend backend(TestDevices.Target t) {
        String why = t.reason().get();
        assumeTrue(why == null, t.name() + ": " + why);
        return t.backend().get();
    }

    private double[] data(long n, DType t) {
        double[] d = new double[(int) (n * t.slots())];
        for (int i = 0; i < d.length; i++) d[i] = rnd.nextGaussian();
        return d;
    }

    /** The same data on both devices. */
    private record Pair(Buffer cpu, Buffer dev) {}

    private static Pair pair(Backend be, double[] d, DType t) {
        return new Pair(CPU.fromHost(d, t), be.fromHost(d, t));
    }

    private static Pair zeros(Backend be, DType t, long n) {
        return new Pair(CPU.allocate(t, n), be.allocate(t, n));
    }

    private static void same(String what, Pair p) {
        same(what, CPU.toHostDouble(p.cpu()), p.dev().backend().toHostDouble(p.dev()), p.cpu().dtype());
    }

    static void same(String what, double[] want, double[] got, DType t) {
        assertEquals(want.length, got.length, what + ": length");
        double scale = 0;
        for (double v : want) if (Double.isFinite(v)) scale = Math.max(scale, Math.abs(v));
        double tol = (t.isDouble() ? 1e-12 : 2e-6) * Math.max(scale, 1e-30);
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < want.length && bad.size() < 5; i++) {
            double a = want[i], b = got[i];
            boolean ok = Double.isNaN(a) ? Double.isNaN(b) : (Double.isInfinite(a) ? a == b : Math.abs(a - b) <= tol);
            if (!ok) bad.add("[" + i + "] cpu " + a + " cuda " + b);
        }
        if (!bad.isEmpty()) throw new AssertionError(what + " (" + t + ", tol " + tol + "): " + String.join(", ", bad));
    }

    private static final DType[] REAL = {DType.FLOAT32, DType.FLOAT64};
    private static final DType[] ALL = {DType.FLOAT32, DType.FLOAT64, DType.COMPLEX64, DType.COMPLEX128};

    // ---- memory, fill, cast, random ---------------------------------------------------------------

    @ParameterizedTest @MethodSource("targets")
    void hostRoundTripFillAndCast(TestDevices.Target target) {
        CudaBackend be = backend(target);
        for (DType t : ALL) {
            double[] d = data(37, t);
            Pair p = pair(be, d, t);
            same("fromHost/toHost", p);
            assertArrayEquals(CPU.toHostFloat(p.cpu()), be.toHostFloat(p.dev()), "toHostFloat " + t);
            for (DType u : ALL) same("cast " + t + " -> " + u, new Pair(CPU.cast(p.cpu(), u), be.cast(p.dev(), u)));
            CPU.fill(p.cpu(), 2.5);
            be.fill(p.dev(), 2.5);
            same("fill", p);
            same("allocate zeroes", zeros(be, t, 1000));
        }
    }

    @ParameterizedTest @MethodSource("targets")
    void randomFillsDrawTheCpuNumbers(TestDevices.Target target) {
        CudaBackend be = backend(target);
        for (DType t : ALL) {
            Pair p = zeros(be, t, 1001);
            CPU.random().uniform(p.cpu(), 1234, 77, -2, 3);
            be.random().uniform(p.dev(), 1234, 77, -2, 3);
            same("uniform", p);
            CPU.random().normal(p.cpu(), -9, 1L << 40, 0.5, 2);
            be.random().normal(p.dev(), -9, 1L << 40, 0.5, 2);
            same("normal", p);
            if (!t.isDouble()) assertArrayEquals(CPU.toHostFloat(p.cpu()), be.toHostFloat(p.dev()), "normal " + t + " bit for bit");
        }
    }

    // ---- element-wise -----------------------------------------------------------------------------

    @ParameterizedTest @MethodSource("targets")
    void everyUnaryOp(TestDevices.Target target) {
        CudaBackend be = backend(target);
        for (DType t : REAL) {
            double[] d = data(300, t);
            d[0] = 0;
            d[1] = -0.0;
            d[2] = Double.NaN;
            d[3] = 30;
            d[4] = -30;
            for (UnaryOp op : UnaryOp.values()) {
                double p = op == UnaryOp.SOFTPLUS ? 20 : 0.7;
                // relu(NaN): the CPU's float loop keeps NaN (PyTorch), its double loop gives 0; the kernel keeps NaN
                double[] in = d.clone();
                if (op == UnaryOp.RELU) in[2] = 1;
                Pair x = pair(be, in, t), o = zeros(be, t, d.length);
                CPU.unary(op, x.cpu(), o.cpu(), p);
                be.unary(op, x.dev(), o.dev(), p);
                same("unary " + op, o);
            }
        }
    }

    @ParameterizedTest @MethodSource("targets")
    void binaryOpsBroadcastThroughStrides(TestDevices.Target target) {
        CudaBackend be = backend(target);
        int[] shape = {3, 4, 5};
        for (DType t : ALL) {
            // a: (3, 1, 5) broadcast over axis 1 at offset 2; b: (4, 5) transposed storage broadcast over axis 0
            double[] da = data(2 + 15, t), db = data(20, t);
            da[5 * t.slots()] = Double.NaN;
            Pair a = pair(be, da, t), b = pair(be, db, t);
            int[] as = {5, 0, 1}, bs = {0, 1, 4};
            for (BinaryOp op : BinaryOp.values()) {
                if (t.isComplex() && op.ordinal() > BinaryOp.DIV.ordinal()) continue;
                Pair o = zeros(be, t, 60);
                CPU.binary(op, a.cpu(), 2, as, b.cpu(), 0, bs, o.cpu(), shape);
                be.binary(op, a.dev(), 2, as, b.dev(), 0, bs, o.dev(), shape);
                same("binary " + op, o);
            }
        }
    }

    @ParameterizedTest @MethodSource("targets")
    void complexPartsCombineConj(TestDevices.Target target) {
        CudaBackend be = backend(target);
        for (DType t : new DType[] {DType.COMPLEX64, DType.COMPLEX128}) {
            Pair z = pair(be, data(50, t), t), re = zeros(be, t.toReal(), 50), im = zeros(be, t.toReal(), 50), w = zeros(be, t, 50);
            CPU.complexParts(z.cpu(), re.cpu(), im.cpu());
            be.complexParts(z.dev(), re.dev(), im.dev());
            same("re", re);
            same("im", im);
            CPU.complexCombine(im.cpu(), re.cpu(), w.cpu());
            be.complexCombine(im.dev(), re.dev(), w.dev());
            same("combine", w);
            CPU.conj(z.cpu(), w.cpu());
            be.conj(z.dev(), w.dev());
            same("conj", w);
        }
    }

    // ---- reductions -------------------------------------------------------------------------------

    @ParameterizedTest @MethodSource("targets")
    void reductionsOnEveryPath(TestDevices.Target target) {
        CudaBackend be = backend(target);
        int[][] shapes = {{3, 9000}, {9000, 3}, {4096, 3}, {2, 3, 4, 5}, {2, 3, 4, 5}, {7}, {1, 6, 1}, {5, 0}};
        boolean[][] axes = {{false, true}, {true, false}, {false, true}, {true, false, true, false}, {false, true, false, true},
            {true}, {true, false, true}, {false, true}};
        for (DType t : REAL) {
            for (int c = 0; c < shapes.length; c++) {
                long n = 1, m = 1;
                for (int i = 0; i < shapes[c].length; i++) {
                    n *= shapes[c][i];
                    if (!axes[c][i]) m *= shapes[c][i];
                }
                double[] d = data(n, t);
                if (n > 10) d[7] = Double.NaN;
                Pair x = pair(be, d, t);
                for (ReduceOp op : ReduceOp.values()) {
                    Pair o = zeros(be, t, m);
                    CPU.reduce(op, x.cpu(), shapes[c], axes[c], o.cpu());
                    be.reduce(op, x.dev(), shapes[c], axes[c], o.dev());
                    same("reduce " + op + " case " + c, o);
                }
            }
        }
    }

    // ---- data movement ----------------------------------------------------------------------------

    @ParameterizedTest @MethodSource("targets")
    void stridedCopyAndAccumulate(TestDevices.Target target) {
        CudaBackend be = backend(target);
        for (DType t : ALL) {
            // transpose a (6, 7) block out of an (8, 9) source at offset 10 into a (7, 6) slice of a (7, 8) destination
            Pair s = pair(be, data(72, t), t), dst = pair(be, data(56, t), t);
            int[] shape = {6, 7}, ss = {9, 1}, ds = {1, 8};
            CPU.copyStrided(s.cpu(), 10, ss, dst.cpu(), 1, ds, shape);
            be.copyStrided(s.dev(), 10, ss, dst.dev(), 1, ds, shape);
            same("copyStrided", dst);
            CPU.addStrided(s.cpu(), 3, ss, dst.cpu(), 2, ds, shape);
            be.addStrided(s.dev(), 3, ss, dst.dev(), 2, ds, shape);
            same("addStrided", dst);
        }
    }

    @ParameterizedTest @MethodSource("targets")
    void gatherAndScatterAddWithRepeats(TestDevices.Target target) {
        CudaBackend be = backend(target);
        int[] index = {4, 0, 4, 2, 4, 1};
        for (DType t : ALL) {
            Pair src = pair(be, data(3 * 5 * 2, t), t), out = zeros(be, t, 3 * 6 * 2);
            CPU.gather(src.cpu(), 3, 5, 2, index, out.cpu());
            be.gather(src.dev(), 3, 5, 2, index, out.dev());
            same("gather", out);
            Pair acc = pair(be, data(3 * 5 * 2, t), t);
            CPU.scatterAdd(out.cpu(), 3, 5, 2, index, acc.cpu());
            be.scatterAdd(out.dev(), 3, 5, 2, index, acc.dev());
            same("scatterAdd", acc);
        }
    }

    // ---- GEMM ---------------------------------------------------------------------------------------

    @ParameterizedTest @MethodSource("targets")
    void gemmTransposesBatchesAndTileEdges(TestDevices.Target target) {
        CudaBackend be = backend(target);
        int m = 37, n = 45, k = 29, batch = 3;
        for (DType t : ALL) {
            for (int tr = 0; tr < 4; tr++) {
                boolean ta = (tr & 1) != 0, tb = (tr & 2) != 0;
                // A shared by the batch (stride 0) at offset 5, B batched, C with beta
                Pair a = pair(be, data(5 + m * k, t), t), b = pair(be, data(batch * k * n + 3, t), t), c = pair(be, data(batch * m * n, t), t);
                CPU.gemm(ta, tb, batch, m, n, k, 0.75, a.cpu(), 5, 0, b.cpu(), 3, (long) k * n, -0.5, c.cpu(), 0, (long) m * n);
                be.gemm(ta, tb, batch, m, n, k, 0.75, a.dev(), 5, 0, b.dev(), 3, (long) k * n, -0.5, c.dev(), 0, (long) m * n);
                same("gemm ta=" + ta + " tb=" + tb, c);
            }
        }
        // several float tiles in each direction, beta = 0 ignores NaN in C
        DType t = DType.FLOAT32;
        int big = 150;
        double[] cn = new double[big * big];
        java.util.Arrays.fill(cn, Double.NaN);
        Pair a = pair(be, data(big * 70, t), t), b = pair(be, data(70 * big, t), t), c = pair(be, cn, t);
        CPU.gemm(false, false, 1, big, big, 70, 1, a.cpu(), 0, 0, b.cpu(), 0, 0, 0, c.cpu(), 0, 0);
        be.gemm(false, false, 1, big, big, 70, 1, a.dev(), 0, 0, b.dev(), 0, 0, 0, c.dev(), 0, 0);
        same("gemm 150x150x70", c);
    }

    // ---- FFT ----------------------------------------------------------------------------------------

    @ParameterizedTest @MethodSource("targets")
    void fftEveryAlgorithmAndMode(TestDevices.Target target) {
        CudaBackend be = backend(target);
        // radix-2 in shared memory, direct DFT, Bluestein (m = 512 in shared memory), and rows too long
        // for shared memory: Stockham passes (8192) and Bluestein with Stockham rows (2500 -> m = 8192)
        int[] lengths = {16, 1, 2, 12, 85, 131, 8192, 2500};
        for (DType real : REAL) {
            DType cx = real.toComplex();
            for (int n : lengths) {
                int outer = n > 1000 ? 1 : 2, inner = n > 1000 ? 2 : 3;
                int lo = Math.max(1, Math.min(n, 5)), hi = Math.min(n - lo, 3);
                Pair z = pair(be, data((long) outer * n * inner, cx), cx);
                for (boolean inverse : new boolean[] {false, true}) {
                    Pair full = zeros(be, cx, (long) outer * n * inner);
                    CPU.fft().c2c(z.cpu(), full.cpu(), outer, n, inner, n, 0, false, inverse, 0.5);
                    be.fft().c2c(z.dev(), full.dev(), outer, n, inner, n, 0, false, inverse, 0.5);
                    same("c2c n=" + n + " inverse=" + inverse, full);
                    Pair pruned = zeros(be, cx, (long) outer * (lo + hi) * inner);
                    CPU.fft().c2c(z.cpu(), pruned.cpu(), outer, n, inner, lo, hi, false, inverse, 1);
                    be.fft().c2c(z.dev(), pruned.dev(), outer, n, inner, lo, hi, false, inverse, 1);
                    same("c2c pruned n=" + n, pruned);
                    Pair padded = zeros(be, cx, (long) outer * n * inner);
                    CPU.fft().c2c(pruned.cpu(), padded.cpu(), outer, n, inner, lo, hi, true, inverse, 1.0 / n);
                    be.fft().c2c(pruned.dev(), padded.dev(), outer, n, inner, lo, hi, true, inverse, 1.0 / n);
                    same("c2c padded n=" + n, padded);
                }
                Pair x = pair(be, data((long) outer * n * inner, real), real);
                for (boolean herm : new boolean[] {false, true}) {
                    for (int bins : new int[] {n / 2 + 1, Math.max(1, Math.min(3, n / 2 + 1))}) {
                        Pair f = zeros(be, cx, (long) outer * bins * inner);
                        CPU.fft().r2c(x.cpu(), f.cpu(), outer, n, inner, bins, herm, 1);
                        be.fft().r2c(x.dev(), f.dev(), outer, n, inner, bins, herm, 1);
                        same("r2c n=" + n + " bins=" + bins + " herm=" + herm, f);
                        Pair y = zeros(be, real, (long) outer * n * inner);
                        CPU.fft().c2r(f.cpu(), y.cpu(), outer, n, inner, bins, herm, 1.0 / n);
                        be.fft().c2r(f.dev(), y.dev(), outer, n, inner, bins, herm, 1.0 / n);
                        same("c2r n=" + n + " bins=" + bins + " herm=" + herm, y);
                    }
                }
            }
        }
    }

    @ParameterizedTest @MethodSource("targets")
    void channelMixAllLayouts(TestDevices.Target target) {
        CudaBackend be = backend(target);
        int nb = 3, ni = 4, no = 5, modes = 7;
        for (DType t : new DType[] {DType.COMPLEX64, DType.COMPLEX128}) {
            for (int f = 0; f < 16; f++) {
                boolean ta = (f & 1) != 0, ca = (f & 2) != 0, tb = (f & 4) != 0, cb = (f & 8) != 0;
                Pair a = pair(be, data(nb * ni * modes, t), t), b = pair(be, data(ni * no * modes, t), t), o = zeros(be, t, nb * no * modes);
                CPU.fft().channelMix(a.cpu(), ta, ca, b.cpu(), tb, cb, o.cpu(), nb, ni, no, modes);
                be.fft().channelMix(a.dev(), ta, ca, b.dev(), tb, cb, o.dev(), nb, ni, no, modes);
                same("channelMix flags " + f, o);
            }
        }
    }

    // ---- convolution, pooling, resampling -----------------------------------------------------------

    private static ConvGeometry[] geometries() {
        return new ConvGeometry[] {
            new ConvGeometry(new int[] {9, 10}, new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, false),
            new ConvGeometry(new int[] {9, 10}, new int[] {3, 2}, new int[] {2, 3}, new int[] {1, 2}, new int[] {2, 1}, false),
            new ConvGeometry(new int[] {6, 7}, new int[] {3, 3}, new int[] {1, 1}, new int[] {2, 1}, new int[] {1, 1}, true),
            new ConvGeometry(new int[] {11}, new int[] {4}, new int[] {2}, new int[] {1}, new int[] {1}, false),
            new ConvGeometry(new int[] {4, 5, 6}, new int[] {2, 3, 2}, new int[] {1, 2, 2}, new int[] {1, 0, 1}, new int[] {1, 1, 2}, false),
        };
    }

    @ParameterizedTest @MethodSource("targets")
    void im2colAndCol2im(TestDevices.Target target) {
        CudaBackend be = backend(target);
        int batch = 2, ch = 3;
        for (DType t : REAL) {
            for (ConvGeometry g : geometries()) {
                long rows = (long) ch * g.kernelVolume(), ld = g.outVolume() + 2, bs = rows * ld + 1;
                Pair x = pair(be, data(4 + (long) batch * ch * g.inVolume(), t), t), cols = zeros(be, t, 1 + batch * bs);
                CPU.conv().im2col(x.cpu(), 4, batch, ch, g, cols.cpu(), 1, bs, ld);
                be.conv().im2col(x.dev(), 4, batch, ch, g, cols.dev(), 1, bs, ld);
                same("im2col " + g, cols);
                Pair back = pair(be, data(4 + (long) batch * ch * g.inVolume(), t), t);
                CPU.conv().col2im(cols.cpu(), 1, bs, ld, batch, ch, g, back.cpu(), 4);
                be.conv().col2im(cols.dev(), 1, bs, ld, batch, ch, g, back.dev(), 4);
                same("col2im " + g, back);
            }
        }
    }

    @ParameterizedTest @MethodSource("targets")
    void poolingAndAdjoints(TestDevices.Target target) {
        CudaBackend be = backend(target);
        int planes = 3;
        for (DType t : REAL) {
            for (ConvGeometry g : geometries()) {
                double[] d = data((long) planes * g.inVolume(), t);
                d[3] = Double.NaN;
                d[g.inVolume() + 1] = d[g.inVolume() + 2];  // a tie
                Pair x = pair(be, d, t), key = pair(be, data((long) planes * g.inVolume(), t), t);
                long outN = (long) planes * g.outVolume();
                Pair o = zeros(be, t, outN);
                CPU.conv().maxPool(x.cpu(), x.cpu(), planes, g, o.cpu());
                be.conv().maxPool(x.dev(), x.dev(), planes, g, o.dev());
                same("maxPool " + g, o);
                CPU.conv().maxPool(key.cpu(), x.cpu(), planes, g, o.cpu());
                be.conv().maxPool(key.dev(), x.dev(), planes, g, o.dev());
                same("maxPool by key " + g, o);
                Pair grad = pair(be, data(outN, t), t), gx = zeros(be, t, (long) planes * g.inVolume());
                CPU.conv().maxPoolAdjoint(key.cpu(), grad.cpu(), planes, g, gx.cpu());
                be.conv().maxPoolAdjoint(key.dev(), grad.dev(), planes, g, gx.dev());
                same("maxPoolAdjoint " + g, gx);
                for (boolean inc : new boolean[] {false, true}) {
                    Pair a = zeros(be, t, outN);
                    CPU.conv().avgPool(key.cpu(), planes, g, inc, a.cpu());
                    be.conv().avgPool(key.dev(), planes, g, inc, a.dev());
                    same("avgPool " + g + " includePad=" + inc, a);
                    CPU.conv().avgPoolAdjoint(grad.cpu(), planes, g, inc, gx.cpu());
                    be.conv().avgPoolAdjoint(grad.dev(), planes, g, inc, gx.dev());
                    same("avgPoolAdjoint " + g + " includePad=" + inc, gx);
                }
            }
        }
    }

    @ParameterizedTest @MethodSource("targets")
    void linearResampleAndAdjoint(TestDevices.Target target) {
        CudaBackend be = backend(target);
        int outer = 3, inner = 4;
        int[][] sizes = {{5, 9}, {9, 5}, {7, 7}, {1, 4}, {4, 1}};
        for (DType t : REAL) {
            for (int[] s : sizes) {
                for (boolean ac : new boolean[] {false, true}) {
                    Pair x = pair(be, data((long) outer * s[0] * inner, t), t), y = zeros(be, t, (long) outer * s[1] * inner);
                    CPU.conv().linearResample(x.cpu(), outer, s[0], inner, s[1], ac, y.cpu());
                    be.conv().linearResample(x.dev(), outer, s[0], inner, s[1], ac, y.dev());
                    same("resample " + s[0] + "->" + s[1] + " ac=" + ac, y);
                    Pair g = pair(be, data((long) outer * s[0] * inner, t), t);
                    CPU.conv().linearResampleAdjoint(y.cpu(), outer, s[1], inner, s[0], ac, g.cpu());
                    be.conv().linearResampleAdjoint(y.dev(), outer, s[1], inner, s[0], ac, g.dev());
                    same("resampleAdjoint " + s[0] + "->" + s[1] + " ac=" + ac, g);
                }
            }
        }
    }
}
