package org.opforge.tensor;

import org.junit.jupiter.api.Test;

/**
 * Finite-difference checks (float64, {@link GradCheck}) of every {@link Conv} op: first order for each
 * input, and second order (gradients of gradients, through a tanh so the Hessian is not trivially zero)
 * for the convolutions, the transposed convolutions, pooling and interpolation.
 */
class ConvGradCheckTest {

    private static Tensor randn(long seed, int... shape) {
        return Tensor.randn(new Rng(seed), DType.FLOAT64, Device.CPU, 0, 1, shape);
    }

    private static int[] a(int... v) { return v; }

    // ---- convolution ------------------------------------------------------------------------------

    @Test void conv1dStride2ZeroPadding() {
        GradCheck.check("conv1d s2 p1", x -> Conv.conv1d(x[0], x[1], x[2], 2, 1), randn(1, 2, 3, 7), randn(2, 4, 3, 3), randn(3, 4));
    }

    @Test void conv1dCircularDilated() {
        GradCheck.check("conv1d circular d2", x -> Conv.conv1d(x[0], x[1], x[2], 1, 2, 2, 1, "circular"),
                randn(4, 2, 2, 6), randn(5, 3, 2, 3), randn(6, 3));
    }

    @Test void conv2dStride2() {
        GradCheck.check("conv2d s2 p1", x -> Conv.conv2d(x[0], x[1], x[2], 2, 1), randn(7, 2, 3, 6, 5), randn(8, 4, 3, 3, 3), randn(9, 4));
    }

    @Test void conv2dCircular() {
        GradCheck.check("conv2d circular", x -> Conv.conv2d(x[0], x[1], x[2], 1, 1, "circular"),
                randn(10, 1, 2, 5, 4), randn(11, 3, 2, 3, 3), randn(12, 3));
        GradCheck.check("conv2d circular s2", x -> Conv.conv2d(x[0], x[1], null, 2, 1, "circular"),
                randn(13, 2, 2, 6, 5), randn(14, 2, 2, 3, 3));
    }

    @Test void conv2dReflect() {
        GradCheck.check("conv2d reflect", x -> Conv.conv2d(x[0], x[1], x[2], 1, 1, "reflect"),
                randn(60, 2, 2, 5, 4), randn(61, 3, 2, 3, 3), randn(62, 3));
        GradCheck.check("conv2d reflect s2 p2", x -> Conv.conv2d(x[0], x[1], null, 2, 2, "reflect"),
                randn(63, 1, 2, 7, 6), randn(64, 2, 2, 3, 3));
    }

    @Test void conv2dGroupsDilationPointwise() {
        GradCheck.check("conv2d groups dilation", x -> Conv.conv(x[0], x[1], x[2], a(2, 1), a(2, 1), a(2, 2), 2, "zeros"),
                randn(15, 1, 4, 7, 6), randn(16, 4, 2, 3, 2), randn(17, 4));
        GradCheck.check("conv2d 1x1", x -> Conv.conv2d(x[0], x[1], x[2], 1, 0), randn(18, 2, 3, 4, 3), randn(19, 5, 3, 1, 1), randn(20, 5));
        GradCheck.check("conv2d 1x1 groups", x -> Conv.conv(x[0], x[1], null, a(1, 1), a(0, 0), a(1, 1), 3, "zeros"),
                randn(21, 2, 3, 2, 3), randn(22, 6, 1, 1, 1));
    }

    @Test void conv3dZerosAndCircular() {
        GradCheck.check("conv3d s2 p1", x -> Conv.conv3d(x[0], x[1], x[2], 2, 1), randn(23, 1, 2, 4, 3, 4), randn(24, 2, 2, 3, 3, 3),
                randn(25, 2));
        GradCheck.check("conv3d circular", x -> Conv.conv3d(x[0], x[1], null, 1, 1, "circular"), randn(26, 1, 1, 3, 4, 3),
                randn(27, 2, 1, 3, 3, 3));
    }

    // ---- transposed convolution -------------------------------------------------------------------

    @Test void convTranspose1dOutputPadding() {
        GradCheck.check("conv_transpose1d s2 op1", x -> Conv.convTranspose1d(x[0], x[1], x[2], 2, 1, 1),
                randn(30, 2, 3, 4), randn(31, 3, 2, 3), randn(32, 2));
    }

    @Test void convTranspose2d() {
        GradCheck.check("conv_transpose2d k4 s2 p1", x -> Conv.convTranspose2d(x[0], x[1], x[2], 2, 1, 0),
                randn(33, 1, 3, 3, 4), randn(34, 3, 2, 4, 4), randn(35, 2));
        GradCheck.check("conv_transpose2d k3 s2 op1 groups", x -> Conv.convTranspose(x[0], x[1], null, a(2, 2), a(1, 0), a(1, 1), a(1, 1), 2),
                randn(36, 1, 4, 3, 2), randn(37, 4, 1, 3, 3));
        GradCheck.check("conv_transpose2d s1 d2 op1", x -> Conv.convTranspose(x[0], x[1], null, a(1, 1), a(0, 1), a(1, 0), a(2, 2), 1),
                randn(38, 1, 2, 3, 3), randn(39, 2, 2, 2, 2));
    }

