package org.opforge.operators.deeponet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.nn.Functional;
import org.opforge.tensor.nn.Layer;

/** The network layouts, strategies, MIONet and the derivative helper, against direct formulas. */
class DeepOnetModelTest {
    private static final int N = 3, P = 5, M = 6;

    static Tensor randn(Rng r, int... shape) {
        return Tensor.randn(r, DType.FLOAT32, Device.CPU, 0, 1, shape);
    }

    static void close(Tensor a, Tensor b, double tol, String what) {
        assertArrayEquals(b.shape(), a.shape(), what + ": shape");
        double[] x = a.toDoubleArray(), y = b.toDoubleArray();
        for (int i = 0; i < x.length; i++) assertEquals(y[i], x[i], tol * (1 + Math.abs(y[i])), what + " at " + i);
    }

    private static DeepOnet.Spec spec(int outputs, DeepOnet.Strategy s, int[] bw, int[] tw, boolean stacked) {
        return new DeepOnet.Spec(new int[] {M}, 2, outputs, bw, tw, "tanh", true, stacked, s, "glorot_normal", 0, 1.0);
    }

    @Test
    void layoutsAgreeForEveryStrategy() {
        Rng r = new Rng(3);
        Tensor u = randn(r, N, M), y = randn(r, P, 2);
        Object[][] cases = {
                {1, DeepOnet.Strategy.SINGLE, new int[] {8, 6}, new int[] {8, 6}, false},
                {1, DeepOnet.Strategy.SINGLE, new int[] {8, 6}, new int[] {8, 6}, true},
                {2, DeepOnet.Strategy.INDEPENDENT, new int[] {8, 6}, new int[] {8, 6}, false},
                {2, DeepOnet.Strategy.SPLIT_BOTH, new int[] {8, 6}, new int[] {8, 6}, false},
                {3, DeepOnet.Strategy.SPLIT_BRANCH, new int[] {8, 12}, new int[] {8, 4}, false},
                {3, DeepOnet.Strategy.SPLIT_TRUNK, new int[] {8, 4}, new int[] {8, 12}, false}};
        for (Object[] c : cases) {
            int outs = (Integer) c[0];
            DeepOnet net = new DeepOnet(spec(outs, (DeepOnet.Strategy) c[1], (int[]) c[2], (int[]) c[3], (Boolean) c[4]), new Rng(1));
            // non-zero biases so that they are checked too
            net.namedParameters().forEach((k, v) -> { if (k.endsWith("b0")) v.assign(Tensor.full(DType.FLOAT32, Device.CPU, 0.3, v.shape())); });
            String what = c[1] + " stacked=" + c[4];
            Tensor cart = net.cartesian(u, y);
            assertArrayEquals(outs == 1 ? new int[] {N, P} : new int[] {N, P, outs}, cart.shape(), what);
            Tensor per = net.perSample(u, y.unsqueeze(0).expand(N, P, 2));
            close(per, cart, 1e-5, what + " perSample");
            for (int i = 0; i < N; i++) {
                Tensor ui = u.slice(0, i, i + 1).expand(P, M);
                Tensor pairs = net.pairs(ui, y);
                close(pairs, cart.slice(0, i, i + 1).reshape(outs == 1 ? new int[] {P} : new int[] {P, outs}), 1e-5, what + " pairs");
            }
        }
    }

    @Test
    void splitBranchPairsEachGroupWithTheSharedTrunk() {
        Rng r = new Rng(4);
        DeepOnet net = new DeepOnet(spec(2, DeepOnet.Strategy.SPLIT_BRANCH, new int[] {8, 6}, new int[] {5, 3}, false), new Rng(2));
        Tensor u = randn(r, N, M), y = randn(r, P, 2);
        Tensor b = net.branch(u), t = net.trunk(y), g = net.cartesian(u, y);
        for (int c = 0; c < 2; c++) {
            Tensor expected = Functional.mm(b.slice(1, 3 * c, 3 * c + 3), t, false, true).add(net.bias().slice(0, c, c + 1));
            close(g.slice(2, c, c + 1).reshape(N, P), expected, 1e-5, "output " + c);
        }
    }

    @Test
    void stackedBranchHasOneNetPerFeature() {
        DeepOnet net = new DeepOnet(spec(1, DeepOnet.Strategy.SINGLE, new int[] {8, 6}, new int[] {8, 6}, true), new Rng(1));
        Map<String, Tensor> p = net.namedParameters();
        assertArrayEquals(new int[] {1, 8}, p.get("branch.5.2.weight").shape());
        assertTrue(!p.containsKey("branch.6.0.weight"));
        assertArrayEquals(new int[] {N, 6}, net.branch(randn(new Rng(1), N, M)).shape(), "feature count");
    }

