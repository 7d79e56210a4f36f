package org.opforge.operators.deeponet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opforge.api.NeuralOperator;
import org.opforge.api.OpForge;
import org.opforge.api.OperatorFactory;
import org.opforge.api.TrainableOperator;
import org.opforge.api.config.Config;
import org.opforge.api.data.CheckpointStore;
import org.opforge.api.training.ProgressListener;
import org.opforge.api.training.TrainingConfig;
import org.opforge.api.training.TrainingData;
import org.opforge.api.training.TrainingResult;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.GradMode;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;
import org.opforge.training.GridFields;
import org.opforge.training.Metrics;
import org.opforge.training.physics.DarcyWeakResidual;
import org.opforge.training.physics.Residual;
import org.opforge.training.physics.WendlandQuadrature;

/** Factories, schemas, training paths, POD, multi-task masking, bad input and checkpoints, on small synthetic data. */
class OperatorTest {
    @TempDir Path dir;

    /** u = sum_k a_k sin(k pi x) at m sensors on [0, 1]; s = its antiderivative at the same points. */
    static Tensor[] antiderivative(int n, int m, long seed) {
        Rng r = new Rng(seed);
        float[] u = new float[n * m], s = new float[n * m], y = new float[m];
        for (int j = 0; j < m; j++) y[j] = (float) j / (m - 1);
        for (int i = 0; i < n; i++) {
            double[] a = new double[3];
            for (int k = 0; k < 3; k++) a[k] = r.nextNormal();
            for (int j = 0; j < m; j++) {
                double x = y[j], uu = 0, ss = 0;
                for (int k = 0; k < 3; k++) {
                    double w = (k + 1) * Math.PI;
                    uu += a[k] * Math.sin(w * x);
                    ss += a[k] * (1 - Math.cos(w * x)) / w;
                }
                u[i * m + j] = (float) uu;
                s[i * m + j] = (float) ss;
            }
        }
        return new Tensor[] {Tensor.of(u, n, m), Tensor.of(s, n, m), Tensor.of(y, m, 1)};
    }

    static TrainingConfig cfg(int epochs) {
        return new TrainingConfig(epochs, Integer.MAX_VALUE, 1e-3, 0, "adam", Device.CPU, 0, Map.of());
    }

    @Test
    void factoriesAreServicesWithThePeerDefaults() {
        List<String> names = OpForge.operators().stream().map(OperatorFactory::name).toList();
        assertTrue(names.containsAll(List.of("deeponet", "pod-deeponet", "mionet", "deeponet-multitask", "pi-deeponet")), names.toString());
        Config d = OpForge.operator("deeponet").configSchema().defaults();
        // the peer's model and optimizer; longer training with a cosine decay (README: why the defaults differ)
        assertEquals(30000, d.getInt("epochs"));
        assertEquals(0, d.getInt("batch_size"));
        assertEquals(1e-3, d.getDouble("lr"));
        assertEquals("adam", d.getString("optimizer"));
        assertEquals("cosine", d.getString("scheduler"));
        // measured for deeponet only: the other members keep the peer's 10,000 constant-rate steps
        assertEquals(10000, OpForge.operator("pod-deeponet").configSchema().defaults().getInt("epochs"));
        assertEquals("none", OpForge.operator("mionet").configSchema().defaults().getString("scheduler"));
        assertEquals(List.of(40, 40), d.getIntList("branch_widths"));
        assertEquals(List.of(40, 40), d.getIntList("trunk_widths"));
        assertEquals("relu", d.getString("activation"));
        assertTrue(d.getBoolean("trunk_last_activation"));
        assertEquals("glorot_normal", d.getString("initializer"));
        assertEquals("u", d.getString("data.input"));
        assertEquals("s", d.getString("data.target"));
        assertEquals("y", d.getString("data.points"));
        assertThrows(IllegalArgumentException.class, () -> OpForge.operator("deeponet").create(Map.of("widht", 3), 0));
        // the peer's model: 100*40+40 + 40*40+40 + 1*40+40 + 40*40+40 + 1 parameters
        TrainableOperator op = OpForge.operator("deeponet").create(Map.of("sensors", 100, "coord_dim", 1, "outputs", 1), 0);
        assertEquals(7401, op.parameterCount());
    }

