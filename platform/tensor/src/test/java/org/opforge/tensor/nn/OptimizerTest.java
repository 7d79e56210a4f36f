package org.opforge.tensor.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.nn.loss.MSELoss;
import org.opforge.tensor.nn.optim.Adam;
import org.opforge.tensor.nn.optim.AdamW;
import org.opforge.tensor.nn.optim.GradClip;
import org.opforge.tensor.nn.optim.Optimizer;
import org.opforge.tensor.nn.optim.SGD;

/**
 * Optimizers against a plain double-precision transcription of PyTorch's update rules, on the
 * quadratic loss sum(c p^2 + d p) of the golden files (gradient 2 c p + d).
 */
class OptimizerTest {
    static final int N = 7;
    static final double[] P0 = new double[N], C = new double[N], D = new double[N];

    static {
        Rng r = new Rng(42);
        for (int i = 0; i < N; i++) {
            P0[i] = 2 * r.nextUniform() - 1;
            C[i] = 0.5 + r.nextUniform();
            D[i] = 2 * r.nextUniform() - 1;
        }
    }

    /** Runs {@code steps} steps of the optimizer made by {@code make} on a float64 parameter; returns p. */
    static double[] run(BiFunction<Map<String, Tensor>, Double, Optimizer> make, double lr, int steps) {
        Tensor p = Tensor.of(P0.clone(), N).requiresGrad(true);
        Tensor c = Tensor.of(C.clone(), N), d = Tensor.of(D.clone(), N);
        Optimizer opt = make.apply(Map.of("p", p), lr);
        for (int s = 0; s < steps; s++) {
            opt.zeroGrad();
            c.mul(p.square()).add(d.mul(p)).sum().backward();
            opt.step();
        }
        return p.toDoubleArray();
    }

    static double grad(double[] p, int i) {
        return 2 * C[i] * p[i] + D[i];
    }

    static double[] referenceSgd(double lr, double momentum, double dampening, double wd, boolean nesterov, int steps) {
        double[] p = P0.clone(), buf = new double[N];
        for (int s = 1; s <= steps; s++) {
            for (int i = 0; i < N; i++) {
                double g = grad(p, i) + wd * p[i];
                if (momentum != 0) {
                    buf[i] = s == 1 ? g : momentum * buf[i] + (1 - dampening) * g;
                    g = nesterov ? g + momentum * buf[i] : buf[i];
                }
                p[i] -= lr * g;
            }
        }
        return p;
    }

    static double[] referenceAdam(double lr, double b1, double b2, double eps, double wd, boolean decoupled, boolean amsgrad, int steps) {
        double[] p = P0.clone(), m = new double[N], v = new double[N], vmax = new double[N];
        for (int t = 1; t <= steps; t++) {
            for (int i = 0; i < N; i++) {
                double g = grad(p, i);
                if (decoupled) p[i] *= 1 - lr * wd;
                else g += wd * p[i];
                m[i] = b1 * m[i] + (1 - b1) * g;
                v[i] = b2 * v[i] + (1 - b2) * g * g;
                vmax[i] = Math.max(vmax[i], v[i]);
                double vv = amsgrad ? vmax[i] : v[i];
                double denom = Math.sqrt(vv) / Math.sqrt(1 - Math.pow(b2, t)) + eps;
                p[i] -= lr / (1 - Math.pow(b1, t)) * m[i] / denom;
            }
        }
        return p;
    }

