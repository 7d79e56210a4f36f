package org.opforge.operators.fno;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.opforge.operators.fno.layers.DomainPadding;
import org.opforge.operators.fno.layers.SpectralWeights;
import org.opforge.operators.fno.models.Fno;
import org.opforge.operators.fno.models.FnoSpec;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.GradMode;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.nn.Activation;

/** FNO in 1 and 3 dimensions: shapes of outputs and gradients, and finite-difference spot checks in float64. */
class FnoShapesTest {

    private static FnoSpec spec(int dims, int[] modes, boolean channelMlp, double padding, int lifting) {
        return new FnoSpec(dims, 2, 3, 6, modes, 2, lifting, 10, Activation.Kind.GELU, true, channelMlp, 0.5, padding,
                DomainPadding.Mode.ONE_SIDED, SpectralWeights.dense());
    }

    @Test
    void oneDimensionalShapesAndGradients() {
        Fno net = new Fno(spec(1, new int[] {5}, true, 0.25, 8), new Rng(3));
        Tensor x = Tensor.randn(new Rng(4), DType.FLOAT32, Device.CPU, 0, 1, 4, 2, 20).requiresGrad(true);
        Tensor y = net.forward(x);
        assertArrayEquals(new int[] {4, 3, 20}, y.shape());
        y.square().sum().backward();
        assertArrayEquals(x.shape(), x.grad().shape());
        net.namedParameters().forEach((k, p) -> {
            assertNotNull(p.grad(), "no gradient for " + k);
            assertArrayEquals(p.shape(), p.grad().shape(), k);
        });
        // another resolution, same weights
        assertArrayEquals(new int[] {1, 3, 33}, net.forward(Tensor.zeros(1, 2, 33)).shape());
    }

    @Test
    void threeDimensionalShapesAndGradients() {
        Fno net = new Fno(spec(3, new int[] {2, 3, 2}, false, 0.0, 0), new Rng(5));
        assertTrue(net.stateDict().containsKey("blocks.0.spectral.weights4"), net.stateDict().keySet().toString());
        Tensor x = Tensor.randn(new Rng(6), DType.FLOAT32, Device.CPU, 0, 1, 2, 2, 6, 7, 8).requiresGrad(true);
        Tensor y = net.forward(x);
        assertArrayEquals(new int[] {2, 3, 6, 7, 8}, y.shape());
        y.sum().backward();
        assertArrayEquals(x.shape(), x.grad().shape());
        net.namedParameters().forEach((k, p) -> assertArrayEquals(p.shape(), p.grad().shape(), k));
    }

    @Test
    void finiteDifferences1d() {
        Fno net = new Fno(spec(1, new int[] {4}, true, 0.2, 0), new Rng(7));
        net.to(DType.FLOAT64);
        Tensor x = Tensor.randn(new Rng(8), DType.FLOAT64, Device.CPU, 0, 1, 2, 2, 12);
        checkGradients(net, x, new Rng(9));
    }

    @Test
    void finiteDifferences3d() {
        Fno net = new Fno(spec(3, new int[] {2, 2, 2}, false, 0.0, 0), new Rng(10));
        net.to(DType.FLOAT64);
        Tensor x = Tensor.randn(new Rng(11), DType.FLOAT64, Device.CPU, 0, 1, 1, 2, 4, 5, 6);
        checkGradients(net, x, new Rng(12));
    }

    /** Central differences of L = sum(y * u) against autodiff at a few input entries and a few entries of every parameter. */
    private static void checkGradients(Fno net, Tensor x0, Rng rng) {
        Tensor x = x0.detach().requiresGrad(true);
        Tensor u = Tensor.randn(rng, DType.FLOAT64, Device.CPU, 0, 1, net.forward(x).shape());
        net.zeroGrad();
        net.forward(x).mul(u).sum().backward();
        Supplier<Double> loss = () -> {
            try (GradMode.Scope s = GradMode.noGrad()) {
                return net.forward(x).mul(u).sum().item();
            }
        };
        double h = 1e-6;
        double[] gx = x.grad().toDoubleArray();
        for (int k = 0; k < 4; k++) {
            int i = rng.nextInt(gx.length);
            double fd = perturbed(x, i, h, loss);
            assertClose("input[" + i + "]", gx[i], fd);
        }
        for (Map.Entry<String, Tensor> e : net.namedParameters().entrySet()) {
            Tensor p = e.getValue();
            double[] g = p.grad().toDoubleArray();
            int i = rng.nextInt(g.length);
            assertClose(e.getKey() + "[" + i + "]", g[i], perturbed(p, i, h, loss));
        }
    }

    /** (L(v + h e_i) - L(v - h e_i)) / 2h for slot i of the host data (real or imaginary part of a complex entry). */
    private static double perturbed(Tensor t, int slot, double h, Supplier<Double> loss) {
        double[] v = t.toDoubleArray();
        double keep = v[slot];
        v[slot] = keep + h;
        t.assign(Tensor.of(v, t.dtype(), t.device(), t.shape()));
        double plus = loss.get();
        v[slot] = keep - h;
        t.assign(Tensor.of(v, t.dtype(), t.device(), t.shape()));
        double minus = loss.get();
        v[slot] = keep;
        t.assign(Tensor.of(v, t.dtype(), t.device(), t.shape()));
        return (plus - minus) / (2 * h);
    }

    private static void assertClose(String what, double autodiff, double fd) {
        double tol = 1e-5 * Math.max(1.0, Math.abs(fd));
        assertEquals(fd, autodiff, tol, what + ": autodiff " + autodiff + " vs finite difference " + fd);
    }

    @Test
    void finiteDifferencesFactorized2d() {
        for (org.opforge.decomp.factorized.TensorFormat f : new org.opforge.decomp.factorized.TensorFormat[] {
                org.opforge.decomp.factorized.TensorFormat.CP, org.opforge.decomp.factorized.TensorFormat.TUCKER,
                org.opforge.decomp.factorized.TensorFormat.TT}) {
            FnoSpec s = new FnoSpec(2, 1, 1, 4, new int[] {3, 3}, 2, 0, 6, Activation.Kind.GELU, true, false, 0.5, 0.0,
                    DomainPadding.Mode.ONE_SIDED, new SpectralWeights(f, 0.5, SpectralWeights.Implementation.FACTORIZED));
            Fno net = new Fno(s, new Rng(13));
            net.to(DType.FLOAT64);
            checkGradients(net, Tensor.randn(new Rng(14), DType.FLOAT64, Device.CPU, 0, 1, 2, 1, 8, 7), new Rng(15));
        }
    }

    @Test
    void tooManyModesForTheResolutionIsAClearError() {
        Fno net = new Fno(spec(2, new int[] {8, 8}, false, 0.0, 0), new Rng(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.forward(Tensor.zeros(1, 2, 12, 12)));
        assertTrue(e.getMessage().contains("modes [8, 8]") && e.getMessage().contains("[12, 12]"), e.getMessage());
        assertArrayEquals(new int[] {1, 3, 16, 16}, net.forward(Tensor.zeros(1, 2, 16, 16)).shape());
    }
}