    @Test
    void cartesianTrainingLowersTheErrorAndCheckpointsRoundTrip() {
        Tensor[] d = antiderivative(64, 20, 1);
        TrainableOperator op = OpForge.operator("deeponet").create(Map.of("normalize", "pointwise"), 7);
        Tensor before = Tensor.zerosLike(d[1]);
        TrainingResult r = op.train(TrainingData.of(d[0], d[1]).withPoints(d[2]), cfg(300), ProgressListener.NONE);
        assertEquals(300, r.history().size());
        double l2 = Metrics.mean(Metrics.relativeL2(op.apply(d[0]), d[1]));
        assertTrue(l2 < 0.2, "relative L2 after 300 full-batch steps: " + l2);
        assertTrue(r.history().get(0).trainLoss() > 5 * r.finalTrainLoss(), "loss " + r.history().get(0).trainLoss() + " -> " + r.finalTrainLoss());
        roundTrip(op, d[0], d[2]);
        assertTrue(before.numel() > 0);
    }

    /** Saves through the HDF5 checkpoint store, loads through the factory named in the file: identical predictions, training resumes. */
    private void roundTrip(TrainableOperator op, Tensor u, Tensor y) {
        CheckpointStore store = CheckpointStore.find();
        Path f = dir.resolve(op.name() + ".h5");
        store.save(op.toCheckpoint(), f);
        NeuralOperator loaded = OpForge.load(store.load(f));
        assertEquals(op.name(), loaded.name());
        assertEquals(op.parameterCount(), loaded.parameterCount());
        Tensor a = op.apply(u, y), b = loaded.apply(u, y);
        assertArrayEquals(a.toFloatArray(), b.toFloatArray(), op.name() + ": predictions after reload");
        if (loaded instanceof TrainableOperator t) {
            TrainingResult more = t.train(TrainingData.of(u, Tensor.zeros(DType.FLOAT32, Device.CPU, a.shape())).withPoints(y), cfg(2), ProgressListener.NONE);
            assertEquals(((DeepOnetOperator) op).epoch() + 2, more.last().epoch());
        }
    }

    @Test
    void scatteredPairsAndPerFunctionPointsTrain() {
        Tensor[] d = antiderivative(40, 12, 2);
        int n = 40, m = 12;
        // pairs: function i at one point each
        int[] which = new int[n];
        float[] ys = new float[n], ss = new float[n];
        float[] s = d[1].toFloatArray(), yy = d[2].toFloatArray();
        for (int i = 0; i < n; i++) {
            which[i] = (i * 7) % m;
            ys[i] = yy[which[i]];
            ss[i] = s[i * m + which[i]];
        }
        TrainableOperator op = OpForge.operator("deeponet").create(Map.of(), 3);
        TrainingResult r = op.train(TrainingData.of(d[0], Tensor.of(ss, n)).withPoints(Tensor.of(ys, n, 1)), cfg(200), ProgressListener.NONE);
        assertTrue(r.finalTrainLoss() < r.history().get(0).trainLoss(), "pairs loss decreases");
        DeepOnetOperator dop = (DeepOnetOperator) op;
        Tensor pairs = dop.applyPairs(d[0], Tensor.of(ys, n, 1));
        assertArrayEquals(new int[] {n}, pairs.shape());
        // per-function points (N, P, d) give the same values as the shared points (P, d)
        Tensor per = op.apply(d[0], d[2].unsqueeze(0).expand(n, m, 1));
        Tensor shared = op.apply(d[0], d[2]);
        DeepOnetModelTest.close(per, shared, 1e-5, "per-function points");
    }

    @Test
    void multiOutputStrategiesTrainOnTwoComponents() {
        Tensor[] d = antiderivative(32, 10, 3);
        Tensor two = Tensor.stack(2, d[1], d[0]);   // (N, P, 2): s and u as two output components
        for (String strategy : List.of("independent", "split_both", "split_branch", "split_trunk")) {
            Map<String, Object> c = new HashMap<>(Map.of("multi_output", strategy));
            if (strategy.equals("split_branch")) c.put("branch_widths", "40,80");
            if (strategy.equals("split_trunk")) c.put("trunk_widths", "40,80");
            TrainableOperator op = OpForge.operator("deeponet").create(c, 1);
            TrainingResult r = op.train(TrainingData.of(d[0], two).withPoints(d[2]), cfg(30), ProgressListener.NONE);
            assertArrayEquals(new int[] {32, 10, 2}, op.apply(d[0]).shape(), strategy);
            assertTrue(r.finalTrainLoss() < r.history().get(0).trainLoss(), strategy + " loss decreases");
            roundTrip(op, d[0], d[2]);
        }
    }

