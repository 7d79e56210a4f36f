package org.opforge.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** First-order finite-difference checks of every differentiable op of {@link Tensor}. */
class GradCheckOpsTest {

    static Tensor randn(long seed, int... shape) {
        return Tensor.randn(new Rng(seed), DType.FLOAT64, Device.CPU, 0, 1, shape);
    }

    /** Normal samples pushed away from 0 (|x| >= 0.2), for ops with a kink at 0. */
    static Tensor awayFromZero(long seed, int... shape) {
        double[] v = randn(seed, shape).toDoubleArray();
        for (int i = 0; i < v.length; i++) v[i] = Math.copySign(0.2 + Math.abs(v[i]), v[i]);
        return Tensor.of(v, shape);
    }

    /** Uniform on [lo, hi). */
    static Tensor uniform(long seed, double lo, double hi, int... shape) {
        return Tensor.rand(new Rng(seed), DType.FLOAT64, Device.CPU, lo, hi, shape);
    }

    static Tensor complexRandn(long seed, int... shape) {
        return Tensor.randn(new Rng(seed), DType.COMPLEX128, Device.CPU, 0, 1, shape);
    }

    // ---- element-wise binary with broadcasting ------------------------------------------------------

    @Test void addSubMulDivBroadcast() {
        Tensor a = randn(1, 3, 1, 4), b = uniform(2, 0.5, 2, 2, 1);
        GradCheck.check("add", x -> x[0].add(x[1]), a, b);
        GradCheck.check("sub", x -> x[0].sub(x[1]), a, b);
        GradCheck.check("mul", x -> x[0].mul(x[1]), a, b);
        GradCheck.check("div", x -> x[0].div(x[1]), a, b);
        GradCheck.check("div by broadcast row", x -> x[1].div(x[0].abs().add(1)), a, b);
    }

    @Test void sameOperandTwice() {
        GradCheck.check("x*x+x", x -> x[0].mul(x[0]).add(x[0]), randn(3, 5));
    }

    @Test void maximumMinimum() {
        Tensor a = randn(4, 2, 5), b = randn(5, 5);
        GradCheck.check("maximum", x -> x[0].maximum(x[1]), a, b);
        GradCheck.check("minimum", x -> x[0].minimum(x[1]), a, b);
    }

    @Test void scalarArithmetic() {
        Tensor a = randn(6, 3, 4);
        GradCheck.check("add scalar", x -> x[0].add(1.5), a);
        GradCheck.check("sub scalar", x -> x[0].sub(0.5), a);
        GradCheck.check("mul scalar", x -> x[0].mul(-2.5), a);
        GradCheck.check("div scalar", x -> x[0].div(3.0), a);
        GradCheck.check("rsub", x -> x[0].rsub(2.0), a);
        GradCheck.check("neg", x -> x[0].neg(), a);
    }

    // ---- element-wise unary -----------------------------------------------------------------------

    @Test void unaryMath() {
        Tensor a = randn(7, 4, 3), pos = uniform(8, 0.3, 3, 4, 3);
        GradCheck.check("exp", x -> x[0].exp(), a);
        GradCheck.check("log", x -> x[0].log(), pos);
        GradCheck.check("sqrt", x -> x[0].sqrt(), pos);
        GradCheck.check("rsqrt", x -> x[0].rsqrt(), pos);
        GradCheck.check("reciprocal", x -> x[0].reciprocal(), pos);
        GradCheck.check("square", x -> x[0].square(), a);
        GradCheck.check("pow 3", x -> x[0].pow(3), a);
        GradCheck.check("pow 2.5", x -> x[0].pow(2.5), pos);
        GradCheck.check("pow -0.5", x -> x[0].pow(-0.5), pos);
        GradCheck.check("abs", x -> x[0].abs(), awayFromZero(9, 4, 3));
        GradCheck.check("sin", x -> x[0].sin(), a);
        GradCheck.check("cos", x -> x[0].cos(), a);
        GradCheck.check("erf", x -> x[0].erf(), a);
        GradCheck.check("normalCdf", x -> x[0].normalCdf(), a);
        GradCheck.check("normalPdf", x -> x[0].normalPdf(), a);
        GradCheck.check("clampMin", x -> x[0].clampMin(0.1), awayFromZero(10, 4, 3));
    }

