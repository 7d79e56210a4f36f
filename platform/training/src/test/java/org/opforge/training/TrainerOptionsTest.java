package org.opforge.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

/** The shared loop's options: loss reduction, validation split, best-epoch selection. */
class TrainerOptionsTest {
    private static final Tensor X = Tensor.randn(new Rng(21), DType.FLOAT32, Device.CPU, 0, 1, 64, 3);
    private static final Tensor W = Tensor.of(new float[] {1, -2, 0.5f}, 3, 1);

    private static SupervisedTrainer.Model model(Linear lin) {
        return new SupervisedTrainer.Model() {
            @Override public Tensor predict(Tensor inputs) { return lin.forward(inputs); }

            @Override public void train(boolean on) { lin.train(on); }
        };
    }

    private static float[] weights(Linear lin) {
        float[] w = lin.namedParameters().get("weight").toFloatArray(), b = lin.namedParameters().get("bias").toFloatArray();
        float[] all = Arrays.copyOf(w, w.length + b.length);
        System.arraycopy(b, 0, all, w.length, b.length);
        return all;
    }

    /** Trains a fresh Linear(3, 1) (same initial weights every time) and returns it with the result. */
    private static Object[] fit(TrainingData data, TrainingConfig cfg) {
        Linear lin = new Linear(3, 1, true, new Rng(9));
        Optimizer opt = Optimizers.create(cfg.optimizer(), lin.namedParameters(), cfg.learningRate(), cfg.weightDecay());
        TrainingResult r = SupervisedTrainer.fit(model(lin), data, cfg, new MSELoss(), opt, null, 1, ProgressListener.NONE);
        return new Object[] {lin, r};
    }

