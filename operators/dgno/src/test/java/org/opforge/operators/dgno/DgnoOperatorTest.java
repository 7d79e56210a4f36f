package org.opforge.operators.dgno;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.opforge.api.OperatorFactory;
import org.opforge.api.TrainableOperator;
import org.opforge.api.data.Checkpoint;
import org.opforge.api.training.ProgressListener;
import org.opforge.api.training.TrainingConfig;
import org.opforge.api.training.TrainingData;
import org.opforge.operators.dgno.models.Dgno;
import org.opforge.operators.dgno.models.DgnoLoss;
import org.opforge.operators.dgno.models.DgnoOperator;
import org.opforge.operators.dgno.models.InputModel;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;
import org.opforge.training.physics.DarcyWeakResidual;
import org.opforge.training.physics.Residual;
import org.opforge.training.physics.WendlandQuadrature;

/** The operator: physics-only training, checkpoints with exact resume, errors that name what is wrong. */
class DgnoOperatorTest {
    /** A small network and few test functions, so a step takes milliseconds. */
    static final Map<String, Object> SMALL = Map.of("latent", 8, "encoder", List.of(16), "width", 8, "width_a", 8, "depth", 3,
            "sum_layers", 2, "centres", 6, "radius", 0.01, "scheduler", "none");

    /** Two-valued fields {3, 12} on n x n nodes. */
    static Tensor fields(int count, int n, long seed) {
        return Tensor.rand(new Rng(seed), DType.FLOAT32, Device.CPU, 0, 1, count, n, n).gt(Tensor.scalar(0.5)).mul(9.0).add(3.0);
    }

    static TrainingConfig config(int epochs) {
        return new TrainingConfig(epochs, 4, 2e-3, 1e-4, "adam", Device.CPU, 3, Map.of());
    }

    @Test
    void factoryIsAServiceAndTrainsWithoutTargets() {
        OperatorFactory f = ServiceLoader.load(OperatorFactory.class).stream().map(ServiceLoader.Provider::get)
                .filter(x -> x.name().equals("dgno")).findFirst().orElseThrow();
        assertEquals(128, f.configSchema().resolve(Map.of()).getInt("latent"));
        assertEquals("step:200:0.5", f.configSchema().resolve(Map.of()).getString("scheduler"));
        TrainableOperator op = f.create(SMALL, 1);
        Tensor x = fields(8, 9, 1);
        // targets of no use: (N, 0), as the CLI passes for a file without solutions
        var result = op.train(TrainingData.of(x, Tensor.zeros(8, 0)), config(2), ProgressListener.NONE);
        assertEquals(2, result.history().size());
        assertTrue(Double.isFinite(result.finalTrainLoss()));
        Tensor u = op.apply(x);
        assertArrayEquals(new int[] {8, 9, 9}, u.shape());
        // zero Dirichlet data is built in: u vanishes on the boundary nodes
        float[] v = u.toFloatArray();
        for (int s = 0; s < 8; s++) for (int k = 0; k < 9; k++) {
            assertEquals(0, v[(s * 9) * 9 + k], 1e-6);
            assertEquals(0, v[(s * 9 + k) * 9], 1e-6);
        }
        assertEquals(List.of(3.0, 12.0), ((DgnoOperator) op).config().getDoubleList("coefficient_values"));
        Tensor pts = Tensor.of(new float[] {0.5f, 0.5f, 0.25f, 0.75f}, 2, 2);
        assertArrayEquals(new int[] {8, 2}, op.apply(x, pts).shape());
    }