    @Test void activations() {
        Tensor a = randn(11, 5, 4).mul(2), k = awayFromZero(12, 5, 4);
        GradCheck.check("tanh", x -> x[0].tanh(), a);
        GradCheck.check("sigmoid", x -> x[0].sigmoid(), a);
        GradCheck.check("relu", x -> x[0].relu(), k);
        GradCheck.check("gelu", x -> x[0].gelu(), a);
        GradCheck.check("silu", x -> x[0].silu(), a);
        GradCheck.check("softplus", x -> x[0].softplus(), a);
        GradCheck.check("softplus beta 2 threshold 1", x -> x[0].softplus(2.0, 1.0), k);
        GradCheck.check("elu", x -> x[0].elu(1.0), k);
        GradCheck.check("elu alpha 0.5", x -> x[0].elu(0.5), k);
    }

    @Test void activationValuesAtEdges() {
        double[] xs = {0.0, -0.0, 1e-6, -1e-6, 30, -30, 80, -80, 200, -200};
        Tensor x = Tensor.of(xs, xs.length).requiresGrad(true);
        // elu derivative at exactly 0 is alpha (PyTorch); relu derivative at 0 is 0
        Tensor[] ge = Autograd.grad(x.elu(0.7), null, false, x);
        assertEquals(0.7, ge[0].toDoubleArray()[0], 0.0);
        Tensor[] gr = Autograd.grad(x.relu(), null, false, x);
        assertEquals(0.0, gr[0].toDoubleArray()[0], 0.0);
        // every activation and its gradient stays finite at large |x| (no inf * 0)
        for (String name : new String[] {"tanh", "sigmoid", "gelu", "silu", "softplus", "elu", "relu"}) {
            Tensor y = switch (name) {
                case "tanh" -> x.tanh();
                case "sigmoid" -> x.sigmoid();
                case "gelu" -> x.gelu();
                case "silu" -> x.silu();
                case "softplus" -> x.softplus();
                case "elu" -> x.elu(1.0);
                default -> x.relu();
            };
            Tensor g = Autograd.grad(y, null, false, x)[0];
            for (double v : y.toDoubleArray()) assertTrue(Double.isFinite(v), name + " value " + v);
            for (double v : g.toDoubleArray()) assertTrue(Double.isFinite(v), name + " gradient " + v);
        }
        // softplus is exactly x above the threshold and its gradient exactly 1
        Tensor sp = x.softplus();
        assertEquals(30.0, sp.toDoubleArray()[4], 0.0);
        assertEquals(1.0, Autograd.grad(sp, null, false, x)[0].toDoubleArray()[4], 0.0);
        // elu keeps relative precision for tiny negative inputs (expm1)
        assertEquals(Math.expm1(-1e-6), x.elu(1.0).toDoubleArray()[3], 1e-22);
    }

    // ---- reductions ---------------------------------------------------------------------------------

    @Test void reductions() {
        Tensor a = randn(13, 3, 4, 5);
        GradCheck.check("sum all", x -> x[0].sum(), a);
        GradCheck.check("sum axis 1", x -> x[0].sum(1, false), a);
        GradCheck.check("sum axes 0,2 keepdim", x -> x[0].sum(new int[] {0, 2}, true), a);
        GradCheck.check("sum axis -1", x -> x[0].sum(-1, false), a);
        GradCheck.check("mean all", x -> x[0].mean(), a);
        GradCheck.check("mean axis 2", x -> x[0].mean(2, false), a);
        GradCheck.check("mean axes 0,1 keepdim", x -> x[0].mean(new int[] {0, 1}, true), a);
        GradCheck.check("max axis 1", x -> x[0].max(1, false), a);
        GradCheck.check("max axes 0,2 keepdim", x -> x[0].max(new int[] {0, 2}, true), a);
        GradCheck.check("sumToShape", x -> x[0].sumToShape(new int[] {4, 1}), a);
    }

    @Test void maxSplitsGradientAmongTies() {
        Tensor x = Tensor.of(new double[] {1, 3, 3, 2}, 4).requiresGrad(true);
        Tensor g = Autograd.grad(x.max(0, false), null, false, x)[0];
        assertArrayEquals(new double[] {0, 0.5, 0.5, 0}, g.toDoubleArray(), 0.0);
    }

    @Test void softmaxFamily() {
        Tensor a = randn(14, 3, 4, 5).mul(3);
        for (int axis = 0; axis < 3; axis++) {
            int ax = axis;
            GradCheck.check("softmax axis " + ax, x -> x[0].softmax(ax), a);
            GradCheck.check("logsumexp axis " + ax, x -> x[0].logsumexp(ax, false), a);
            GradCheck.check("logsumexp keepdim axis " + ax, x -> x[0].logsumexp(ax, true), a);
            GradCheck.check("logSoftmax axis " + ax, x -> x[0].logSoftmax(ax), a);
        }
    }

