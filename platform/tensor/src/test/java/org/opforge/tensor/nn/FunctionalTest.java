package org.opforge.tensor.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.GradCheck;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;

class FunctionalTest {
    private static Tensor rand(long seed, int... shape) {
        return Tensor.rand(new Rng(seed), DType.FLOAT64, Device.CPU, -1, 1, shape);
    }

    private static void assertClose(Tensor expected, Tensor actual, double tol) {
        assertArrayEquals(expected.shape(), actual.shape());
        double[] e = expected.toDoubleArray(), a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) assertEquals(e[i], a[i], tol, "element " + i);
    }

    @Test
    void mmMatchesMatmulForEveryTransposition() {
        Tensor a = rand(1, 3, 4), b = rand(2, 4, 5);
        Tensor ref = a.matmul(b);
        assertClose(ref, Functional.mm(a, b, false, false), 1e-12);
        assertClose(ref, Functional.mm(a.transpose(0, 1), b, true, false), 1e-12);
        assertClose(ref, Functional.mm(a, b.transpose(0, 1), false, true), 1e-12);
        assertClose(ref, Functional.mm(a.transpose(0, 1), b.transpose(0, 1), true, true), 1e-12);
    }

    @Test
    void mmGradientsOfFirstAndSecondOrder() {
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                Tensor a = ta ? rand(3, 4, 3) : rand(3, 3, 4), b = tb ? rand(4, 2, 4) : rand(4, 4, 2);
                GradCheck.checkBoth("mm(" + ta + ", " + tb + ")", x -> Functional.mm(x[0], x[1], ta, tb), a, b);
            }
        }
    }

    @Test
    void linearOnABatchOfMatricesIsOneGemm() {
        Tensor x = rand(5, 2, 3, 4), w = rand(6, 5, 4), b = rand(7, 5);
        Tensor ref = x.matmul(w.transpose(0, 1)).add(b);
        assertClose(ref, Functional.linear(x, w, b), 1e-12);
        assertClose(x.matmul(w.transpose(0, 1)), Functional.linear(x, w, null), 1e-12);
        GradCheck.checkBoth("linear", t -> Functional.linear(t[0], t[1], t[2]), x, w, b);
    }

    @Test
    void linearChecksShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Functional.linear(rand(1, 2, 3), rand(2, 5, 4), null));
        assertTrue(e.getMessage().contains("in_features = 4"), e.getMessage());
    }

    @Test
    void vectorNormValuesAndGradients() {
        Tensor x = rand(8, 3, 5);
        double[] v = x.toDoubleArray();
        for (double p : new double[] {1, 2, 3}) {
            Tensor n = Functional.vectorNorm(x, p, new int[] {1}, false);
            assertArrayEquals(new int[] {3}, n.shape());
            for (int i = 0; i < 3; i++) {
                double s = 0;
                for (int j = 0; j < 5; j++) s += Math.pow(Math.abs(v[i * 5 + j]), p);
                assertEquals(Math.pow(s, 1 / p), n.toDoubleArray()[i], 1e-12);
            }
            GradCheck.check("vectorNorm p=" + p, t -> Functional.vectorNorm(t[0], p, new int[] {1}, true), x);
        }
        GradCheck.checkBoth("vectorNorm p=2 second order", t -> Functional.vectorNorm(t[0], 2, new int[] {0, 1}, false), x);
    }

    @Test
    void vectorNormGradientIsZeroNotNaNAtZero() {
        Tensor z = Tensor.zeros(DType.FLOAT64, Device.CPU, 2, 3).requiresGrad(true);
        Functional.vectorNorm(z, 2, new int[] {1}, false).sum().backward();
        for (double g : z.grad().toDoubleArray()) assertEquals(0.0, g);
    }

    @Test
    void activationsByName() {
        Tensor x = rand(9, 7);
        assertClose(x.relu(), Functional.activation("ReLU", x), 0);
        assertClose(x.gelu(), Functional.activation("gelu", x), 0);
        assertClose(x.silu(), Functional.activation("swish", x), 0);
        assertClose(x.elu(1.0), Functional.activation("elu", x), 0);
        assertClose(x.softplus(), Functional.activation("softplus", x), 0);
        assertClose(x.sigmoid(), Functional.activation("sigmoid", x), 0);
        assertClose(x.tanh(), Functional.activation("tanh", x), 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Functional.activation("relu6", x));
        assertTrue(e.getMessage().contains("relu6") && e.getMessage().contains("gelu"), e.getMessage());
    }
}