    /** A smooth positive coefficient (log-normal kind) with the Gaussian likelihood of log a: trains, reconstructs and inverts. */
    @Test
    void smoothCoefficientsUseTheLogNormalInputModel() {
        int n = 9;
        float[] v = new float[6 * n * n];
        for (int s = 0; s < 6; s++) for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) {
            v[(s * n + i) * n + j] = (float) Math.exp(Math.sin(Math.PI * (s + 1) * i / (n - 1.0)) * Math.cos(Math.PI * j / (n - 1.0)));
        }
        Tensor x = Tensor.of(v, 6, n, n);
        java.util.Map<String, Object> cfg = new java.util.HashMap<>(SMALL);
        cfg.put("input_model", "lognormal");
        DgnoOperator op = DgnoOperator.create(cfg, 2);
        var r = op.train(TrainingData.of(x, Tensor.zeros(6, 0)), config(2), ProgressListener.NONE);
        assertTrue(Double.isFinite(r.finalTrainLoss()));
        List<Double> stats = op.config().getDoubleList("log_coefficient_stats");
        assertEquals(2, stats.size());
        assertTrue(stats.get(1) > 0);
        for (float a : op.reconstructInput(x).toFloatArray()) assertTrue(a > 0);
        Tensor pts = Tensor.of(new float[] {0.25f, 0.25f, 0.5f, 0.5f, 0.75f, 0.5f}, 3, 2);
        var inv = op.invert(pts, op.apply(x.slice(0, 0, 1), pts), Map.of("iterations", "3"));
        assertArrayEquals(new int[] {1, n, n}, inv.inputs().shape());
        // a negative coefficient is refused by name
        DgnoOperator bad = DgnoOperator.create(cfg, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> bad.train(TrainingData.of(x.neg(), Tensor.zeros(6, 0)), config(1), ProgressListener.NONE));
        assertTrue(e.getMessage().contains("positive"), e.getMessage());
    }

    @Test
    void checkpointResumesExactly() {
        Tensor x = fields(8, 9, 2);
        TrainingData data = TrainingData.of(x, Tensor.zeros(8, 0));
        DgnoOperator straight = DgnoOperator.create(SMALL, 5);
        straight.train(data, config(3), ProgressListener.NONE);

        DgnoOperator first = DgnoOperator.create(SMALL, 5);
        first.train(data, config(1), ProgressListener.NONE);
        Checkpoint ck = first.toCheckpoint();
        DgnoOperator resumed = DgnoOperator.load(ck);
        assertArrayEquals(first.apply(x).toFloatArray(), resumed.apply(x).toFloatArray());
        resumed.train(data, config(2), ProgressListener.NONE);
        assertEquals(3, resumed.epoch());
        Map<String, Tensor> a = straight.network().stateDict(), b = resumed.network().stateDict();
        for (String k : a.keySet()) assertArrayEquals(a.get(k).toFloatArray(), b.get(k).toFloatArray(), k);
    }

    /**
     * The inversion's wiring: observations made by the model itself from a known input are matched
     * (the misfit falls far below that of the start) through either parametrisation of beta; the mean
     * estimate is the decoded probability between the two values, the mode its rounding; errors name
     * the problem.
     */
    @Test
    void inversionMatchesObservationsOfTheModelsOwnSolution() {
        Tensor x = fields(8, 9, 4);
        DgnoOperator op = DgnoOperator.create(SMALL, 6);
        op.train(TrainingData.of(x, Tensor.zeros(8, 0)), config(3), ProgressListener.NONE);
        Tensor truth = x.slice(0, 0, 2);
        Tensor pts = Tensor.of(new float[] {0.25f, 0.25f, 0.5f, 0.5f, 0.75f, 0.25f, 0.375f, 0.625f, 0.625f, 0.875f, 0.125f, 0.5f}, 6, 2);
        Tensor obs = op.apply(truth, pts);
        for (String param : List.of("mlp", "direct")) {
            var start = op.invert(pts, obs, Map.of("iterations", "1", "pde_weight", "0", "lr", "1e-9", "parametrisation", param));
            var fit = op.invert(pts, obs, Map.of("iterations", "600", "pde_weight", "0", "lr", "0.01", "lr_step", "1000", "weight_decay", "0", "parametrisation", param));
            assertArrayEquals(new int[] {2, 9, 9}, fit.inputs().shape());
            assertArrayEquals(new int[] {2, 9, 9}, fit.outputs().shape());
            double before = start.diagnostics().get("relative_misfit"), after = fit.diagnostics().get("relative_misfit");
            assertTrue(after < 0.1 * before, param + ": misfit " + before + " -> " + after);
        }
        Map<String, String> o = Map.of("iterations", "40", "pde_weight", "0", "lr", "0.02");
        float[] mean = op.invert(pts, obs, o).inputs().toFloatArray();
        Map<String, String> mode = new java.util.HashMap<>(o);
        mode.put("estimate", "mode");
        float[] two = op.invert(pts, obs, mode).inputs().toFloatArray();
        for (int i = 0; i < mean.length; i++) {
            assertTrue(mean[i] > 3f && mean[i] < 12f, "the mean lies between the two values, found " + mean[i]);
            assertEquals(mean[i] > 7.5f ? 12f : 3f, two[i], 0f, "the mode is the more probable value");
        }
        var withPde = op.invert(pts, obs, Map.of("iterations", "5"));
        assertTrue(Double.isFinite(withPde.diagnostics().get("residual")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> op.invert(pts, obs, Map.of("iteratons", "5")));
        assertTrue(e.getMessage().contains("iteratons"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> op.invert(pts, obs, Map.of("parametrisation", "net")));
        assertEquals("dgno inversion: parametrisation must be mlp or direct, found 'net'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> op.invert(pts, obs.slice(1, 0, 5), Map.of()));
        assertTrue(e.getMessage().contains("(N, M)"), e.getMessage());
    }

    /**
     * Restarts: restart 0 is the single-start problem, so choosing by the loss (here the misfit alone,
     * {@code pde_weight = 0}) can only lower each sample's misfit, and the returned field is the chosen
     * restart's own (its u at the observed nodes gives the reported loss); the direct search refuses them.
     */
    @Test
    void restartsKeepEachSamplesLowestLoss() {
        Tensor x = fields(8, 9, 4);
        DgnoOperator op = DgnoOperator.create(SMALL, 6);
        op.train(TrainingData.of(x, Tensor.zeros(8, 0)), config(3), ProgressListener.NONE);
        // grid nodes of the 9 x 9 grid: node (i, j) is row i * 9 + j of the output
        int[][] ij = {{2, 2}, {4, 4}, {6, 2}, {3, 5}, {5, 7}, {1, 4}};
        float[] p = new float[2 * ij.length];
        for (int k = 0; k < ij.length; k++) {
            p[2 * k] = ij[k][0] / 8f;
            p[2 * k + 1] = ij[k][1] / 8f;
        }
        Tensor pts = Tensor.of(p, ij.length, 2);
        Tensor obs = op.apply(x.slice(0, 0, 3), pts);
        Map<String, String> o = new java.util.HashMap<>(Map.of("iterations", "25", "pde_weight", "0", "lr", "0.01"));
        var single = op.invert(pts, obs, o);
        o.put("restarts", "5");
        var multi = op.invert(pts, obs, o);
        assertArrayEquals(new int[] {3, 9, 9}, multi.inputs().shape());
        double[] one = misfits(single.outputs(), obs, ij), best = misfits(multi.outputs(), obs, ij);
        double lower = 0, mean = 0;
        for (int i = 0; i < 3; i++) {
            assertTrue(best[i] <= one[i] + 1e-6, "sample " + i + ": the chosen restart's misfit " + best[i] + " exceeds the first's " + one[i]);
            lower = Math.max(lower, one[i] - best[i]);
            mean += best[i] / 3;
        }
        assertTrue(lower > 1e-4, "some restart beats the first start: " + java.util.Arrays.toString(one) + " vs " + java.util.Arrays.toString(best));
        assertEquals(25 * mean, multi.diagnostics().get("selected_loss"), 1e-4 * 25 * mean);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> op.invert(pts, obs, Map.of("restarts", "2", "parametrisation", "direct")));
        assertTrue(e.getMessage().contains("restarts > 1 needs parametrisation = mlp"), e.getMessage());
    }

    /** Each sample's relative misfit of fields {@code (B, 9, 9)} at the grid nodes {@code ij} against observations {@code (B, M)}. */
    private static double[] misfits(Tensor u, Tensor obs, int[][] ij) {
        float[] f = u.toFloatArray(), y = obs.toFloatArray();
        int b = u.size(0), m = ij.length;
        double[] out = new double[b];
        for (int i = 0; i < b; i++) {
            double num = 0, den = 0;
            for (int k = 0; k < m; k++) {
                double e = f[i * 81 + ij[k][0] * 9 + ij[k][1]] - y[i * m + k];
                num += e * e;
                den += y[i * m + k] * (double) y[i * m + k];
            }
            out[i] = Math.sqrt(num / den);
        }
        return out;
    }

    /** The reference's relaxation: the logistic noise is the mean of K draws, variance (pi^2 / 3) / K, centred on the logit. */
    @Test
    void relaxedSampleAveragesTheLogisticNoise() {
        InputModel.Bernoulli m = new InputModel.Bernoulli(5, 10);
        int n = 20000;
        for (int k : new int[] {1, 25}) {
            // temperature 1: logit of the sample's fraction is logit + noise
            float[] v = m.relaxedSample(Tensor.zeros(n), new Rng(k), 1, k).toFloatArray();
            double sum = 0, sq = 0;
            for (float a : v) {
                double f = (a - 5) / 5.0, l = Math.log(f / (1 - f));
                sum += l;
                sq += l * l;
            }
            double mean = sum / n, var = sq / n - mean * mean, expected = Math.PI * Math.PI / 3 / k;
            assertEquals(0, mean, 4 * Math.sqrt(expected / n), "k = " + k);
            assertEquals(expected, var, 0.05 * expected, "k = " + k);
        }
        assertArrayEquals(new float[] {7.5f, 10 - 5 / (1 + (float) Math.E)}, m.mean(Tensor.of(new float[] {0, 1}, 2)).toFloatArray(), 1e-5f);
    }

    /**
     * A source field: inputs (N, 2, n, n) hold the coefficient and f; the residual reads f at its points
     * (the constant source key is then ignored, and doubling f changes the loss), the operator trains,
     * predicts u (N, n, n), keeps input_channels in its checkpoint and refuses the inverse problem.
     */
    @Test
    void aSourceFieldInTheInputReplacesTheConstantSource() {
        int n = 9;
        Tensor a = fields(6, n, 8);
        Tensor f = Tensor.rand(new Rng(9), DType.FLOAT32, Device.CPU, 1, 20, 6, 1, n, n);
        Tensor x = Tensor.cat(1, a.reshape(6, 1, n, n), f);
        Dgno net = new Dgno(new Dgno.Spec(n, 8, new int[] {16}, 8, 8, 3, 2, 2, new int[0]), new Rng(1));
        Tensor nodes = Dgno.gridPoints(n, DType.FLOAT32, Device.CPU);
        double[] pde = new double[3];
        double[] sources = {10, 99, 10};
        for (int k = 0; k < 3; k++) {
            Residual r = new DarcyWeakResidual(new WendlandQuadrature(7), 0.05, 5, sources[k]);
            Tensor in = k == 2 ? Tensor.cat(1, a.reshape(6, 1, n, n), f.mul(2.0)) : x;
            pde[k] = new DgnoLoss(r, new InputModel.Bernoulli(3, 12), 0.125, 1, Dgno.GradientMode.SHARED).compute(net, in, in, nodes, new Rng(4)).pde().item();
        }
        assertEquals(pde[0], pde[1], 0.0, "the constant source is not read when the input holds the field");
        assertTrue(Math.abs(pde[2] - pde[0]) > 1e-3 * pde[0], "doubling the field changes the residual: " + pde[0] + " " + pde[2]);
        DgnoOperator op = DgnoOperator.create(SMALL, 2);
        op.train(TrainingData.of(x, Tensor.zeros(6, 0)), config(2), ProgressListener.NONE);
        assertEquals(2, op.config().getInt("input_channels"));
        assertArrayEquals(new int[] {6, n, n}, op.apply(x).shape());
        assertArrayEquals(new int[] {6, n, n}, op.reconstructInput(x).shape());
        DgnoOperator back = DgnoOperator.load(op.toCheckpoint());
        assertArrayEquals(op.apply(x).toFloatArray(), back.apply(x).toFloatArray(), 0f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> op.apply(a));
        assertTrue(e.getMessage().contains("(N, 2, 9, 9)"), e.getMessage());
        Tensor pts = Tensor.of(new float[] {0.5f, 0.5f}, 1, 2);
        e = assertThrows(IllegalArgumentException.class, () -> op.invert(pts, Tensor.ones(1, 1), Map.of()));
        assertTrue(e.getMessage().contains("source field"), e.getMessage());
    }

    /**
     * The CNN encoder for smooth fields (encoder_type = cnn): the reference's shape (stride-2 3x3
     * convolutions, 29x29 to 2x2 with three), trained on log-normal fields through the factory; its
     * parameters are the convolutions' and the checkpoint restores its predictions.
     */
    @Test
    void theCnnEncoderTrainsOnSmoothFields() {
        int n = 29;
        Tensor smooth = Tensor.randn(new Rng(3), DType.FLOAT32, Device.CPU, 0, 0.3, 4, n, n).exp();
        Map<String, Object> cfg = new java.util.HashMap<>(SMALL);
        cfg.put("encoder_type", "cnn");
        cfg.put("conv_channels", List.of(4, 4, 4));
        cfg.put("input_model", "lognormal");
        DgnoOperator op = DgnoOperator.create(cfg, 5);
        op.train(TrainingData.of(smooth, Tensor.zeros(4, 0)), config(2), ProgressListener.NONE);
        var params = op.network().namedParameters();
        assertArrayEquals(new int[] {4, 1, 3, 3}, params.get("conv.0.weight").shape());
        assertArrayEquals(new int[] {16, 4 * 2 * 2}, params.get("enc.0.weight").shape(), "the MLP reads the 4 x 2 x 2 conv features");
        assertArrayEquals(new int[] {4, n, n}, op.apply(smooth).shape());
        assertArrayEquals(op.apply(smooth).toFloatArray(), DgnoOperator.load(op.toCheckpoint()).apply(smooth).toFloatArray(), 0f);
        assertTrue(DgnoOperator.create(SMALL, 5).toString().contains("encoder_type=mlp"));
        cfg.put("conv_channels", List.of(4, 4, 4, 4, 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DgnoOperator.create(cfg, 5).train(TrainingData.of(smooth, Tensor.zeros(4, 0)), config(1), ProgressListener.NONE));
        assertTrue(e.getMessage().contains("conv_channels"), e.getMessage());
    }

    @Test
    void errorsNameTheProblem() {
        DgnoOperator op = DgnoOperator.create(SMALL, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> op.train(TrainingData.of(Tensor.zeros(4, 81), Tensor.zeros(4, 0)), config(1), ProgressListener.NONE));
        assertTrue(e.getMessage().contains("(N, n, n)") && e.getMessage().contains("[4, 81]"), e.getMessage());
        Tensor smooth = Tensor.rand(new Rng(1), DType.FLOAT32, Device.CPU, 1, 2, 4, 9, 9);
        e = assertThrows(IllegalArgumentException.class, () -> op.train(TrainingData.of(smooth, Tensor.zeros(4, 0)), config(1), ProgressListener.NONE));
        assertTrue(e.getMessage().contains("coefficient_values"), e.getMessage());
        DgnoOperator labelled = DgnoOperator.create(Map.of("label_weight", 1.0, "latent", 4), 1);
        e = assertThrows(IllegalArgumentException.class,
                () -> labelled.train(TrainingData.of(fields(4, 9, 1), Tensor.zeros(4, 0)), config(1), ProgressListener.NONE));
        assertTrue(e.getMessage().contains("train_targets"), e.getMessage());
        IllegalStateException s = assertThrows(IllegalStateException.class, () -> DgnoOperator.create(SMALL, 1).apply(fields(1, 9, 1)));
        assertTrue(s.getMessage().contains("train"), s.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DgnoOperator.create(Map.of("trunk_mode", "both"), 1));
    }
}