    @Test void softmaxIsStableForLargeShifts() {
        Tensor x = Tensor.of(new double[] {1000, 1001, 1002, -1000, -1001, -1002}, 2, 3);
        double[] s = x.softmax(1).toDoubleArray();
        for (double v : s) assertTrue(Double.isFinite(v));
        assertEquals(1.0, s[0] + s[1] + s[2], 1e-12);
        assertEquals(1002 + Math.log(1 + Math.exp(-1) + Math.exp(-2)), x.logsumexp(1, false).toDoubleArray()[0], 1e-9);
        Tensor f = x.to(DType.FLOAT32);
        for (double v : f.softmax(1).toDoubleArray()) assertTrue(Double.isFinite(v));
    }

    // ---- matmul ------------------------------------------------------------------------------------

    @Test void matmul() {
        GradCheck.check("matmul 2d", x -> x[0].matmul(x[1]), randn(15, 3, 4), randn(16, 4, 5));
        GradCheck.check("matmul batched", x -> x[0].matmul(x[1]), randn(17, 2, 3, 4), randn(18, 2, 4, 2));
        GradCheck.check("matmul batch broadcast rhs shared", x -> x[0].matmul(x[1]), randn(19, 2, 3, 3, 4), randn(20, 4, 2));
        GradCheck.check("matmul batch broadcast lhs shared", x -> x[0].matmul(x[1]), randn(21, 3, 4), randn(22, 2, 4, 2));
        GradCheck.check("matmul batch broadcast both", x -> x[0].matmul(x[1]), randn(23, 2, 1, 3, 4), randn(24, 3, 4, 2));
        GradCheck.check("matmul vector-matrix", x -> x[0].matmul(x[1]), randn(25, 4), randn(26, 4, 3));
        GradCheck.check("matmul matrix-vector", x -> x[0].matmul(x[1]), randn(27, 3, 4), randn(28, 4));
        GradCheck.check("matmul vector-vector", x -> x[0].matmul(x[1]), randn(29, 4), randn(30, 4));
    }

    @Test void complexMatmul() {
        GradCheck.check("complex matmul", x -> x[0].matmul(x[1]), complexRandn(31, 2, 3, 4), complexRandn(32, 2, 4, 2));
        GradCheck.check("complex @ real", x -> x[0].matmul(x[1]), complexRandn(33, 3, 4), randn(34, 4, 2));
    }

    // ---- shape and data movement -------------------------------------------------------------------

    @Test void shapes() {
        Tensor a = randn(35, 2, 3, 4);
        GradCheck.check("reshape", x -> x[0].reshape(4, -1).mul(x[0].reshape(4, 6)), a);
        GradCheck.check("flatten", x -> x[0].flatten(), a);
        GradCheck.check("unsqueeze/squeeze", x -> x[0].unsqueeze(1).mul(2).squeeze(1), a);
        GradCheck.check("permute", x -> x[0].permute(2, 0, 1), a);
        GradCheck.check("transpose", x -> x[0].transpose(0, 2), a);
        GradCheck.check("expand", x -> x[0].expand(5, 3, 3, 4).mul(x[1]), randn(36, 3, 1, 4), randn(37, 5, 3, 3, 4));
        GradCheck.check("slice step 2", x -> x[0].slice(2, 1, 4, 2), a);
        GradCheck.check("slice negative start", x -> x[0].slice(1, -2, 3), a);
        GradCheck.check("embed", x -> x[0].embed(new int[] {2, 7, 4}, 1, 1, 2), a);
        GradCheck.check("cat", x -> Tensor.cat(1, x[0], x[1], x[0]), a, randn(38, 2, 2, 4));
        GradCheck.check("stack", x -> Tensor.stack(0, x[0], x[1]), randn(39, 3, 2), randn(40, 3, 2));
        GradCheck.check("pad zeros", x -> x[0].pad(new int[] {1, 2, 0, 1}, "zeros"), a);
        GradCheck.check("pad circular", x -> x[0].pad(new int[] {1, 2, 2, 1}, "circular"), a);
        GradCheck.check("indexSelect with repeats", x -> x[0].indexSelect(1, new int[] {2, 0, 2, 1}), a);
        GradCheck.check("indexAdd with repeats", x -> x[0].indexAdd(0, new int[] {1, 1, 0}, 3), randn(41, 3, 4));
    }

