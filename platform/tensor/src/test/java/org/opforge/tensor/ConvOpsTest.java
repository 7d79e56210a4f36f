package org.opforge.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Forward values of {@link Conv} against the direct definitions in {@link ConvReference} (float64 to
 * 1e-12, float32 to 1e-5 of the scale), gradients against the reference's own adjoint identities,
 * the chunked batch path against the unchunked one, and the argument errors.
 */
class ConvOpsTest {

    static Tensor randn(long seed, int... shape) {
        return Tensor.randn(new Rng(seed), DType.FLOAT64, Device.CPU, 0, 1, shape);
    }

    static void assertClose(String what, Tensor expected, Tensor actual, double tol) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double[] e = expected.toDoubleArray(), a = actual.toDoubleArray();
        double scale = 1e-30, err = 0;
        for (int i = 0; i < e.length; i++) {
            scale = Math.max(scale, Math.abs(e[i]));
            err = Math.max(err, Math.abs(e[i] - a[i]));
        }
        assertTrue(err <= tol * scale, what + ": max error " + err + " exceeds " + tol + " * " + scale);
    }

    private static int[] a(int... v) { return v; }

    private record ConvCase(String name, int[] x, int[] w, int[] stride, int[] padding, int[] dilation, int groups, boolean circular,
                            boolean bias) {}

    private static final ConvCase[] CONV_CASES = {
        new ConvCase("1d k3 s1 p1", a(2, 3, 9), a(4, 3, 3), a(1), a(1), a(1), 1, false, true),
        new ConvCase("1d k3 s2 p1", a(2, 3, 9), a(4, 3, 3), a(2), a(1), a(1), 1, false, true),
        new ConvCase("1d k1", a(3, 5, 7), a(2, 5, 1), a(1), a(0), a(1), 1, false, true),
        new ConvCase("1d k1 s2", a(3, 5, 7), a(2, 5, 1), a(2), a(0), a(1), 1, false, false),
        new ConvCase("1d circular dil2", a(2, 2, 8), a(3, 2, 3), a(1), a(2), a(2), 1, true, true),
        new ConvCase("1d circular s2", a(2, 2, 7), a(3, 2, 5), a(2), a(2), a(1), 1, true, false),
        new ConvCase("2d k3 s1 p1", a(2, 3, 8, 7), a(4, 3, 3, 3), a(1, 1), a(1, 1), a(1, 1), 1, false, true),
        new ConvCase("2d k3 s2 p1", a(2, 3, 8, 7), a(4, 3, 3, 3), a(2, 2), a(1, 1), a(1, 1), 1, false, true),
        new ConvCase("2d k3 s2 p0", a(1, 2, 9, 9), a(2, 2, 3, 3), a(2, 2), a(0, 0), a(1, 1), 1, false, false),
        new ConvCase("2d k1", a(2, 6, 5, 4), a(3, 6, 1, 1), a(1, 1), a(0, 0), a(1, 1), 1, false, true),
        new ConvCase("2d k1 groups", a(2, 6, 5, 4), a(4, 3, 1, 1), a(1, 1), a(0, 0), a(1, 1), 2, false, true),
        new ConvCase("2d circular", a(2, 3, 6, 5), a(4, 3, 3, 3), a(1, 1), a(1, 1), a(1, 1), 1, true, true),
        new ConvCase("2d circular s2 k4", a(1, 2, 8, 6), a(3, 2, 4, 4), a(2, 2), a(2, 1), a(1, 1), 1, true, true),
        new ConvCase("2d groups dil", a(2, 4, 9, 8), a(6, 2, 3, 2), a(2, 1), a(2, 1), a(2, 3), 2, false, true),
        new ConvCase("2d depthwise", a(1, 4, 6, 6), a(4, 1, 3, 3), a(1, 1), a(1, 1), a(1, 1), 4, false, false),
        // output rows of 32 (whole vectors: the CPU's direct float32 kernels) and more than one 12-channel tile, the last of one channel
        new ConvCase("2d k3 s1 p1 wide", a(2, 5, 7, 32), a(13, 5, 3, 3), a(1, 1), a(1, 1), a(1, 1), 1, false, true),
        new ConvCase("2d k3 s2 p1 wide circular", a(1, 3, 10, 64), a(14, 3, 3, 3), a(2, 2), a(1, 1), a(1, 1), 1, true, false),
        new ConvCase("2d k3 s2 p1 wide", a(2, 6, 8, 64), a(7, 6, 3, 3), a(2, 2), a(1, 1), a(1, 1), 1, false, true),
        new ConvCase("2d k5x3 s3x2 dil2 wide", a(1, 2, 17, 65), a(25, 2, 5, 3), a(3, 2), a(3, 1), a(2, 2), 1, false, true),
        new ConvCase("2d rect kernel", a(2, 2, 5, 9), a(3, 2, 1, 4), a(1, 3), a(0, 2), a(1, 1), 1, false, true),
        new ConvCase("3d k3 s2 p1", a(2, 2, 5, 6, 4), a(3, 2, 3, 3, 3), a(2, 2, 2), a(1, 1, 1), a(1, 1, 1), 1, false, true),
        new ConvCase("3d circular", a(1, 2, 4, 5, 3), a(2, 2, 3, 3, 3), a(1, 1, 1), a(1, 1, 1), a(1, 1, 1), 1, true, true),
        new ConvCase("3d k1", a(2, 3, 3, 4, 2), a(5, 3, 1, 1, 1), a(1, 1, 1), a(0, 0, 0), a(1, 1, 1), 1, false, true),
    };

    @Test void convolutionMatchesDirectDefinition() {
        long seed = 100;
        for (ConvCase c : CONV_CASES) {
            Tensor x = randn(seed++, c.x), w = randn(seed++, c.w), b = c.bias ? randn(seed++, c.w[0]) : null;
            Tensor ref = ConvReference.conv(x, w, b, c.stride, c.padding, c.dilation, c.groups, c.circular);
            String mode = c.circular ? "circular" : "zeros";
            assertClose(c.name + " float64", ref, Conv.conv(x, w, b, c.stride, c.padding, c.dilation, c.groups, mode), 1e-12);
            Tensor y32 = Conv.conv(x.to(DType.FLOAT32), w.to(DType.FLOAT32), b == null ? null : b.to(DType.FLOAT32), c.stride,
                    c.padding, c.dilation, c.groups, mode);
            assertEquals(DType.FLOAT32, y32.dtype());
            assertClose(c.name + " float32", ref, y32, 1e-5);
        }
    }

    @Test void convolutionGradientsAreTheAdjointIdentities() {
        // <A_w x, g> = <x, A_w^T g> = <w, W(x, g)>: the three primitives agree with each other and with the reference
        long seed = 300;
        for (ConvCase c : CONV_CASES) {
            Tensor x = randn(seed++, c.x).requiresGrad(true), w = randn(seed++, c.w).requiresGrad(true);
            String mode = c.circular ? "circular" : "zeros";
            Tensor y = Conv.conv(x, w, null, c.stride, c.padding, c.dilation, c.groups, mode);
            Tensor g = randn(seed++, y.shape());
            double lhs = y.mul(g).sum().item();
            Tensor[] grads = Autograd.grad(y, g, false, x, w);
            double viaX = x.detach().mul(grads[0]).sum().item();
            double viaW = w.detach().mul(grads[1]).sum().item();
            assertEquals(lhs, viaX, 1e-10 * (1 + Math.abs(lhs)), c.name + ": <A x, g> vs <x, A^T g>");
            assertEquals(lhs, viaW, 1e-10 * (1 + Math.abs(lhs)), c.name + ": <A x, g> vs <w, W(x, g)>");
        }
    }

    @Test void float32GradientsMatchFloat64() {
        // the float32 kernels (direct tiles on the CPU where SIMD is present) against the float64 unfold-and-GEMM path
        long seed = 500;
        for (ConvCase c : CONV_CASES) {
            Tensor x = randn(seed++, c.x), w = randn(seed++, c.w);
            String mode = c.circular ? "circular" : "zeros";
            Tensor g = randn(seed++, Conv.conv(x, w, null, c.stride, c.padding, c.dilation, c.groups, mode).shape());
            Tensor[] ref = gradients(x, w, g, c, mode), f32 = gradients(x.to(DType.FLOAT32), w.to(DType.FLOAT32), g.to(DType.FLOAT32), c, mode);
            assertClose(c.name + " float32 input gradient", ref[0], f32[0], 1e-5);
            assertClose(c.name + " float32 weight gradient", ref[1], f32[1], 1e-5);
        }
    }

    private static Tensor[] gradients(Tensor x0, Tensor w0, Tensor g, ConvCase c, String mode) {
        Tensor x = x0.detach().requiresGrad(true), w = w0.detach().requiresGrad(true);
        return Autograd.grad(Conv.conv(x, w, null, c.stride, c.padding, c.dilation, c.groups, mode), g, false, x, w);
    }

    private record TransposeCase(String name, int[] x, int[] w, int[] stride, int[] padding, int[] outputPadding, int[] dilation,
                                 int groups) {}

    private static final TransposeCase[] TRANSPOSE_CASES = {
        new TransposeCase("1d k3 s2 op1", a(2, 3, 5), a(3, 2, 3), a(2), a(1), a(1), a(1), 1),
        new TransposeCase("1d k4 s2 p1", a(2, 3, 5), a(3, 4, 4), a(2), a(1), a(0), a(1), 1),
        new TransposeCase("2d k4 s2 p1", a(2, 3, 5, 4), a(3, 2, 4, 4), a(2, 2), a(1, 1), a(0, 0), a(1, 1), 1),
        new TransposeCase("2d k3 s2 p1 op1", a(1, 4, 3, 4), a(4, 3, 3, 3), a(2, 2), a(1, 1), a(1, 1), a(1, 1), 1),
        new TransposeCase("2d k3 s3 op2 groups", a(2, 4, 3, 2), a(4, 1, 3, 3), a(3, 3), a(0, 1), a(2, 0), a(1, 1), 2),
        new TransposeCase("2d k2 s1 dil2", a(1, 2, 4, 4), a(2, 3, 2, 2), a(1, 1), a(0, 1), a(1, 0), a(2, 2), 1),
        new TransposeCase("2d k1", a(2, 5, 3, 3), a(5, 2, 1, 1), a(1, 1), a(0, 0), a(0, 0), a(1, 1), 1),
        // outputs 32 wide from 16 (whole vectors per phase: the CPU's direct float32 kernels), more than 12 channels
        new TransposeCase("2d k4 s2 p1 wide", a(2, 13, 4, 16), a(13, 14, 4, 4), a(2, 2), a(1, 1), a(0, 0), a(1, 1), 1),
        new TransposeCase("2d k3 s2 p1 op1 wide", a(1, 5, 3, 16), a(5, 3, 3, 3), a(2, 2), a(1, 1), a(1, 1), a(1, 1), 1),
        new TransposeCase("2d k3 s2 dil2 op1 wide", a(1, 4, 3, 16), a(4, 2, 3, 3), a(2, 2), a(2, 2), a(1, 1), a(2, 2), 1),
        new TransposeCase("3d k3 s2 op1", a(1, 2, 2, 3, 2), a(2, 3, 3, 3, 3), a(2, 2, 2), a(1, 1, 1), a(1, 0, 1), a(1, 1, 1), 1),
    };

    @Test void transposedConvolutionMatchesScatterDefinition() {
        long seed = 500;
        for (TransposeCase c : TRANSPOSE_CASES) {
            Tensor x = randn(seed++, c.x), w = randn(seed++, c.w), b = randn(seed++, c.w[1] * c.groups);
            Tensor ref = ConvReference.convTranspose(x, w, b, c.stride, c.padding, c.outputPadding, c.dilation, c.groups);
            assertClose(c.name, ref, Conv.convTranspose(x, w, b, c.stride, c.padding, c.outputPadding, c.dilation, c.groups), 1e-12);
            Tensor y32 = Conv.convTranspose(x.to(DType.FLOAT32), w.to(DType.FLOAT32), b.to(DType.FLOAT32), c.stride, c.padding,
                    c.outputPadding, c.dilation, c.groups);
            assertClose(c.name + " float32", ref, y32, 1e-5);
        }
    }

    @Test void convenienceOverloadsMatchGeneralForm() {
        Tensor x1 = randn(1, 2, 3, 10), w1 = randn(2, 4, 3, 3), b1 = randn(3, 4);
        assertClose("conv1d", ConvReference.conv(x1, w1, b1, a(2), a(1), a(1), 1, true), Conv.conv1d(x1, w1, b1, 2, 1, "circular"), 1e-12);
        Tensor x2 = randn(4, 2, 3, 6, 6), w2 = randn(5, 4, 3, 3, 3);
        assertClose("conv2d", ConvReference.conv(x2, w2, null, a(2, 2), a(1, 1), a(1, 1), 1, false), Conv.conv2d(x2, w2, null, 2, 1), 1e-12);
        Tensor x3 = randn(6, 1, 2, 4, 4, 4), w3 = randn(7, 3, 2, 3, 3, 3);
        assertClose("conv3d", ConvReference.conv(x3, w3, null, a(1, 1, 1), a(1, 1, 1), a(1, 1, 1), 1, true),
                Conv.conv3d(x3, w3, null, 1, 1, "circular"), 1e-12);
        Tensor xt = randn(8, 1, 3, 4, 4), wt = randn(9, 3, 2, 4, 4);
        assertClose("convTranspose2d", ConvReference.convTranspose(xt, wt, null, a(2, 2), a(1, 1), a(0, 0), a(1, 1), 1),
                Conv.convTranspose2d(xt, wt, null, 2, 1, 0), 1e-12);
        assertArrayEquals(a(1, 2, 8, 8), Conv.convTranspose2d(xt, wt, null, 2, 1, 0).shape());
        assertArrayEquals(a(1, 2, 9, 9), Conv.convTranspose2d(randn(10, 1, 3, 4, 4), randn(11, 3, 2, 3, 3), null, 2, 0, 0).shape());
    }

    @Test void weightGradientPartsAndThreadCountsGiveTheSameValuesAndGradients() {
        Tensor x = randn(20, 5, 3, 6, 7), w = randn(21, 4, 3, 3, 3), b = randn(22, 4);
        long saved = Conv.partialLimit;
        Tensor[] perSample = valuesAndGrads(x, w, b), grouped;
        try {
            Conv.partialLimit = 2L * 4 * 3 * 9; // two weights' worth of partial sums: parts of 2, 3 samples
            grouped = valuesAndGrads(x, w, b);
        } finally {
            Conv.partialLimit = saved;
        }
        for (int i = 0; i < perSample.length; i++) assertClose("parts of several samples, tensor " + i, perSample[i], grouped[i], 1e-12);
        // float32 sums, where the order shows: bit for bit the same on one thread and on the whole pool
        Tensor x32 = randn(23, 8, 6, 32, 32).to(DType.FLOAT32), w32 = randn(24, 6, 6, 3, 3).to(DType.FLOAT32);
        Tensor b32 = randn(25, 6).to(DType.FLOAT32);
        Tensor[] pool = valuesAndGrads(x32, w32, b32);
        Tensor[] one = org.opforge.tensor.cpu.CpuThreads.withThreads(1, () -> valuesAndGrads(x32, w32, b32));
        for (int i = 0; i < pool.length; i++) assertClose("one thread against the pool, tensor " + i, pool[i], one[i], 0);
    }

    private static Tensor[] valuesAndGrads(Tensor x0, Tensor w0, Tensor b0) {
        Tensor x = x0.detach().requiresGrad(true), w = w0.detach().requiresGrad(true), b = b0.detach().requiresGrad(true);
        Tensor y = Conv.conv2d(x, w, b, 2, 1);
        Tensor t = Conv.convTranspose2d(y, w, null, 2, 1, 1);
        Tensor[] g = Autograd.grad(t.square().sum(), null, false, x, w, b);
        return new Tensor[] {y.detach(), t.detach(), g[0], g[1], g[2]};
    }

    @Test void poolingMatchesDirectDefinition() {
        Tensor x1 = randn(30, 2, 3, 11), x2 = randn(31, 2, 3, 9, 8), x3 = randn(32, 1, 2, 5, 6, 7);
        assertClose("max1d", ConvReference.pool(x1, a(3), a(2), a(1), false, true), Conv.maxPool1d(x1, 3, 2, 1), 0);
        assertClose("max2d", ConvReference.pool(x2, a(2, 2), a(2, 2), a(0, 0), false, true), Conv.maxPool2d(x2, 2), 0);
        assertClose("max2d p1", ConvReference.pool(x2, a(3, 3), a(2, 2), a(1, 1), false, true), Conv.maxPool2d(x2, 3, 2, 1), 0);
        assertClose("max3d", ConvReference.pool(x3, a(2, 2, 2), a(2, 2, 2), a(0, 0, 0), false, true), Conv.maxPool3d(x3, 2), 0);
        assertClose("avg1d", ConvReference.pool(x1, a(3), a(2), a(1), true, true), Conv.avgPool1d(x1, 3, 2, 1), 1e-14);
        assertClose("avg2d", ConvReference.pool(x2, a(2, 2), a(2, 2), a(0, 0), true, true), Conv.avgPool2d(x2, 2), 1e-14);
        assertClose("avg2d exclude pad", ConvReference.pool(x2, a(3, 3), a(2, 2), a(1, 1), true, false),
                Conv.avgPool(x2, a(3, 3), a(2, 2), a(1, 1), false), 1e-14);
        assertClose("avg3d", ConvReference.pool(x3, a(3, 2, 3), a(1, 2, 2), a(1, 0, 1), true, true),
                Conv.avgPool(x3, a(3, 2, 3), a(1, 2, 2), a(1, 0, 1), true), 1e-14);
        assertClose("max2d float32", ConvReference.pool(x2, a(2, 2), a(2, 2), a(0, 0), false, true),
                Conv.maxPool2d(x2.to(DType.FLOAT32), 2), 1e-7);
    }

    @Test void maxPoolGradientGoesToTheFirstMaximum() {
        for (DType dt : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            Tensor x = Tensor.of(new double[] {1, 3, 3, 0, 2, 2, 2, 2, -1, -0.5, -4, -3}, dt, Device.CPU, 1, 1, 2, 6).requiresGrad(true);
            Tensor y = Conv.maxPool2d(x, 2);
            // windows {1,3 / 2,2}, {3,0 / -1,-0.5}, {2,2 / -4,-3}: the last is a tie, won by its first element
            assertArrayEquals(new double[] {3, 3, 2}, y.toDoubleArray(), dt.toString());
            y.sum().backward();
            assertArrayEquals(new double[] {0, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0}, x.grad().toDoubleArray(), dt.toString());
        }
    }

    @Test void maxPoolPropagatesNaNAndRoutesItsGradient() {
        for (DType dt : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            Tensor x = Tensor.of(new double[] {1, 5, 2, 0, Double.NaN, 7, 3, 4}, dt, Device.CPU, 1, 1, 2, 4).requiresGrad(true);
            Tensor y = Conv.maxPool2d(x, 2);
            double[] yv = y.toDoubleArray();
            // windows {1,5 / NaN,7} and {2,0 / 3,4}
            assertTrue(Double.isNaN(yv[0]) && yv[1] == 4, dt + ": " + java.util.Arrays.toString(yv));
            y.backward(Tensor.onesLike(y), false);
            assertArrayEquals(new double[] {0, 0, 0, 0, 1, 0, 0, 1}, x.grad().toDoubleArray(), dt.toString());
            Tensor padded = Conv.maxPool2d(x.detach(), 3, 2, 1);
            assertTrue(Double.isNaN(padded.toDoubleArray()[0]), dt + ": padded window with NaN");
        }
    }

    @Test void interpolationMatchesPyTorchFormula() {
        Tensor x1 = randn(40, 2, 3, 7), x2 = randn(41, 2, 3, 8, 8), x3 = randn(42, 1, 2, 4, 5, 3);
        for (boolean ac : new boolean[] {true, false}) {
            for (int[] size : new int[][] {a(13), a(4), a(1), a(7)}) {
                assertClose("linear " + size[0] + " ac " + ac, ConvReference.interpolate(x1, size, ac),
                        Conv.interpolate(x1, size, "linear", ac), 1e-13);
            }
            for (int[] size : new int[][] {a(13, 13), a(5, 11), a(16, 3), a(1, 8)}) {
                assertClose("bilinear " + size[0] + "x" + size[1] + " ac " + ac, ConvReference.interpolate(x2, size, ac),
                        Conv.bilinear(x2, size[0], size[1], ac), 1e-13);
            }
            assertClose("trilinear ac " + ac, ConvReference.interpolate(x3, a(7, 3, 6), ac), Conv.trilinear(x3, 7, 3, 6, ac), 1e-13);
            assertClose("bilinear float32 ac " + ac, ConvReference.interpolate(x2, a(13, 5), ac),
                    Conv.bilinear(x2.to(DType.FLOAT32), 13, 5, ac), 1e-6);
        }
    }

    /** Reflect padding mirrors about the end entries (numpy 'reflect', PyTorch padding_mode='reflect'), then convolves unpadded. */
    @Test void reflectPaddingMirrorsWithoutRepeatingTheEdge() {
        Tensor x = randn(70, 2, 3, 6, 5), w = randn(71, 4, 3, 3, 3), b = randn(72, 4);
        int p = 2;
        int h = 6, wd = 5;
        double[] xv = x.toDoubleArray();
        double[] padded = new double[2 * 3 * (h + 2 * p) * (wd + 2 * p)];
        int at = 0;
        for (int n = 0; n < 2 * 3; n++) {
            for (int i = -p; i < h + p; i++) {
                int si = i < 0 ? -i : i >= h ? 2 * (h - 1) - i : i;
                for (int j = -p; j < wd + p; j++) {
                    int sj = j < 0 ? -j : j >= wd ? 2 * (wd - 1) - j : j;
                    padded[at++] = xv[(n * h + si) * wd + sj];
                }
            }
        }
        Tensor xp = Tensor.of(padded, 2, 3, h + 2 * p, wd + 2 * p);
        for (int stride : new int[] {1, 2}) {
            assertClose("reflect stride " + stride, ConvReference.conv(xp, w, b, a(stride, stride), a(0, 0), a(1, 1), 1, false),
                    Conv.conv2d(x, w, b, stride, p, "reflect"), 1e-12);
        }
        assertClose("pad reflect", xp, x.pad(new int[] {p, p, p, p}, "reflect"), 0);
    }

    @Test void argumentErrorsNameOpParameterAndShapes() {
        Tensor x = randn(50, 2, 3, 8, 8), w = randn(51, 4, 2, 3, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Conv.conv2d(x, w, null, 1, 1));
        assertTrue(e.getMessage().contains("conv2d") && e.getMessage().contains("[4, 2, 3, 3]") && e.getMessage().contains("[2, 3, 8, 8]"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Conv.conv2d(x, randn(52, 4, 3, 3), null, 1, 1));
        assertTrue(e.getMessage().contains("conv2d: weight must have rank 4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Conv.conv2d(x, randn(53, 4, 3, 3, 3), randn(54, 3), 1, 1));
        assertTrue(e.getMessage().contains("bias must have shape [4]") && e.getMessage().contains("[3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Conv.conv2d(x, randn(55, 4, 3, 3, 3), null, 1, 1, "replicate"));
        assertTrue(e.getMessage().contains("padding_mode") && e.getMessage().contains("replicate"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Conv.conv2d(x, randn(55, 4, 3, 3, 3), null, 1, 8, "reflect"));
        assertTrue(e.getMessage().contains("conv2d") && e.getMessage().contains("reflect padding 8/8 must be below axis size 8"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Conv.conv2d(x, randn(56, 4, 3, 11, 3), null, 1, 1));
        assertTrue(e.getMessage().contains("conv2d") && e.getMessage().contains("larger than the padded input"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Conv.conv(x, randn(57, 4, 1, 3, 3), null, a(1, 1), a(1, 1), a(1, 1), 2, "zeros"));
        assertTrue(e.getMessage().contains("groups 2") && e.getMessage().contains("3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Conv.convTranspose2d(x, randn(58, 3, 3, 4, 4), null, 2, 1, 2));
        assertTrue(e.getMessage().contains("conv_transpose2d: output_padding"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Conv.convTranspose2d(x, randn(59, 4, 3, 4, 4), null, 2, 1, 0));
        assertTrue(e.getMessage().contains("conv_transpose2d") && e.getMessage().contains("[4, 3, 4, 4]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Conv.maxPool2d(x, 2, 2, 2));
        assertTrue(e.getMessage().contains("max_pool2d: padding"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Conv.interpolate(x, a(4), "bilinear", false));
        assertTrue(e.getMessage().contains("interpolate") && e.getMessage().contains("[2, 3, 8, 8]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Conv.interpolate(x, a(4, 4), "bicubic", false));
        assertTrue(e.getMessage().contains("bicubic"), e.getMessage());
    }

    @Test void mixedPrecisionPromotesToFloat64() {
        Tensor x = randn(60, 1, 2, 5, 5).to(DType.FLOAT32), w = randn(61, 3, 2, 3, 3);
        Tensor y = Conv.conv2d(x, w, null, 1, 1);
        assertEquals(DType.FLOAT64, y.dtype());
        assertClose("promoted", ConvReference.conv(x.to(DType.FLOAT64), w, null, a(1, 1), a(1, 1), a(1, 1), 1, false), y, 1e-12);
    }
}
