package org.opforge.operators.dgno;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opforge.operators.dgno.layers.DgnoActivation;
import org.opforge.operators.dgno.models.Dgno.GradientMode;
import org.opforge.operators.dgno.models.Dgno;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;
import org.opforge.training.GridFields;
import org.opforge.training.physics.DarcyWeakResidual;
import org.opforge.training.physics.WendlandQuadrature;

/** The DGNO network and its physics: activations, quadrature, weak residual, and the two ways to get grad u. */
class DgnoModelTest {

    @Test
    void activationDerivativesMatchFiniteDifferences() {
        double h = 1e-5;
        double[] xs = {-2.3, -1.0, -0.37, 0.0, 0.2, 0.5, 1.7, 3.1};
        for (DgnoActivation act : DgnoActivation.values()) {
            Tensor x = Tensor.of(xs, DType.FLOAT64, Device.CPU, xs.length);
            for (int k = 0; k < DgnoActivation.MAX_ORDER; k++) {
                double[] lo = order(act, x.sub(h), k), hi = order(act, x.add(h), k), d = order(act, x, k + 1);
                for (int i = 0; i < xs.length; i++) {
                    double fd = (hi[i] - lo[i]) / (2 * h);
                    assertEquals(fd, d[i], 1e-6 * Math.max(1, Math.abs(fd)), act + " order " + (k + 1) + " at " + xs[i]);
                }
            }
            // value against the definition
            double[] v = order(act, x, 0);
            for (int i = 0; i < xs.length; i++) {
                double s = Math.sin(Math.PI * (xs[i] + 1));
                double ref = switch (act) {
                    case TANH_SIN -> Math.tanh(s) + xs[i];
                    case SILU_SIN -> s / (1 + Math.exp(-s)) + xs[i];
                    case SILU_ID -> xs[i] / (1 + Math.exp(-xs[i])) + xs[i];
                };
                assertEquals(ref, v[i], 1e-14, act + " at " + xs[i]);
            }
        }
    }

    private static double[] order(DgnoActivation act, Tensor x, int k) {
        return (k == 0 ? act.apply(x) : act.derivative(x, k)).toDoubleArray();
    }

    @Test
    void activationGradientsAreDifferentiableTwice() {
        Tensor x = Tensor.of(new double[] {-0.4, 0.3, 1.2}, DType.FLOAT64, Device.CPU, 3).requiresGrad(true);
        Tensor y = DgnoActivation.TANH_SIN.apply(x);
        Tensor g = org.opforge.tensor.Autograd.grad(y, null, true, x)[0];
        Tensor gg = org.opforge.tensor.Autograd.grad(g, null, true, x)[0];
        double[] d2 = DgnoActivation.TANH_SIN.derivative(x.detach(), 2).toDoubleArray();
        double[] got = gg.toDoubleArray();
        for (int i = 0; i < 3; i++) assertEquals(d2[i], got[i], 1e-12);
        Tensor ggg = org.opforge.tensor.Autograd.grad(gg, null, true, x)[0];
        assertThrows(UnsupportedOperationException.class, () -> org.opforge.tensor.Autograd.grad(ggg, null, false, x));
    }

    /**
     * The shared trunk with forward-mode tangents and the reference's per-sample autograd (double
     * backward) give the same loss and the same parameter gradients (float64), also with the summed
     * layers' weights away from their zero start.
     */
    @Test
    void sharedTangentsAndPerSampleAutogradAgree() {
        for (double radius : new double[] {1e-4, 0.05}) {
            Dgno net = new Dgno(new Dgno.Spec(9, 8, new int[] {32}, 12, 12, 4, 3), new Rng(0));
            net.to(DType.FLOAT64);
            Rng rng = new Rng(5);
            for (String d : List.of("u", "s1", "s2")) {
                net.namedParameters().get(d + ".w").assign(Tensor.randn(rng, DType.FLOAT64, Device.CPU, 0, 1, 3));
                net.namedParameters().get(d + ".b").assign(Tensor.randn(rng, DType.FLOAT64, Device.CPU, 0, 1));
            }
            Tensor a = Tensor.rand(rng, DType.FLOAT64, Device.CPU, 0, 1, 3, 9, 9).gt(Tensor.scalar(0.5, DType.FLOAT64, Device.CPU))
                    .mul(9.0).add(3.0);
            DarcyWeakResidual r = new DarcyWeakResidual(new WendlandQuadrature(7), radius, 5, 1.0);
            Tensor pts = r.samplePoints(new Rng(2), DType.FLOAT64);
            Tensor coef = GridFields.nearestNode(a, pts);
            double[] loss = new double[2];
            List<double[]> grads = new ArrayList<>();
            for (GradientMode mode : GradientMode.values()) {
                net.zeroGrad();
                Tensor beta = net.encode(a.div(12.0));
                Tensor l = r.loss(net.fields(r, pts, beta, coef, mode));
                l.backward();
                loss[mode.ordinal()] = l.item();
                List<Double> g = new ArrayList<>();
                for (Map.Entry<String, Tensor> e : net.namedParameters().entrySet()) {
                    if (e.getKey().startsWith("a.")) continue;
                    assertTrue(e.getValue().grad() != null, mode + ": no gradient for " + e.getKey());
                    for (double v : e.getValue().grad().toDoubleArray()) g.add(v);
                }
                grads.add(g.stream().mapToDouble(Double::doubleValue).toArray());
            }
            assertEquals(loss[0], loss[1], 1e-10 * Math.abs(loss[0]), "R = " + radius + ": loss shared vs repeat");
            double max = 0, diff = 0;
            for (int i = 0; i < grads.get(0).length; i++) {
                max = Math.max(max, Math.abs(grads.get(0)[i]));
                diff = Math.max(diff, Math.abs(grads.get(0)[i] - grads.get(1)[i]));
            }
            assertTrue(max > 0 && diff <= 1e-9 * max, "R = " + radius + ": gradients differ by " + diff + " (max " + max + ")");
        }
    }
}