    static void assertClose(double[] expected, double[] actual, double tol) {
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], actual[i], tol, "element " + i);
    }

    @Test
    void sgdVariantsFollowPyTorchRules() {
        assertClose(referenceSgd(0.1, 0, 0, 0, false, 6), run((m, lr) -> new SGD(m, lr), 0.1, 6), 1e-12);
        assertClose(referenceSgd(0.05, 0.9, 0, 0, false, 6), run((m, lr) -> new SGD(m, lr, 0.9, 0, 0, false), 0.05, 6), 1e-12);
        assertClose(referenceSgd(0.05, 0.9, 0.3, 0.01, false, 6), run((m, lr) -> new SGD(m, lr, 0.9, 0.3, 0.01, false), 0.05, 6), 1e-12);
        assertClose(referenceSgd(0.05, 0.8, 0, 0.1, true, 6), run((m, lr) -> new SGD(m, lr, 0.8, 0, 0.1, true), 0.05, 6), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new SGD(Map.of("p", Tensor.zeros(1).requiresGrad(true)), 0.1, 0, 0, 0, true));
    }

    @Test
    void adamVariantsFollowPyTorchRules() {
        assertClose(referenceAdam(0.01, 0.9, 0.999, 1e-8, 0, false, false, 8), run((m, lr) -> new Adam(m, lr), 0.01, 8), 1e-12);
        assertClose(referenceAdam(0.02, 0.8, 0.99, 1e-6, 0.1, false, false, 8),
                run((m, lr) -> new Adam(m, lr, 0.8, 0.99, 1e-6, 0.1, false), 0.02, 8), 1e-12);
        assertClose(referenceAdam(0.02, 0.8, 0.99, 1e-6, 0.1, false, true, 8),
                run((m, lr) -> new Adam(m, lr, 0.8, 0.99, 1e-6, 0.1, true), 0.02, 8), 1e-12);
        assertClose(referenceAdam(0.01, 0.9, 0.999, 1e-8, 0.01, true, false, 8), run((m, lr) -> new AdamW(m, lr), 0.01, 8), 1e-12);
        assertClose(referenceAdam(0.05, 0.9, 0.999, 1e-8, 0.5, true, true, 8),
                run((m, lr) -> new AdamW(m, lr, 0.9, 0.999, 1e-8, 0.5, true), 0.05, 8), 1e-12);
    }

    @Test
    void complexParametersAreUpdatedPartByPart() {
        Rng r = new Rng(3);
        Tensor re = Tensor.rand(r, DType.FLOAT64, Device.CPU, -1, 1, 4), im = Tensor.rand(r, DType.FLOAT64, Device.CPU, -1, 1, 4);
        Tensor target = Tensor.rand(r, DType.FLOAT64, Device.CPU, -1, 1, 4);
        Tensor z = Tensor.complex(re, im).detach().requiresGrad(true);
        Tensor a = re.detach().requiresGrad(true), b = im.detach().requiresGrad(true);
        Adam complexOpt = new Adam(Map.of("z", z), 0.05);
        Adam realOpt = new Adam(new LinkedHashMap<>(Map.of("a", a, "b", b)), 0.05);
        for (int s = 0; s < 4; s++) {
            // loss = sum((Re z - t)^2 * 3 + (Im z)^4): gradients differ per part, so the per-part second moment matters
            complexOpt.zeroGrad();
            z.real().sub(target).square().mul(3).add(z.imag().pow(4)).sum().backward();
            complexOpt.step();
            realOpt.zeroGrad();
            a.sub(target).square().mul(3).add(b.pow(4)).sum().backward();
            realOpt.step();
        }
        assertClose(a.toDoubleArray(), z.real().toDoubleArray(), 1e-12);
        assertClose(b.toDoubleArray(), z.imag().toDoubleArray(), 1e-12);
        assertEquals(DType.COMPLEX128, complexOpt.stateDict().get("state.z.exp_avg_sq").dtype());
    }

    @Test
    void stateExportAndImportContinueTheSameTrajectory() {
        Tensor p = Tensor.of(P0.clone(), N).requiresGrad(true);
        Tensor c = Tensor.of(C.clone(), N), d = Tensor.of(D.clone(), N);
        Adam opt = new Adam(Map.of("w", p), 0.03);
        Runnable stepA = () -> {
            opt.zeroGrad();
            c.mul(p.square()).add(d.mul(p)).sum().backward();
            opt.step();
        };
        for (int i = 0; i < 3; i++) stepA.run();
        Map<String, Tensor> saved = opt.stateDict();
        assertEquals(3.0, saved.get("state.w.step").item());
        Tensor q = Tensor.of(p.toDoubleArray(), N).requiresGrad(true);
        Adam resumed = new Adam(Map.of("w", q), 0.5);
        resumed.loadStateDict(saved);
        assertEquals(0.03, resumed.lr());
        assertEquals(3, resumed.step("w"));
        for (int i = 0; i < 2; i++) {
            stepA.run();
            resumed.zeroGrad();
            c.mul(q.square()).add(d.mul(q)).sum().backward();
            resumed.step();
        }
        assertArrayEquals(p.toDoubleArray(), q.toDoubleArray());
        assertClose(referenceAdam(0.03, 0.9, 0.999, 1e-8, 0, false, false, 5), q.toDoubleArray(), 1e-12);
    }

    @Test
    void importRejectsForeignState() {
        Tensor p = Tensor.zeros(DType.FLOAT64, Device.CPU, 3).requiresGrad(true);
        Adam opt = new Adam(Map.of("w", p), 0.1);
        Map<String, Tensor> bad = new LinkedHashMap<>();
        bad.put("lr", Tensor.scalar(0.1));
        bad.put("state.w.step", Tensor.scalar(2));
        bad.put("state.w.exp_avg", Tensor.zeros(4));
        bad.put("state.v.exp_avg", Tensor.zeros(3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> opt.loadStateDict(bad));
        String m = e.getMessage();
        assertTrue(m.contains("'state.w.exp_avg'") && m.contains("[3]") && m.contains("[4]"), m);
        assertTrue(m.contains("'state.w.exp_avg_sq' is missing") && m.contains("unexpected key 'state.v.exp_avg'"), m);
        assertEquals(0.1, opt.lr());
    }

    @Test
    void parametersWithoutGradientAreSkipped() {
        Tensor a = Tensor.ones(2).requiresGrad(true), b = Tensor.ones(2).requiresGrad(true);
        SGD opt = new SGD(new LinkedHashMap<>(Map.of("a", a, "b", b)), 0.5);
        a.mul(3.0).sum().backward();
        opt.step();
        assertArrayEquals(new float[] {-0.5f, -0.5f}, a.toFloatArray());
        assertArrayEquals(new float[] {1f, 1f}, b.toFloatArray());
        assertEquals(0, opt.step("b"));
        opt.zeroGrad();
        assertNull(a.grad());
    }

    @Test
    void clipByGlobalNorm() {
        Tensor a = Tensor.zeros(2).requiresGrad(true), b = Tensor.zeros(1).requiresGrad(true), c = Tensor.zeros(1).requiresGrad(true);
        a.setGrad(Tensor.of(new float[] {3, 0}, 2));
        b.setGrad(Tensor.of(new float[] {4}, 1));
        double total = GradClip.clipGradNorm(java.util.List.of(a, b, c), 1.0);
        assertEquals(5.0, total, 1e-6);
        double coef = 1.0 / (5.0 + 1e-6);
        assertArrayEquals(new float[] {(float) (3 * coef), 0f}, a.grad().toFloatArray(), 1e-7f);
        assertArrayEquals(new float[] {(float) (4 * coef)}, b.grad().toFloatArray(), 1e-7f);
        assertNull(c.grad());
        // below the threshold nothing changes
        float[] before = a.grad().toFloatArray();
        assertEquals(1.0, GradClip.clipGradNorm(java.util.List.of(a, b), 10.0), 1e-5);
        assertArrayEquals(before, a.grad().toFloatArray());
        // infinity norm: the largest absolute value
        a.setGrad(Tensor.of(new float[] {-6, 2}, 2));
        assertEquals(6.0, GradClip.clipGradNorm(java.util.List.of(a), 3.0, Double.POSITIVE_INFINITY), 1e-6);
        assertEquals(-3.0, a.grad().toFloatArray()[0], 1e-5);
    }

    @Test
    void clipByValue() {
        Tensor a = Tensor.zeros(4).requiresGrad(true);
        a.setGrad(Tensor.of(new float[] {-3, -0.5f, 0.5f, 3}, 4));
        GradClip.clipGradValue(java.util.List.of(a), 1.0);
        assertArrayEquals(new float[] {-1, -0.5f, 0.5f, 1}, a.grad().toFloatArray());
        Tensor z = Tensor.complex(Tensor.zeros(2), Tensor.zeros(2)).requiresGrad(true);
        z.setGrad(Tensor.complex(Tensor.of(new float[] {5, -0.2f}, 2), Tensor.of(new float[] {-7, 0.3f}, 2)));
        GradClip.clipGradValue(java.util.List.of(z), 2.0);
        assertArrayEquals(new float[] {2, -2, -0.2f, 0.3f}, z.grad().toFloatArray());
    }

    @Test
    void tinyRegressionFitsWithAdam() {
        Rng rng = new Rng(11);
        Tensor x = Tensor.rand(rng, DType.FLOAT32, Device.CPU, -1, 1, 64, 2);
        double[] xv = x.toDoubleArray();
        float[] yv = new float[64];
        for (int i = 0; i < 64; i++) yv[i] = (float) Math.sin(2 * xv[2 * i]) + (float) (xv[2 * i + 1] * xv[2 * i + 1]);
        Tensor y = Tensor.of(yv, 64, 1);
        MLP net = new MLP(new int[] {2, 32, 32, 1}, "tanh", new Rng(5));
        Adam opt = new Adam(net, 0.01);
        MSELoss mse = new MSELoss();
        double first = mse.apply(net.forward(x), y).item(), last = first;
        for (int it = 0; it < 400; it++) {
            opt.zeroGrad();
            Tensor loss = mse.apply(net.forward(x), y);
            loss.backward();
            opt.step();
            last = loss.item();
        }
        assertTrue(last < 2e-3 && last < first / 50, "loss went from " + first + " to " + last);
    }
}