    @Test
    void podModesReproduceDataInTheirSpan() {
        // targets = mean + 3 orthogonal modes with coefficients linear in u: rank 3 after centering
        int n = 50, p = 16, m = 4;
        Rng r = new Rng(9);
        float[] u = new float[n * m], s = new float[n * p], y = new float[p];
        for (int j = 0; j < p; j++) y[j] = j / (p - 1f);
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < m; k++) u[i * m + k] = (float) r.nextNormal();
            for (int j = 0; j < p; j++) {
                double x = y[j];
                s[i * p + j] = (float) (0.5 + x + u[i * m] * Math.sin(Math.PI * x) + u[i * m + 1] * Math.cos(2 * Math.PI * x)
                        + 0.5 * u[i * m + 2] * Math.sin(3 * Math.PI * x));
            }
        }
        Tensor tu = Tensor.of(u, n, m), ts = Tensor.of(s, n, p), ty = Tensor.of(y, p, 1);
        PodDeepOnet.Modes modes = PodDeepOnet.modes(ts, 10);
        assertEquals(3, modes.basis().size(1), "rank of the centered targets");
        try (GradMode.Scope g = GradMode.noGrad()) {
            Tensor basis = modes.basis(), centered = ts.sub(modes.mean());
            Tensor projected = centered.matmul(basis).matmul(basis.transpose(0, 1)).add(modes.mean());
            DeepOnetModelTest.close(projected, ts, 1e-5, "projection onto the modes");
            DeepOnetModelTest.close(basis.transpose(0, 1).matmul(basis), Tensor.of(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, 3, 3), 1e-5, "orthonormal");
        }
        TrainableOperator op = OpForge.operator("pod-deeponet").create(Map.of("modes", 10, "activation", "identity", "branch_widths", "16"), 2);
        op.train(TrainingData.of(tu, ts).withPoints(ty), cfg(1500).withLearningRate(1e-2), ProgressListener.NONE);
        double l2 = Metrics.mean(Metrics.relativeL2(op.apply(tu), ts));
        assertTrue(l2 < 1e-2, "a linear branch reproduces data in the span of the modes: relative L2 " + l2);
        assertEquals(3, ((DeepOnetOperator) op).config().getInt("modes"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> op.apply(tu, Tensor.of(new float[] {0.5f}, 1, 1)));
        assertTrue(e.getMessage().contains("training points"), e.getMessage());
        roundTrip(op, tu, ty);
    }

    @Test
    void multiTaskMasksOutputAndLoss() {
        Tensor[] d = antiderivative(48, 10, 4);
        int n = 48, p = 10;
        float[] mask = new float[n * p];
        float[] s = d[1].toFloatArray();
        for (int i = 0; i < n; i++) {
            int cut = 5 + i % 5;   // geometry i covers the first `cut` points
            for (int j = 0; j < p; j++) {
                mask[i * p + j] = j < cut ? 1 : 0;
                if (j >= cut) s[i * p + j] = 100;   // outside values are junk and must not matter
            }
        }
        Tensor coef = Tensor.full(DType.FLOAT32, Device.CPU, 1, n, 1);   // one task coefficient
        Tensor input = Tensor.cat(1, d[0], Tensor.of(mask, n, p), coef);
        TrainableOperator op = OpForge.operator("deeponet-multitask").create(Map.of("task_features", 1), 5);
        TrainingResult r = op.train(TrainingData.of(input, Tensor.of(s, n, p)).withPoints(d[2]), cfg(300), ProgressListener.NONE);
        assertTrue(r.finalTrainLoss() < 0.2 * r.history().get(0).trainLoss(), "masked loss " + r.history().get(0).trainLoss() + " -> " + r.finalTrainLoss());
        float[] out = op.apply(input).toFloatArray();
        for (int i = 0; i < n * p; i++) if (mask[i] == 0) assertEquals(0.0, Math.abs(out[i]), 0.0, "outside the geometry");
        roundTrip(op, input, d[2]);
    }

    @Test
    void physicsInformedTrainingLowersResidualAndErrorWithoutLabels() {
        Tensor[] d = antiderivative(64, 30, 6);
        TrainableOperator op = OpForge.operator("pi-deeponet").create(Map.of("sensors", 30, "coord_dim", 1), 11);
        double l2Before = Metrics.mean(Metrics.relativeL2(op.apply(d[0], d[2]), d[1]));
        // the targets slot holds zeros: the loss never reads it with data_weight = 0
        TrainingResult r = op.train(TrainingData.of(d[0], Tensor.zerosLike(d[1])).withPoints(d[2]), cfg(300), ProgressListener.NONE);
        double l2After = Metrics.mean(Metrics.relativeL2(op.apply(d[0]), d[1]));
        assertTrue(r.finalTrainLoss() < 0.3 * r.history().get(0).trainLoss(), "residual loss " + r.history().get(0).trainLoss() + " -> " + r.finalTrainLoss());
        assertTrue(l2After < 0.5 * l2Before, "error against the exact integral " + l2Before + " -> " + l2After);
        roundTrip(op, d[0], d[2]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> op.train(TrainingData.of(d[0], d[1]).withPoints(Tensor.linspace(0, 1, 20).reshape(20, 1)), cfg(1), ProgressListener.NONE));
        assertTrue(e.getMessage().contains("20 points") && e.getMessage().contains("30 sensors"), e.getMessage());
    }

    /** u0 of -lap u0 = 1 on the unit square, u0 = 0 on its boundary (double sine series), at the n x n nodes, row-major. */
    static double[] poissonSeries(int n) {
        double[] u = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double x = (double) i / (n - 1), y = (double) j / (n - 1);
                for (int m = 1; m < 60; m += 2) {
                    for (int k = 1; k < 60; k += 2) u[i * n + j] += 16 / (Math.pow(Math.PI, 4) * m * k * (m * m + k * k)) * Math.sin(m * Math.PI * x) * Math.sin(k * Math.PI * y);
                }
            }
        }
        return u;
    }

    /**
     * The Darcy physics is the problem's residual (shared with DGNO) of the network's own u: its first
     * column equals {@link DarcyWeakResidual#loss} of u and a central-difference grad u of the operator's
     * predictions at the residual's points, and its other columns are the predictions at the boundary nodes.
     */
    @Test
    void darcyPhysicsIsTheResidualOfTheNetworksOwnSolution() {
        int n = 9;
        DeepOnetOperator op = (DeepOnetOperator) OpForge.operator("pi-deeponet").create(Map.of("sensors", n * n, "coord_dim", 2, "physics", "darcy"), 4);
        Tensor in = Tensor.rand(new Rng(2), DType.FLOAT32, Device.CPU, 0, 1, 3, n * n).gt(Tensor.scalar(0.5)).mul(5.0).add(5.0);
        DarcyWeakResidual residual = new DarcyWeakResidual(new WendlandQuadrature(7), 0.1, 3, 10, DarcyWeakResidual.Form.PRIMAL);
        Tensor pts = residual.samplePoints(new Rng(5), DType.FLOAT32);
        Tensor got = new ResidualPhysics(residual, pts, 1).residuals((DeepOnet) op.network().orElseThrow(), in, in, null);
        int q = pts.size(0);
        double h = 1e-3;
        float[] p = pts.toFloatArray();
        Tensor[] grad = new Tensor[2];
        for (int k = 0; k < 2; k++) {
            float[] plus = p.clone(), minus = p.clone();
            for (int i = 0; i < q; i++) {
                plus[2 * i + k] += (float) h;
                minus[2 * i + k] -= (float) h;
            }
            grad[k] = op.apply(in, Tensor.of(plus, q, 2)).reshape(3, q).sub(op.apply(in, Tensor.of(minus, q, 2)).reshape(3, q)).div(2 * h);
        }
        Tensor u = op.apply(in, pts).reshape(3, q);
        double expected = residual.loss(new Residual.Fields(GridFields.nearestNode(in.reshape(3, n, n), pts), u, Tensor.stack(2, grad), null)).item();
        float[] g = got.toFloatArray();
        int cols = got.size(1);
        assertEquals(1 + 4 * (n - 1), cols);
        for (int s = 0; s < 3; s++) assertEquals(expected, g[s * cols], 2e-2 * Math.abs(expected), "sample " + s);
        float[] boundary = op.apply(in, ResidualPhysics.boundaryNodes(n, in)).reshape(3, 4 * (n - 1)).toFloatArray();
        for (int s = 0; s < 3; s++) {
            for (int k = 0; k < 4 * (n - 1); k++) assertEquals(boundary[s * (cols - 1) + k], g[s * cols + 1 + k], 1e-5, "boundary node " + k);
        }
    }

    /**
     * Trained on the Darcy weak form and the boundary penalty alone (constant coefficients a = 1 and
     * a = 2 on 9 x 9 nodes, f = 1, whose solutions are u0 / a), the network's error against the series
     * solution falls from that of its start to below that of the zero field.
     */
    @Test
    void physicsInformedDarcyLearnsTowardTheSolutionWithoutLabels() {
        int n = 9;
        double[] u0 = poissonSeries(n);
        float[] a = new float[2 * n * n], u = new float[2 * n * n], pts = new float[2 * n * n];
        for (int node = 0; node < n * n; node++) {
            a[node] = 1;
            a[n * n + node] = 2;
            u[node] = (float) u0[node];
            u[n * n + node] = (float) (u0[node] / 2);
            pts[2 * node] = (float) (node / n) / (n - 1);
            pts[2 * node + 1] = (float) (node % n) / (n - 1);
        }
        Tensor in = Tensor.of(a, 2, n * n), truth = Tensor.of(u, 2, n * n), y = Tensor.of(pts, n * n, 2);
        TrainableOperator op = OpForge.operator("pi-deeponet").create(Map.of("sensors", n * n, "coord_dim", 2, "physics", "darcy", "source", 1.0,
                "radius", 0.1, "centres", 50, "branch_widths", List.of(20, 20), "trunk_widths", List.of(20, 20), "boundary_weight", 10.0), 3);
        double before = Metrics.mean(Metrics.relativeL2(op.apply(in, y), truth));
        TrainingResult r = op.train(TrainingData.of(in, Tensor.zerosLike(truth)).withPoints(y),
                new TrainingConfig(250, 2, 5e-3, 0, "adam", Device.CPU, 1, Map.of()), ProgressListener.NONE);
        double after = Metrics.mean(Metrics.relativeL2(op.apply(in), truth));
        assertTrue(before > 1 && after < 0.6, "relative L2 against the series solution " + before + " -> " + after + ", loss " + r.finalTrainLoss());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OpForge.operator("pi-deeponet")
                .create(Map.of("physics", "darcy"), 3).train(TrainingData.of(Tensor.zeros(2, 80), Tensor.zeros(2, 80)).withPoints(Tensor.zeros(80, 2)),
                        new TrainingConfig(1, 2, 1e-3, 0, "adam", Device.CPU, 1, Map.of()), ProgressListener.NONE));
        assertTrue(e.getMessage().contains("n x n nodes") && e.getMessage().contains("80 sensors"), e.getMessage());
    }

    @Test
    void mismatchedSizesNameBothSizes() {
        TrainableOperator op = OpForge.operator("deeponet").create(Map.of("sensors", 100, "coord_dim", 1, "outputs", 1), 0);
        Rng r = new Rng(1);
        Tensor y = Tensor.rand(r, DType.FLOAT32, Device.CPU, 0, 1, 7, 1);
        IllegalArgumentException a = assertThrows(IllegalArgumentException.class,
                () -> op.apply(Tensor.randn(r, DType.FLOAT32, Device.CPU, 0, 1, 2, 50), y));
        assertTrue(a.getMessage().contains("50 sensor values") && a.getMessage().contains("expects 100"), a.getMessage());
        IllegalArgumentException b = assertThrows(IllegalArgumentException.class,
                () -> op.apply(Tensor.randn(r, DType.FLOAT32, Device.CPU, 0, 1, 2, 100), Tensor.rand(r, DType.FLOAT32, Device.CPU, 0, 1, 7, 3)));
        assertTrue(b.getMessage().contains("3 coordinates") && b.getMessage().contains("expects 1"), b.getMessage());
        IllegalArgumentException c = assertThrows(IllegalArgumentException.class, () -> op.train(
                TrainingData.of(Tensor.zeros(4, 100), Tensor.zeros(4, 6)).withPoints(y), cfg(1), ProgressListener.NONE));
        assertTrue(c.getMessage().contains("[4, 6]") && c.getMessage().contains("[4, 7]"), c.getMessage());
        IllegalArgumentException o = assertThrows(IllegalArgumentException.class, () -> op.train(
                TrainingData.of(Tensor.zeros(4, 100), Tensor.zeros(4, 7)).withPoints(y), cfg(1).withOptions(Map.of("momentum", "1")), ProgressListener.NONE));
        assertTrue(o.getMessage().contains("momentum"), o.getMessage());
    }
}