    @Test void convTranspose3dOutputPadding() {
        GradCheck.check("conv_transpose3d s2 op1", x -> Conv.convTranspose3d(x[0], x[1], x[2], 2, 1, 1),
                randn(40, 1, 2, 2, 3, 2), randn(41, 2, 2, 3, 3, 3), randn(42, 2));
    }

    // ---- second order -----------------------------------------------------------------------------

    @Test void conv2dSecondOrder() {
        GradCheck c = GradCheck.create();
        GradCheck.Fn f = x -> Conv.conv2d(x[0], x[1], x[2], 2, 1).tanh();
        Tensor[] in = {randn(50, 2, 2, 5, 4), randn(51, 3, 2, 3, 3).mul(0.5), randn(52, 3)};
        c.first("tanh(conv2d s2)", f, in);
        c.second("tanh(conv2d s2)", f, in);
        GradCheck.Fn circ = x -> Conv.conv2d(x[0], x[1], null, 1, 1, "circular").tanh();
        c.second("tanh(conv2d circular)", circ, randn(53, 1, 2, 4, 4), randn(54, 2, 2, 3, 3).mul(0.5));
        GradCheck.Fn point = x -> Conv.conv2d(x[0], x[1], null, 1, 0).tanh();
        c.second("tanh(conv2d 1x1)", point, randn(55, 2, 3, 3, 2), randn(56, 2, 3, 1, 1));
    }

    @Test void conv1dAnd3dSecondOrder() {
        GradCheck c = GradCheck.create();
        c.second("tanh(conv1d circular s2)", x -> Conv.conv1d(x[0], x[1], x[2], 2, 1, "circular").tanh(),
                randn(57, 2, 2, 6), randn(58, 3, 2, 3).mul(0.5), randn(59, 3));
        c.second("tanh(conv3d)", x -> Conv.conv3d(x[0], x[1], null, 1, 1).tanh(), randn(60, 1, 1, 3, 3, 3), randn(61, 2, 1, 3, 3, 3).mul(0.5));
    }

    @Test void convTransposeSecondOrder() {
        GradCheck.create().second("tanh(conv_transpose2d)", x -> Conv.convTranspose2d(x[0], x[1], x[2], 2, 1, 1).tanh(),
                randn(62, 1, 2, 3, 2), randn(63, 2, 2, 3, 3).mul(0.5), randn(64, 2));
    }

    // ---- pooling ----------------------------------------------------------------------------------

    @Test void maxPool() {
        GradCheck.check("max_pool1d k3 s2 p1", x -> Conv.maxPool1d(x[0], 3, 2, 1), randn(70, 2, 2, 9));
        GradCheck.check("max_pool2d k2", x -> Conv.maxPool2d(x[0], 2), randn(71, 2, 2, 4, 6));
        GradCheck.check("max_pool2d k3 s2 p1", x -> Conv.maxPool2d(x[0], 3, 2, 1), randn(72, 1, 2, 5, 5));
        GradCheck.check("max_pool3d k2", x -> Conv.maxPool3d(x[0], 2), randn(73, 1, 2, 4, 4, 2));
        GradCheck.create().second("tanh(max_pool2d) * x", x -> Conv.maxPool2d(x[0].tanh(), 2).mul(Conv.maxPool2d(x[0], 2)),
                randn(74, 1, 2, 4, 4));
    }

    @Test void avgPool() {
        GradCheck.check("avg_pool1d k3 s2 p1", x -> Conv.avgPool1d(x[0], 3, 2, 1), randn(75, 2, 2, 9));
        GradCheck.check("avg_pool2d k2", x -> Conv.avgPool2d(x[0], 2), randn(76, 2, 2, 4, 6));
        GradCheck.check("avg_pool2d exclude pad", x -> Conv.avgPool(x[0], a(3, 3), a(2, 2), a(1, 1), false), randn(77, 1, 2, 5, 5));
        GradCheck.check("avg_pool3d", x -> Conv.avgPool3d(x[0], 2, 1, 1), randn(78, 1, 1, 3, 4, 3));
        GradCheck.create().second("tanh(avg_pool2d)", x -> Conv.avgPool2d(x[0], 2).tanh(), randn(79, 1, 2, 4, 4));
    }

    // ---- interpolation ----------------------------------------------------------------------------

    @Test void interpolateBothAlignments() {
        for (boolean ac : new boolean[] {true, false}) {
            GradCheck.check("linear up ac=" + ac, x -> Conv.interpolate(x[0], a(11), "linear", ac), randn(80, 2, 2, 5));
            GradCheck.check("linear down ac=" + ac, x -> Conv.interpolate(x[0], a(3), "linear", ac), randn(81, 2, 2, 7));
            GradCheck.check("bilinear ac=" + ac, x -> Conv.bilinear(x[0], 7, 3, ac), randn(82, 1, 2, 4, 5));
            GradCheck.check("trilinear ac=" + ac, x -> Conv.trilinear(x[0], 3, 5, 2, ac), randn(83, 1, 1, 2, 3, 4));
            GradCheck.create().second("tanh(bilinear) ac=" + ac, x -> Conv.bilinear(x[0], 6, 3, ac).tanh(), randn(84, 1, 2, 3, 4));
        }
    }
}
