package org.opforge.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.opforge.api.training.TrainingConfig;
import org.opforge.api.training.TrainingData;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.GradMode;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.backend.Backends;
import org.opforge.tensor.cpu.CpuBackend;
import org.opforge.tensor.nn.Linear;
import org.opforge.tensor.nn.loss.MSELoss;

/**
 * The evaluation and prediction loops hand each batch's activations back to the buffer pool (an inference
 * {@link org.opforge.tensor.StepScope} per batch): a second pass over the same data allocates less than one
 * activation afresh, and the values are those of a plain forward pass.
 */
class InferenceReuseTest {
    private static final int N = 4096, BATCH = 2048, WIDTH = 64;

    /** Layers called one after the other, as the operators' models do (a {@code Sequential} recycles its own intermediates). */
    private static SupervisedTrainer.Model model(Linear first, Linear hidden, Linear last) {
        return new SupervisedTrainer.Model() {
            @Override public Tensor predict(Tensor inputs) { return last.forward(hidden.forward(first.forward(inputs).tanh()).tanh()); }

            @Override public void train(boolean on) { }
        };
    }

    @Test void evaluationAndPredictionReuseTheirStorageAndKeepTheirValues() {
        Backends.cpu().trim();
        Rng rng = new Rng(1);
        Linear first = new Linear(8, WIDTH, true, rng), hidden = new Linear(WIDTH, WIDTH, true, rng), last = new Linear(WIDTH, 1, true, rng);
        SupervisedTrainer.Model model = model(first, hidden, last);
        Tensor x = Tensor.randn(rng, DType.FLOAT32, Device.CPU, 0, 1, N, 8);
        Tensor y = Tensor.randn(rng, DType.FLOAT32, Device.CPU, 0, 1, N, 1);
        double[] plain;
        try (GradMode.Scope off = GradMode.noGrad()) {
            plain = model.predict(x).toDoubleArray();
        }
        TrainingConfig cfg = TrainingConfig.defaults();
        long activation = (long) BATCH * WIDTH * 4;
        double once = SupervisedTrainer.evaluate(model, TrainingData.of(x, y), new MSELoss(), BATCH, cfg);
        long fresh0 = CpuBackend.allocatedBytes()[0];
        double second = SupervisedTrainer.evaluate(model, TrainingData.of(x, y), new MSELoss(), BATCH, cfg);
        long evalFresh = CpuBackend.allocatedBytes()[0] - fresh0;
        assertEquals(once, second, 0, "the same loss from reused storage");
        assertTrue(evalFresh < activation, "a second evaluation reuses its storage: " + evalFresh + " fresh bytes, an activation is " + activation);

        assertArrayEquals(plain, SupervisedTrainer.predictAll(model, x, BATCH).toDoubleArray(), 0);
        fresh0 = CpuBackend.allocatedBytes()[0];
        Tensor again = SupervisedTrainer.predictAll(model, x, BATCH);
        long predictFresh = CpuBackend.allocatedBytes()[0] - fresh0;
        assertArrayEquals(plain, again.toDoubleArray(), 0, "the kept predictions are readable and unchanged");
        // the predictions are kept (and concatenated): two batches' outputs and their concatenation, not the activations
        assertTrue(predictFresh < activation + 3L * N * 4, "a second prediction reuses the activations' storage: " + predictFresh + " fresh bytes");
    }
}