    @Test
    void mionetMultipliesTheBranches() {
        Rng r = new Rng(5);
        DeepOnet.Spec s = new DeepOnet.Spec(new int[] {4, 3}, 1, 1, new int[] {7, 5}, new int[] {7, 5}, "tanh", true, false,
                DeepOnet.Strategy.SINGLE, "glorot_normal", 0, 1.0);
        DeepOnet net = new DeepOnet(s, new Rng(1));
        Tensor u = randn(r, N, 7), y = randn(r, P, 1);
        Tensor b1 = ((Layer) net.child("branch1")).forward(u.slice(1, 0, 4));
        Tensor b2 = ((Layer) net.child("branch2")).forward(u.slice(1, 4, 7));
        Tensor expected = Functional.mm(b1.mul(b2), net.trunk(y), false, true);
        close(net.cartesian(u, y), expected, 1e-5, "MIONet");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.cartesian(randn(r, N, 6), y));
        assertTrue(e.getMessage().contains("6") && e.getMessage().contains("7") && e.getMessage().contains("[4, 3]"), e.getMessage());
    }

    @Test
    void mionetGradientsMatchFiniteDifferences() {
        Rng r = new Rng(6);
        DeepOnet.Spec s = new DeepOnet.Spec(new int[] {4, 3}, 1, 1, new int[] {7, 5}, new int[] {6, 5}, "tanh", true, false,
                DeepOnet.Strategy.SINGLE, "glorot_normal", 0, 1.0);
        DeepOnet net = new DeepOnet(s, new Rng(1));
        net.to(DType.FLOAT64);
        Tensor u = randn(r, N, 7).to(DType.FLOAT64), y = randn(r, P, 1).to(DType.FLOAT64), w = randn(r, N, P).to(DType.FLOAT64);
        net.cartesian(u, y).mul(w).sum().backward();
        for (String key : new String[] {"branch1.0.weight", "branch2.2.bias", "trunk.0.weight", "b0"}) {
            Tensor p = net.namedParameters().get(key);
            double[] grad = p.grad().toDoubleArray();
            double[] v = p.toDoubleArray();
            int i = v.length / 2;
            double h = 1e-6;
            double[] plus = v.clone(), minus = v.clone();
            plus[i] += h;
            minus[i] -= h;
            p.assign(Tensor.of(plus, DType.FLOAT64, Device.CPU, p.shape()));
            double fp = net.cartesian(u, y).mul(w).sum().item();
            p.assign(Tensor.of(minus, DType.FLOAT64, Device.CPU, p.shape()));
            double fm = net.cartesian(u, y).mul(w).sum().item();
            p.assign(Tensor.of(v, DType.FLOAT64, Device.CPU, p.shape()));
            assertEquals((fp - fm) / (2 * h), grad[i], 1e-6 * (1 + Math.abs(grad[i])), key);
        }
    }

    @Test
    void pointDerivativeMatchesFiniteDifferences() {
        DeepOnet net = new DeepOnet(new DeepOnet.Spec(new int[] {M}, 2, 1, new int[] {8, 6}, new int[] {8, 6}, "tanh", true, false,
                DeepOnet.Strategy.SINGLE, "glorot_normal", 4, 1.0), new Rng(1));
        net.to(DType.FLOAT64);
        Tensor y = randn(new Rng(7), P, 2).to(DType.FLOAT64);
        PointDerivatives.ValueAndDerivative d = PointDerivatives.firstDerivative(net::trunk, y, 1);
        double h = 1e-6;
        Tensor e = Tensor.of(new double[] {0, h}, DType.FLOAT64, Device.CPU, 1, 2);
        Tensor fd = net.trunk(y.add(e)).sub(net.trunk(y.sub(e))).div(2 * h);
        close(d.derivative(), fd.detach(), 1e-6, "dt/dy_1 with Fourier features");
        close(d.value(), net.trunk(y).detach(), 1e-12, "value");
        // the derivative is itself differentiable with respect to the parameters (physics-informed losses)
        d.derivative().square().sum().backward();
        assertTrue(net.namedParameters().get("trunk.0.weight").grad() != null);
    }

    @Test
    void wrongSizesNameBothSizes() {
        DeepOnet net = new DeepOnet(DeepOnet.Spec.of(100, 1, new int[] {40, 40}, new int[] {40, 40}, "relu"), new Rng(1));
        Rng r = new Rng(8);
        IllegalArgumentException a = assertThrows(IllegalArgumentException.class, () -> net.cartesian(randn(r, 2, 50), randn(r, 3, 1)));
        assertTrue(a.getMessage().contains("50 sensor values") && a.getMessage().contains("expects 100"), a.getMessage());
        IllegalArgumentException b = assertThrows(IllegalArgumentException.class, () -> net.cartesian(randn(r, 2, 100), randn(r, 3, 2)));
        assertTrue(b.getMessage().contains("2 coordinates") && b.getMessage().contains("expects 1"), b.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new DeepOnet(spec(2, DeepOnet.Strategy.SPLIT_BRANCH, new int[] {8, 5},
                new int[] {8, 3}, false), new Rng(1)));
    }
}
