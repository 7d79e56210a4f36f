package org.opforge.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opforge.api.training.EpochReport;
import org.opforge.api.training.ProgressListener;
import org.opforge.api.training.TrainingConfig;
import org.opforge.api.training.TrainingData;
import org.opforge.api.training.TrainingResult;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.nn.Linear;
import org.opforge.tensor.nn.loss.MSELoss;
import org.opforge.tensor.nn.optim.Optimizer;

class TrainingTest {

    @Test
    void relativeL2AndMseMatchHandComputedValues() {
        Tensor y = Tensor.of(new float[] {3, 4, 1, 0}, 2, 2);
        Tensor p = Tensor.of(new float[] {3, 5, 1, 1}, 2, 2);
        assertArrayEquals(new double[] {1 / 5.0, 1.0}, Metrics.relativeL2(p, y), 1e-7);
        assertEquals(0.5, Metrics.mse(p, y), 1e-7);
    }

    @Test
    void h1OfASineMatchesTheAnalyticDiscreteValue() {
        // f = sin(2 pi x) on n periodic points: the central difference is exactly
        // sin(2 pi h) / h * cos(2 pi x), so S(f) = sum f^2 (1 + ...) is known in closed form
        int n = 32;
        float[] f = new float[n], g = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) Math.sin(2 * Math.PI * i / n);
            g[i] = 0;
        }
        Tensor y = Tensor.of(f, 1, n);
        Tensor p = Tensor.of(g, 1, n);
        assertEquals(1.0, Metrics.h1(p, y, 1)[0], 1e-6, "zero prediction has relative H1 error 1");
        Tensor half = y.mul(0.5);
        assertEquals(0.5, Metrics.h1(half, y, 1)[0], 1e-6, "H1 is homogeneous");
    }

    @Test
    void pointwiseNormalizerRoundTripsAndResamples() {
        Rng rng = new Rng(3);
        Tensor data = Tensor.randn(rng, DType.FLOAT32, Device.CPU, 2, 0.5, 10, 4, 4);
        UnitGaussianNormalizer n = UnitGaussianNormalizer.fit(data, UnitGaussianNormalizer.Mode.POINTWISE);
        Tensor enc = n.encode(data);
        // unbiased std per point is 1 up to eps after encoding
        float[] mean = enc.mean(0, false).toFloatArray();
        for (float m : mean) assertEquals(0, m, 1e-5);
        assertArrayEquals(data.toFloatArray(), n.decode(enc).toFloatArray(), 1e-5f);
        // a constant-in-space field keeps its statistics when resampled to another grid
        Tensor constant = Tensor.full(DType.FLOAT32, Device.CPU, 2, 10, 4, 4).add(Tensor.randn(rng, DType.FLOAT32, Device.CPU, 0, 1, 10, 1, 1));
        UnitGaussianNormalizer c = UnitGaussianNormalizer.fit(constant, UnitGaussianNormalizer.Mode.POINTWISE);
        Tensor fine = constant.slice(1, 0, 1).slice(2, 0, 1).expand(10, 7, 7);
        assertArrayEquals(c.encode(constant).slice(1, 0, 1).slice(2, 0, 1).expand(10, 7, 7).toFloatArray(),
                c.encode(fine).toFloatArray(), 1e-4f);
        UnitGaussianNormalizer back = UnitGaussianNormalizer.fromTensors(n.toTensors());
        assertArrayEquals(enc.toFloatArray(), back.encode(data).toFloatArray(), 0f);
    }

    @Test
    void trainerFitsALinearMapAndIsReproducible() {
        double first = fitOnce(7).finalTrainLoss();
        TrainingResult again = fitOnce(7);
        assertEquals(first, again.finalTrainLoss(), 0.0, "same seed, same losses");
        assertTrue(first < 1e-3, "linear regression converges, loss " + first);
        assertEquals(40, again.history().size());
    }

    @Test
    void resumingAtAnEpochGivesTheSameLossesAsAnUninterruptedRun() {
        // the per-epoch permutation depends on (seed, epoch) only, so continuing from epoch 11 with the
        // same weights and optimizer state reproduces the uninterrupted run exactly
        List<EpochReport> full = run(20, 1, null).history();
        Object[] state = new Object[1];
        run(10, 1, state);
        List<EpochReport> resumed = run(20, 11, state).history();
        for (int e = 0; e < 10; e++) {
            assertEquals(full.get(10 + e).trainLoss(), resumed.get(e).trainLoss(), 0.0, "epoch " + (11 + e));
        }
    }

    /** Trains epochs first..epochs; state[0] carries (model, optimizer) between calls. */
    private static TrainingResult run(int epochs, int first, Object[] state) {
        Rng rng = new Rng(5);
        Tensor x = Tensor.randn(rng, DType.FLOAT32, Device.CPU, 0, 1, 96, 3);
        Tensor y = x.matmul(Tensor.of(new float[] {1, -2, 0.5f}, 3, 1)).tanh();
        Object[] mo = state != null && state[0] != null ? (Object[]) state[0] : null;
        Linear lin = mo != null ? (Linear) mo[0] : new Linear(3, 1, true, new Rng(9));
        Optimizer opt = mo != null ? (Optimizer) mo[1] : Optimizers.create("adam", lin.namedParameters(), 0.01, 1e-4);
        if (state != null) state[0] = new Object[] {lin, opt};
        TrainingConfig cfg = TrainingConfig.defaults().withEpochs(epochs).withBatchSize(32).withLearningRate(0.01).withSeed(3);
        return SupervisedTrainer.fit(model(lin), TrainingData.of(x, y), cfg, new MSELoss(), opt, null, first, ProgressListener.NONE);
    }

    @Test
    void divergenceIsReportedWithEpochAndBatch() {
        Rng rng = new Rng(1);
        Linear lin = new Linear(3, 1, true, rng);
        Tensor x = Tensor.randn(rng, DType.FLOAT32, Device.CPU, 0, 1, 64, 3);
        Tensor y = x.sum(1, true);
        TrainingConfig cfg = TrainingConfig.defaults().withEpochs(5).withBatchSize(16).withLearningRate(1e6).withWeightDecay(0);
        Optimizer opt = Optimizers.create("sgd", lin.namedParameters(), 1e6, 0);
        TrainingFailedException e = assertThrows(TrainingFailedException.class, () -> SupervisedTrainer.fit(model(lin),
                TrainingData.of(x, y), cfg, new MSELoss(), opt, null, 1, ProgressListener.NONE));
        assertTrue(e.getMessage().contains("epoch"), e.getMessage());
    }

    @Test
    void unknownOptimizerAndScheduleAreNamed() {
        Linear lin = new Linear(2, 1, true, new Rng(0));
        assertThrows(IllegalArgumentException.class, () -> Optimizers.create("lbfgs", lin.namedParameters(), 1e-3, 0));
        Optimizer opt = Optimizers.create("adam", lin.namedParameters(), 1e-3, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Optimizers.schedule("step:x", opt, 10));
        assertTrue(e.getMessage().contains("step:x"));
        // MgNO's recipe: max lr 1e-3, div 2, final div 100, warm-up 0.2 of 10 epochs; beta1 starts at 0.95
        Optimizers.schedule("onecycle:2:100:0.2", opt, 10);
        assertEquals(5e-4, opt.lr(), 1e-15);
        assertEquals(0.95, ((org.opforge.tensor.nn.optim.Adam) opt).momentum(), 1e-15);
        e = assertThrows(IllegalArgumentException.class, () -> Optimizers.schedule("onecycle:2:100:1.5", opt, 10));
        assertTrue(e.getMessage().contains("onecycle:2:100:1.5") && e.getMessage().contains("PCT_START in [0, 1]"), e.getMessage());
    }

    private static TrainingResult fitOnce(long seed) {
        Rng rng = new Rng(seed);
        Linear lin = new Linear(3, 1, true, rng);
        Tensor x = Tensor.randn(rng, DType.FLOAT32, Device.CPU, 0, 1, 128, 3);
        Tensor y = x.matmul(Tensor.of(new float[] {1, -2, 0.5f}, 3, 1)).add(0.25);
        TrainingConfig cfg = TrainingConfig.defaults().withEpochs(40).withBatchSize(16).withLearningRate(0.05).withWeightDecay(0).withSeed(seed);
        Optimizer opt = Optimizers.create("adam", lin.namedParameters(), 0.05, 0);
        List<EpochReport> seen = new ArrayList<>();
        TrainingResult r = SupervisedTrainer.fit(model(lin), TrainingData.of(x, y), cfg, new MSELoss(), opt,
                Optimizers.schedule("step:20:0.5", opt, 40), 1, new ProgressListener() {
                    @Override public void onEpoch(EpochReport report) { seen.add(report); }
                });
        assertEquals(r.history(), seen);
        return r;
    }

    private static SupervisedTrainer.Model model(Linear lin) {
        return new SupervisedTrainer.Model() {
            @Override public Tensor predict(Tensor inputs) { return lin.forward(inputs); }
            @Override public void train(boolean on) { lin.train(on); }
        };
    }

}
