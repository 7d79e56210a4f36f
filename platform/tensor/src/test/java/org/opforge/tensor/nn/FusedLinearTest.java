package org.opforge.tensor.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.opforge.tensor.Autograd;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.GradMode;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.nn.Activation.Kind;

/**
 * The linear layer with its activation as one op ({@link Functional#linear(Tensor, Tensor, Tensor, Kind)}:
 * bias and activation applied to each block of the product on the thread that computed it) gives the
 * values and gradients of the layer followed by the activation, on every path of the GEMM: one thread,
 * rows or columns split among threads, the inner dimension split, k = 1, float64.
 */
class FusedLinearTest {
    /** {m, n, k}: small (one thread), tall (row split), wide (column split), long k (k split), k = 1. */
    private static final int[][] SHAPES = {{7, 5, 3}, {3000, 40, 100}, {64, 2000, 100}, {20, 30, 5000}, {5000, 40, 1}};

    @Test void valuesEqualTheLayerThenTheActivationBitForBit() {
        Rng rng = new Rng(1);
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int[] s : SHAPES) {
                Tensor x = Tensor.randn(rng, dt, Device.CPU, 0, 1, s[0], s[2]);
                Tensor w = Tensor.randn(rng, dt, Device.CPU, 0, 0.3, s[1], s[2]);
                Tensor b = Tensor.randn(rng, dt, Device.CPU, 0, 1, s[1]);
                for (Kind act : new Kind[] {Kind.IDENTITY, Kind.RELU, Kind.TANH, Kind.SIGMOID}) {
                    for (Tensor bias : new Tensor[] {b, null}) {
                        try (GradMode.Scope g = GradMode.noGrad()) {
                            Tensor fused = Functional.linear(x, w, bias, act);
                            Tensor apart = act.apply(Functional.linear(x, w, bias), 1.0);
                            assertArrayEquals(apart.toDoubleArray(), fused.toDoubleArray(), 0.0,
                                    dt + " " + java.util.Arrays.toString(s) + " " + act.label() + (bias == null ? " no bias" : ""));
                        }
                    }
                }
            }
        }
    }

    @Test void gradientsEqualTheLayerThenTheActivation() {
        Rng rng = new Rng(2);
        for (int[] s : SHAPES) {
            for (Kind act : new Kind[] {Kind.IDENTITY, Kind.RELU, Kind.TANH, Kind.SIGMOID}) {
                Tensor x = Tensor.randn(rng, DType.FLOAT64, Device.CPU, 0, 1, s[0], s[2]).requiresGrad(true);
                Tensor w = Tensor.randn(rng, DType.FLOAT64, Device.CPU, 0, 0.3, s[1], s[2]).requiresGrad(true);
                Tensor b = Tensor.randn(rng, DType.FLOAT64, Device.CPU, 0, 1, s[1]).requiresGrad(true);
                Tensor up = Tensor.randn(rng, DType.FLOAT64, Device.CPU, 0, 1, s[0], s[1]);
                Tensor[] fused = Autograd.grad(Functional.linear(x, w, b, act).mul(up).sum(), null, false, x, w, b);
                Tensor[] apart = Autograd.grad(act.apply(Functional.linear(x, w, b), 1.0).mul(up).sum(), null, false, x, w, b);
                for (int i = 0; i < 3; i++) {
                    assertArrayEquals(apart[i].toDoubleArray(), fused[i].toDoubleArray(), 1e-12,
                            java.util.Arrays.toString(s) + " " + act.label() + " input " + i);
                }
            }
        }
    }

    /** Second derivatives pass through the fused rule: tanh and sigmoid keep the output in the graph. */
    @Test void secondDerivativesEqualTheLayerThenTheActivation() {
        Rng rng = new Rng(3);
        for (Kind act : new Kind[] {Kind.RELU, Kind.TANH, Kind.SIGMOID}) {
            Tensor x = Tensor.randn(rng, DType.FLOAT64, Device.CPU, 0, 1, 9, 4).requiresGrad(true);
            Tensor w = Tensor.randn(rng, DType.FLOAT64, Device.CPU, 0, 0.5, 6, 4).requiresGrad(true);
            Tensor b = Tensor.randn(rng, DType.FLOAT64, Device.CPU, 0, 1, 6).requiresGrad(true);
            double[][] got = new double[2][];
            for (int v = 0; v < 2; v++) {
                Tensor y = v == 0 ? Functional.linear(x, w, b, act) : act.apply(Functional.linear(x, w, b), 1.0);
                Tensor dx = Autograd.grad(y.square().sum(), null, true, x)[0];
                got[v] = Autograd.grad(dx.square().sum(), null, false, w)[0].toDoubleArray();
            }
            assertArrayEquals(got[1], got[0], 1e-12, act.label());
            assertTrue(java.util.Arrays.stream(got[0]).anyMatch(d -> d != 0), act.label() + ": a second derivative that is zero checks nothing");
        }
    }

    @Test void aSequentialRunsLinearAndActivationAsOneOpWithTheSameValues() {
        MLP mlp = new MLP(new int[] {16, 64, 64, 3}, "tanh", false, new Rng(4));
        Tensor x = Tensor.randn(new Rng(5), DType.FLOAT32, Device.CPU, 0, 1, 500, 16).requiresGrad(true);
        Tensor h = x;
        for (int i = 0; i < mlp.size(); i++) h = mlp.get(i).forward(h);
        Tensor fused = mlp.forward(x);
        assertArrayEquals(h.toFloatArray(), fused.toFloatArray(), 0f);
        Tensor[] ga = Autograd.grad(h.sum(), null, false, x), gf = Autograd.grad(fused.sum(), null, false, x);
        assertArrayEquals(ga[0].toFloatArray(), gf[0].toFloatArray(), 1e-6f);
    }

    @Test void anActivationThatIsNotFusedIsRefusedAndTheLayerAppliesItAfter() {
        Tensor x = Tensor.randn(new Rng(6), DType.FLOAT32, Device.CPU, 0, 1, 4, 3).requiresGrad(true);
        Tensor w = Tensor.randn(new Rng(7), DType.FLOAT32, Device.CPU, 0, 1, 2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Functional.linear(x, w, null, Kind.GELU));
        assertTrue(!Functional.fusesWithLinear(Kind.GELU) && Functional.fusesWithLinear(Kind.RELU));
        assertTrue(e.getMessage().contains("gelu"), e.getMessage());
        // the layer falls back to the activation after it
        Linear lin = new Linear(3, 2, new Rng(8));
        Tensor y = lin.forward(x, new Activation(Kind.GELU, 1.0));
        assertArrayEquals(lin.forward(x).gelu().toFloatArray(), y.toFloatArray(), 0f);
    }
}