    @Test void padCircularWrapsValues() {
        Tensor x = Tensor.of(new double[] {1, 2, 3}, 3);
        assertArrayEquals(new double[] {3, 1, 2, 3, 1, 2}, x.pad(new int[] {1, 2}, "circular").toDoubleArray(), 0.0);
        assertArrayEquals(new double[] {0, 1, 2, 3, 0, 0}, x.pad(new int[] {1, 2}, "zeros").toDoubleArray(), 0.0);
    }

    // ---- complex and dtype conversion --------------------------------------------------------------

    @Test void complexOps() {
        Tensor re = randn(42, 3, 2), im = randn(43, 3, 2), z = complexRandn(44, 3, 2), w = complexRandn(45, 3, 2);
        GradCheck.check("complex()", x -> Tensor.complex(x[0], x[1]), re, im);
        GradCheck.check("real", x -> x[0].real(), z);
        GradCheck.check("imag", x -> x[0].imag(), z);
        GradCheck.check("conj", x -> x[0].conj(), z);
        GradCheck.check("complex mul", x -> x[0].mul(x[1]), z, w);
        GradCheck.check("complex div", x -> x[0].div(x[1]), z, w);
        GradCheck.check("complex add/sub", x -> x[0].add(x[1]).sub(x[0].mul(2.0)), z, w);
        GradCheck.check("complex * real broadcast", x -> x[0].mul(x[1]), z, randn(46, 2));
        GradCheck.check("complex sum/mean", x -> x[0].sum(0, false).add(x[0].mean(0, false)), z);
        GradCheck.check("|z|^2 via conj", x -> x[0].mul(x[0].conj()).real(), z);
        GradCheck.check("complex reshape/permute/slice", x -> x[0].reshape(2, 3).transpose(0, 1).slice(0, 1, 3), z);
    }

    @Test void dtypeConversions() {
        Tensor a = randn(47, 3, 2);
        GradCheck.check("to complex and back", x -> x[0].to(DType.COMPLEX128).mul(x[0].to(DType.COMPLEX128)).real(), a);
        GradCheck.check("complex to real keeps re", x -> x[0].to(DType.FLOAT64), complexRandn(48, 3));
        // float64 -> float32 -> float64 loses precision, so check the gradient directly
        Tensor x = a.detach().requiresGrad(true);
        Tensor u = randn(49, 3, 2);
        Tensor g = Autograd.grad(x.to(DType.FLOAT32).mul(u.to(DType.FLOAT32)), null, false, x)[0];
        assertEquals(DType.FLOAT64, g.dtype());
        assertArrayEquals(u.to(DType.FLOAT32).toDoubleArray(), g.toDoubleArray(), 0.0);
    }

    @Test void composition() {
        GradCheck.check("mlp-ish", x -> x[0].matmul(x[1]).add(x[2]).tanh().matmul(x[1].transpose(0, 1)).sum(1, false),
                randn(50, 4, 3), randn(51, 3, 3), randn(52, 3));
    }

    // ---- the checker itself ------------------------------------------------------------------------

    @Test void checkerDetectsAWrongGradient() {
        GradCheck.Fn wrong = x -> {
            Tensor out = x[0].detach().mul(x[0].detach());
            // true derivative is 2x; record 2.01x
            return Autograd.record(out, "wrong_square", g -> new Tensor[] {g.mul(x[0]).mul(2.01)}, x[0]);
        };
        AssertionError e = assertThrows(AssertionError.class, () -> GradCheck.check("wrong", wrong, randn(53, 4)));
        assertTrue(e.getMessage().contains("first-order"), e.getMessage());
    }

    @Test void checkerDetectsAWrongSecondDerivative() {
        // right first derivative 3x^2, but its backward detaches x: the second derivative comes out 0
        GradCheck.Fn wrong = x -> {
            Tensor out = x[0].detach().pow(3);
            return Autograd.record(out, "cube", g -> new Tensor[] {g.mul(x[0].detach().square().mul(3))}, x[0]);
        };
        GradCheck.check("cube first order", wrong, randn(54, 3));
        AssertionError e = assertThrows(AssertionError.class, () -> GradCheck.create().second("cube", wrong, randn(54, 3)));
        assertTrue(e.getMessage().contains("second-order"), e.getMessage());
    }
}
