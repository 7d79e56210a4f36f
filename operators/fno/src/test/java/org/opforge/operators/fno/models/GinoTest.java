package org.opforge.operators.fno.models;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.opforge.tensor.Autograd;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.GradCheck;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;

class GinoTest {
    /** A tiny GINO in float64 for finite differences. */
    private static Gino tiny(long seed) {
        Gino g = new Gino(new GinoSpec(3, 3, 4, 2, 2, 8, 1.1, 0.45, 5, 6), new Rng(seed));
        g.to(DType.FLOAT64);
        return g;
    }

    /** {@code n} points per instance inside the unit disc, {@code (b, n, 2)} float64. */
    private static Tensor cloud(int b, int n, long seed) {
        Rng r = new Rng(seed);
        double[] xy = new double[b * n * 2];
        for (int k = 0; k < b * n; k++) {
            double rad = 0.95 * Math.sqrt(r.nextUniform());
            double t = 2 * Math.PI * r.nextUniform();
            xy[2 * k] = rad * Math.cos(t);
            xy[2 * k + 1] = rad * Math.sin(t);
        }
        return Tensor.of(xy, DType.FLOAT64, Device.CPU, b, n, 2);
    }

    @Test
    void thePeersSizesGiveThePeersParameterCount() {
        // train_wosno_torch.py: latent 24, width 24, modes 6, 4 layers, c_in 16, kernel hidden 32, projection 64
        Gino g = new Gino(new GinoSpec(3, 16, 24, 6, 4, 24, 1.265, 0.2, 32, 64), new Rng(0));
        assertEquals(340_113, g.parameterCount());
    }

    @Test
    void gradientsWithRespectToFeaturesAndQueriesMatchFiniteDifferences() {
        Gino g = tiny(1);
        Tensor pts = cloud(2, 12, 2);
        Tensor feats = Tensor.randn(new Rng(3), DType.FLOAT64, Device.CPU, 0, 1, 2, 12, 3);
        Tensor queries = cloud(2, 5, 4);
        GradCheck.create().tolerance(1e-6, 1e-4).first("GINO features", x -> g.forward(pts, x[0], queries), feats);
        // first and second order in the query points: the physics-informed Laplacian rests on them
        GradCheck.create().tolerance(1e-6, 1e-4).first("GINO queries", x -> g.forward(pts, feats, x[0]), queries);
        GradCheck.create().tolerance(1e-5, 1e-3).second("GINO queries", x -> g.forward(pts, feats, x[0]), queries);
    }

    /** Σ (Δ_q u)² through double backward in the queries. */
    private static Tensor laplacianEnergy(Gino g, Tensor pts, Tensor feats, Tensor qBase) {
        Tensor q = qBase.detach().requiresGrad(true);
        Tensor u = g.forward(pts, feats, q);
        Tensor g1 = Autograd.grad(u.sum(), null, true, q)[0];
        Tensor lap = null;
        for (int d = 0; d < 2; d++) {
            Tensor gd = Autograd.grad(g1.slice(2, d, d + 1).sum(), null, true, q)[0].slice(2, d, d + 1);
            lap = lap == null ? gd : lap.add(gd);
        }
        return lap.square().sum();
    }

    @Test
    void parameterGradientOfALaplacianLossMatchesFiniteDifferences() {
        Gino g = tiny(5);
        Tensor pts = cloud(2, 12, 6);
        Tensor feats = Tensor.randn(new Rng(7), DType.FLOAT64, Device.CPU, 0, 1, 2, 12, 3);
        Tensor queries = cloud(2, 4, 8);
        g.zeroGrad();
        laplacianEnergy(g, pts, feats, queries).backward();
        // one weight of each GNO kernel, of a spectral block and of the projection
        for (String name : new String[] {"gno_out.kernel.0.weight", "gno_out.kernel.4.bias", "gno_in.kernel.2.weight", "blocks.1.skip.weight",
                "projection.0.weight"}) {
            Tensor w = g.namedParameters().get(name);
            double analytic = w.grad().toDoubleArray()[1];
            double[] values = w.toDoubleArray();
            double h = 1e-5;
            double base = values[1];
            values[1] = base + h;
            w.assign(Tensor.of(values, DType.FLOAT64, Device.CPU, w.shape()));
            double plus = laplacianEnergy(g, pts, feats, queries).item();
            values[1] = base - h;
            w.assign(Tensor.of(values, DType.FLOAT64, Device.CPU, w.shape()));
            double minus = laplacianEnergy(g, pts, feats, queries).item();
            values[1] = base;
            w.assign(Tensor.of(values, DType.FLOAT64, Device.CPU, w.shape()));
            double numeric = (plus - minus) / (2 * h);
            assertEquals(numeric, analytic, 1e-6 + 1e-4 * Math.abs(numeric), name);
        }
    }

    @Test
    void sharedAndPerInstanceGraphsAgree() {
        Gino g = tiny(9);
        Tensor one = cloud(1, 15, 10);
        Tensor pts = Tensor.cat(0, one, one);
        Tensor feats = Tensor.randn(new Rng(11), DType.FLOAT64, Device.CPU, 0, 1, 2, 15, 3);
        // identical clouds: one graph for the batch; queries requiring a gradient: joined per-instance graphs
        double[] shared = g.forward(pts, feats, pts).toDoubleArray();
        double[] joined = g.forward(pts, feats, pts.detach().requiresGrad(true)).toDoubleArray();
        assertArrayEquals(shared, joined, 1e-12);
        // distinct clouds: each instance as if alone
        Tensor other = cloud(1, 15, 12);
        Tensor mixed = Tensor.cat(0, one, other);
        double[] both = g.forward(mixed, feats, mixed).toDoubleArray();
        double[] second = g.forward(other, feats.slice(0, 1, 2), other).toDoubleArray();
        for (int k = 0; k < 15; k++) assertEquals(second[k], both[15 + k], 1e-12);
        double[] first = g.forward(one, feats.slice(0, 0, 1), one).toDoubleArray();
        for (int k = 0; k < 15; k++) assertEquals(first[k], both[k], 1e-12);
    }

    @Test
    void aQueryOutsideTheLatentBoxIsRejected() {
        Gino g = tiny(1);
        Tensor pts = cloud(1, 6, 2);
        Tensor feats = Tensor.randn(new Rng(3), DType.FLOAT64, Device.CPU, 0, 1, 1, 6, 3);
        Tensor far = Tensor.of(new double[] {3, 0}, DType.FLOAT64, Device.CPU, 1, 1, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> g.forward(pts, feats, far));
        assertTrue(e.getMessage().contains("latent box"), e.getMessage());
    }
}
