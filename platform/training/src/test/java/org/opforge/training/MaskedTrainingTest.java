package org.opforge.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.opforge.api.training.ProgressListener;
import org.opforge.api.training.TrainingConfig;
import org.opforge.api.training.TrainingData;
import org.opforge.api.training.TrainingResult;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.nn.Linear;
import org.opforge.tensor.nn.loss.LpLoss;
import org.opforge.tensor.nn.optim.Optimizer;

/** Training and metrics on masked targets: the values where the mask is 0 do not count. */
class MaskedTrainingTest {
    private static final int N = 48, OUT = 6;

    @Test
    void maskedMetricsCountOnlyTheInsideValues() {
        Tensor y = Tensor.of(new float[] {3, 4, 100, 1, 0, -7}, 2, 3);
        Tensor p = Tensor.of(new float[] {3, 5, -50, 1, 1, 9}, 2, 3);
        Tensor m = Tensor.of(new float[] {1, 1, 0, 1, 1, 0}, 2, 3);
        assertArrayEquals(new double[] {1 / 5.0, 1.0}, Metrics.relativeL2(p, y, m), 1e-7);
        assertEquals(2 / 4.0, Metrics.mse(p, y, m), 1e-7);
    }

    @Test
    void changingTheTargetsOutsideTheMaskChangesNothing() {
        Rng rng = new Rng(4);
        Tensor x = Tensor.randn(rng, DType.FLOAT32, Device.CPU, 0, 1, N, 3);
        Tensor y = x.matmul(Tensor.randn(rng, DType.FLOAT32, Device.CPU, 0, 1, 3, OUT)).add(0.5);
        float[] m = new float[N * OUT];
        for (int k = 0; k < m.length; k++) m[k] = (k * 7 + k / OUT) % 3 == 0 ? 0 : 1;
        Tensor mask = Tensor.of(m, N, OUT);
        // garbage where the mask is 0
        Tensor noise = Tensor.randn(new Rng(11), DType.FLOAT32, Device.CPU, 0, 100, N, OUT);
        Tensor other = y.add(noise.mul(mask.rsub(1)));
        assertNotEquals(y.sub(other).abs().sum().item(), 0.0);

        Object[] a = fit(x, y, mask, true);
        Object[] b = fit(x, other, mask, true);
        TrainingResult ra = (TrainingResult) a[1], rb = (TrainingResult) b[1];
        for (int e = 0; e < ra.history().size(); e++) {
            assertEquals(ra.history().get(e).trainLoss(), rb.history().get(e).trainLoss(), 0.0, "training loss of epoch " + (e + 1));
            assertEquals(ra.history().get(e).validationLoss(), rb.history().get(e).validationLoss(), 0.0, "validation loss of epoch " + (e + 1));
        }
        for (String k : ((Linear) a[0]).namedParameters().keySet()) {
            assertArrayEquals(((Linear) a[0]).namedParameters().get(k).toFloatArray(), ((Linear) b[0]).namedParameters().get(k).toFloatArray(), 0f, k);
        }
        assertTrue(ra.finalTrainLoss() < 0.05, "the masked fit converges: " + ra.finalTrainLoss());
        // without the mask the garbage counts: the check above can fail
        Object[] c = fit(x, other, null, true);
        assertNotEquals(ra.finalTrainLoss(), ((TrainingResult) c[1]).finalTrainLoss());
    }

    @Test
    void aModelWithoutMaskSupportOrABadMaskIsRefusedNamingDataMask() {
        Rng rng = new Rng(2);
        Tensor x = Tensor.randn(rng, DType.FLOAT32, Device.CPU, 0, 1, N, 3);
        Tensor y = Tensor.randn(rng, DType.FLOAT32, Device.CPU, 0, 1, N, OUT);
        Tensor ones = Tensor.full(DType.FLOAT32, Device.CPU, 1, N, OUT);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fit(x, y, ones, false));
        assertTrue(e.getMessage().contains("data.mask") && e.getMessage().contains("does not support masked training"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> fit(x, y, ones.mul(0.5), true));
        assertTrue(e.getMessage().contains("data.mask") && e.getMessage().contains("0.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrainingData.of(x, y).withMask(Tensor.full(DType.FLOAT32, Device.CPU, 1, N, 2)));
        assertTrue(e.getMessage().contains("data.mask") && e.getMessage().contains("[48, 6]"), e.getMessage());
    }

    /** {model, result}: 30 epochs of Adam on the relative L2, the last 8 samples held out for validation. */
    private static Object[] fit(Tensor x, Tensor y, Tensor mask, boolean supportsMasks) {
        Linear lin = new Linear(3, OUT, true, new Rng(9));
        Optimizer opt = Optimizers.create("adam", lin.namedParameters(), 0.05, 0);
        TrainingData data = new TrainingData(x, y, Optional.empty(), Optional.empty(), Optional.ofNullable(mask));
        TrainingConfig cfg = TrainingConfig.defaults().withEpochs(30).withBatchSize(8).withLearningRate(0.05).withWeightDecay(0).withSeed(1)
                .withOptions(java.util.Map.of(SupervisedTrainer.VALIDATION_SPLIT, "0.15"));
        SupervisedTrainer.Model model = new SupervisedTrainer.Model() {
            @Override public Tensor predict(Tensor inputs) { return lin.forward(inputs); }

            @Override public void train(boolean on) { lin.train(on); }

            @Override public boolean supportsMasks() { return supportsMasks; }
        };
        TrainingResult r = SupervisedTrainer.fit(model, data, cfg, LpLoss.relative(1, 2), opt, null, 1, ProgressListener.NONE);
        return new Object[] {lin, r};
    }
}
