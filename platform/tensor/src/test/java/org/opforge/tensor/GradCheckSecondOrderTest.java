package org.opforge.tensor;

import static org.opforge.tensor.GradCheckOpsTest.awayFromZero;
import static org.opforge.tensor.GradCheckOpsTest.complexRandn;
import static org.opforge.tensor.GradCheckOpsTest.randn;
import static org.opforge.tensor.GradCheckOpsTest.uniform;

import org.junit.jupiter.api.Test;

/** Second-order (Hessian-vector) finite-difference checks: backward rules are themselves differentiable. */
class GradCheckSecondOrderTest {

    private static void both(String name, GradCheck.Fn f, Tensor... x) {
        GradCheck.create().second(name, f, x);
    }

    @Test void matmul() {
        both("matmul", x -> x[0].matmul(x[1]), randn(1, 3, 4), randn(2, 4, 2));
        both("matmul batched broadcast", x -> x[0].matmul(x[1]), randn(3, 2, 3, 4), randn(4, 4, 2));
        both("matmul squared", x -> x[0].matmul(x[0]), randn(5, 3, 3));
        both("complex matmul", x -> x[0].matmul(x[1]), complexRandn(6, 2, 3), complexRandn(7, 3, 2));
    }

    @Test void elementWise() {
        Tensor a = randn(8, 3, 4), b = uniform(9, 0.5, 2, 4), pos = uniform(10, 0.3, 3, 3, 4);
        both("mul", x -> x[0].mul(x[1]), a, b);
        both("div", x -> x[0].div(x[1]), a, b);
        both("mul self", x -> x[0].mul(x[0]), a);
        both("exp", x -> x[0].exp(), a);
        both("log", x -> x[0].log(), pos);
        both("sqrt", x -> x[0].sqrt(), pos);
        both("rsqrt", x -> x[0].rsqrt(), pos);
        both("reciprocal", x -> x[0].reciprocal(), pos);
        both("pow 3", x -> x[0].pow(3), a);
        both("pow 1.5", x -> x[0].pow(1.5), pos);
        both("sin", x -> x[0].sin(), a);
        both("cos", x -> x[0].cos(), a);
        both("erf", x -> x[0].erf(), a);
        both("normalCdf", x -> x[0].normalCdf(), a);
        both("normalPdf", x -> x[0].normalPdf(), a);
        both("complex div", x -> x[0].div(x[1]), complexRandn(11, 4), complexRandn(12, 4));
    }

    @Test void activations() {
        Tensor a = randn(13, 4, 5).mul(2), k = awayFromZero(14, 4, 5);
        both("tanh", x -> x[0].tanh(), a);
        both("sigmoid", x -> x[0].sigmoid(), a);
        both("gelu", x -> x[0].gelu(), a);
        both("silu", x -> x[0].silu(), a);
        both("softplus", x -> x[0].softplus(), a);
        both("softplus beta 2", x -> x[0].softplus(2.0, 20.0), a);
        both("elu", x -> x[0].elu(1.0), k);
        both("relu times x", x -> x[0].relu().mul(x[0]), k);
    }

    @Test void reductions() {
        Tensor a = randn(15, 3, 4, 5);
        both("sum squared", x -> x[0].sum(1, false).square(), a);
        both("mean squared", x -> x[0].mean(new int[] {0, 2}, true).square(), a);
        both("softmax", x -> x[0].softmax(2), a);
        both("logsumexp", x -> x[0].logsumexp(1, false), a);
        both("logSoftmax", x -> x[0].logSoftmax(0), a);
        both("max times x", x -> x[0].max(2, true).mul(x[0]), a);
        both("variance", x -> {
            Tensor c = x[0].sub(x[0].mean(2, true));
            return c.square().mean(2, false);
        }, a);
    }

    @Test void dataMovement() {
        Tensor a = randn(16, 2, 3, 4);
        both("permute squared", x -> x[0].permute(1, 2, 0).square(), a);
        both("pad circular cubed", x -> x[0].pad(new int[] {1, 1}, "circular").pow(3), a);
        both("indexSelect squared", x -> x[0].indexSelect(2, new int[] {0, 0, 3}).square(), a);
        both("cat product", x -> Tensor.cat(0, x[0], x[0].square()).mul(x[0].sum(0, true)), a);
    }
}