    @Test
    void sumReductionScalesTheStepByTheBatchSizeAndReportsTheMean() {
        // one full batch of 64 with plain SGD (the momentum buffer of the first step is the gradient):
        // the sum of the per-sample losses has 64 times the gradient of their mean
        TrainingData data = TrainingData.of(X, X.matmul(W));
        TrainingConfig cfg = TrainingConfig.defaults().withEpochs(1).withBatchSize(64).withOptimizer("sgd").withLearningRate(1e-3).withWeightDecay(0);
        float[] w0 = weights(new Linear(3, 1, true, new Rng(9)));
        Object[] mean = fit(data, cfg);
        Object[] sum = fit(data, cfg.withOptions(Map.of(SupervisedTrainer.LOSS_REDUCTION, "sum")));
        float[] wm = weights((Linear) mean[0]), ws = weights((Linear) sum[0]);
        for (int i = 0; i < w0.length; i++) {
            double dm = wm[i] - w0[i], ds = ws[i] - w0[i];
            assertTrue(Math.abs(dm) > 1e-5, "the mean step moves weight " + i);
            assertEquals(64 * dm, ds, 1e-3 * Math.abs(64 * dm), "weight " + i);
        }
        assertEquals(((TrainingResult) mean[1]).finalTrainLoss(), ((TrainingResult) sum[1]).finalTrainLoss(),
                1e-6 * ((TrainingResult) mean[1]).finalTrainLoss(), "the reported loss is the per-sample mean either way");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> fit(data, cfg.withOptions(Map.of(SupervisedTrainer.LOSS_REDUCTION, "max"))));
        assertEquals("loss_reduction: expected mean or sum, found 'max'", e.getMessage());
    }

    @Test
    void validationSplitHoldsOutTheLastSamples() {
        Tensor y = X.matmul(W).tanh();
        TrainingConfig cfg = TrainingConfig.defaults().withEpochs(5).withBatchSize(16).withLearningRate(0.01).withSeed(2);
        TrainingResult split = (TrainingResult) fit(TrainingData.of(X, y), cfg.withOptions(Map.of(SupervisedTrainer.VALIDATION_SPLIT, "0.25")))[1];
        TrainingData explicit = TrainingData.of(X.slice(0, 0, 48), y.slice(0, 0, 48)).withValidation(TrainingData.of(X.slice(0, 48, 64), y.slice(0, 48, 64)));
        TrainingResult given = (TrainingResult) fit(explicit, cfg)[1];
        for (int e = 0; e < 5; e++) {
            EpochReport a = split.history().get(e), b = given.history().get(e);
            assertFalse(Double.isNaN(a.validationLoss()), "epoch " + (e + 1) + " has a validation loss");
            assertEquals(b.trainLoss(), a.trainLoss(), 0.0, "epoch " + (e + 1) + " trains on the first 48 samples only");
            assertEquals(b.validationLoss(), a.validationLoss(), 0.0, "epoch " + (e + 1) + " validates on the last 16");
        }
        for (String bad : List.of("1", "-0.1", "x")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> fit(TrainingData.of(X, y), cfg.withOptions(Map.of(SupervisedTrainer.VALIDATION_SPLIT, bad))));
            assertTrue(e.getMessage().startsWith("validation_split: expected a fraction in [0, 1), found '" + bad + "'"), e.getMessage());
        }
    }

    @Test
    void selectBestRestoresTheWeightsOfTheLowestValidationLoss() {
        // trained toward y = 2 X w, validated against y = X w: the validation loss falls while the
        // weights pass near w, then rises again, so the best epoch lies strictly inside the run
        TrainingData data = TrainingData.of(X, X.matmul(W).mul(2)).withValidation(TrainingData.of(X, X.matmul(W)));
        TrainingConfig cfg = TrainingConfig.defaults().withEpochs(30).withBatchSize(16).withLearningRate(0.05).withWeightDecay(0).withSeed(1);
        TrainingConfig select = cfg.withOptions(Map.of(SupervisedTrainer.SELECT_BEST, "true"));
        Object[] run = fit(data, select);
        TrainingResult r = (TrainingResult) run[1];
        int argmin = 0;
        for (int e = 1; e < r.history().size(); e++) if (r.history().get(e).validationLoss() < r.history().get(argmin).validationLoss()) argmin = e;
        assertEquals(argmin + 1, r.selectedEpoch());
        assertTrue(r.selectedEpoch() > 1 && r.selectedEpoch() < 30, "best epoch inside the run: " + r.selectedEpoch());
        assertEquals(r.history().get(argmin), r.selected());
        // the kept weights are those after the best epoch: a run stopped there ends with them
        Object[] stopped = fit(data, cfg.withEpochs(r.selectedEpoch()));
        Linear lin = (Linear) run[0];
        assertArrayEquals(weights((Linear) stopped[0]), weights(lin), 0f);
        assertEquals(r.selected().validationLoss(),
                SupervisedTrainer.evaluate(model(lin), data.validation().get(), new MSELoss(), 16, cfg), 0.0);
        // without selection the model ends at the last epoch
        Object[] plain = fit(data, cfg);
        assertEquals(30, ((TrainingResult) plain[1]).selectedEpoch());
        assertFalse(Arrays.equals(weights((Linear) plain[0]), weights(lin)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fit(TrainingData.of(X, X.matmul(W)), select));
        assertTrue(e.getMessage().startsWith("select_best needs a validation set"), e.getMessage());
    }

    @Test
    void selectBestKeepsComplexWeights() {
        // spectral weights are complex: y = X (Re w + Im w), the same interior best epoch as above
        TrainingData data = TrainingData.of(X, X.matmul(W).mul(2)).withValidation(TrainingData.of(X, X.matmul(W)));
        TrainingConfig cfg = TrainingConfig.defaults().withEpochs(30).withBatchSize(16).withLearningRate(0.05).withWeightDecay(0).withSeed(1);
        Object[] best = fitComplex(data, cfg.withOptions(Map.of(SupervisedTrainer.SELECT_BEST, "true")));
        int selected = ((TrainingResult) best[1]).selectedEpoch();
        assertTrue(selected > 1 && selected < 30, "best epoch inside the run: " + selected);
        Tensor kept = (Tensor) best[0], stopped = (Tensor) fitComplex(data, cfg.withEpochs(selected))[0];
        assertEquals(DType.COMPLEX64, kept.dtype());
        assertArrayEquals(stopped.real().toFloatArray(), kept.real().toFloatArray(), 0f);
        assertArrayEquals(stopped.imag().toFloatArray(), kept.imag().toFloatArray(), 0f);
        Tensor last = (Tensor) fitComplex(data, cfg)[0];
        assertFalse(Arrays.equals(last.imag().toFloatArray(), kept.imag().toFloatArray()));
    }

    @Test
    void evalEveryValidatesEveryKthAndTheLastEpochWithTheModelsMeasures() {
        TrainingData data = TrainingData.of(X, X.matmul(W)).withValidation(TrainingData.of(X.slice(0, 0, 16), X.slice(0, 0, 16).matmul(W)));
        TrainingConfig cfg = TrainingConfig.defaults().withEpochs(7).withBatchSize(16).withLearningRate(0.01).withSeed(1);
        Linear lin = new Linear(3, 1, true, new Rng(9));
        boolean[] training = {true};
        SupervisedTrainer.Model m = new SupervisedTrainer.Model() {
            @Override public Tensor predict(Tensor inputs) { return lin.forward(inputs); }

            @Override public void train(boolean on) { training[0] = on; }

            // a measure besides the loss: the largest absolute error on the validation set
            @Override public Map<String, Double> validationMetrics(TrainingData v, int batch) {
                assertFalse(training[0], "measured in evaluation mode");
                float[] p = lin.forward(v.inputs()).toFloatArray(), t = v.targets().toFloatArray();
                double max = 0;
                for (int i = 0; i < p.length; i++) max = Math.max(max, Math.abs(p[i] - t[i]));
                return Map.of("max_error", max);
            }
        };
        Optimizer opt = Optimizers.create(cfg.optimizer(), lin.namedParameters(), cfg.learningRate(), cfg.weightDecay());
        TrainingResult r = SupervisedTrainer.fit(m, data, cfg.withOptions(Map.of(SupervisedTrainer.EVAL_EVERY, "3")), new MSELoss(), opt, null, 1,
                ProgressListener.NONE);
        for (EpochReport e : r.history()) {
            boolean evaluated = e.epoch() == 3 || e.epoch() == 6 || e.epoch() == 7;
            assertEquals(evaluated, !Double.isNaN(e.validationLoss()), "epoch " + e.epoch());
            assertEquals(evaluated ? Set.of("max_error") : Set.of(), e.metrics().keySet(), "epoch " + e.epoch());
        }
        // the last epoch's measure is that of the final weights, and bounds the root of the mean square
        double last = r.last().metrics().get("max_error");
        m.train(false);
        assertEquals(m.validationMetrics(data.validation().get(), 16).get("max_error"), last, 0.0);
        assertTrue(last > 0 && last * last >= r.last().validationLoss(), last + " against " + r.last().validationLoss());
        assertNotEquals(r.history().get(2).metrics().get("max_error"), last, "measured with the weights of each epoch");
        for (String bad : List.of("0", "x")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> fit(data, cfg.withOptions(Map.of(SupervisedTrainer.EVAL_EVERY, bad))));
            assertEquals("eval_every: expected a positive integer, found '" + bad + "'", e.getMessage());
        }
    }

    private static Object[] fitComplex(TrainingData data, TrainingConfig cfg) {
        Rng rng = new Rng(3);
        Tensor w = Tensor.complex(Tensor.randn(rng, DType.FLOAT32, Device.CPU, 0, 0.1, 3, 1), Tensor.randn(rng, DType.FLOAT32, Device.CPU, 0, 0.1, 3, 1))
                .requiresGrad(true);
        Optimizer opt = Optimizers.create(cfg.optimizer(), Map.of("w", w), cfg.learningRate(), cfg.weightDecay());
        SupervisedTrainer.Model m = new SupervisedTrainer.Model() {
            @Override public Tensor predict(Tensor x) { return x.matmul(w.real()).add(x.matmul(w.imag())); }

            @Override public void train(boolean on) {}
        };
        TrainingResult r = SupervisedTrainer.fit(m, data, cfg, new MSELoss(), opt, null, 1, ProgressListener.NONE);
        return new Object[] {w, r};
    }
}
