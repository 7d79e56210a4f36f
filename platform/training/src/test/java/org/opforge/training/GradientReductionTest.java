package org.opforge.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
import org.opforge.tensor.nn.loss.MSELoss;
import org.opforge.tensor.nn.optim.Optimizer;

class GradientReductionTest {
    /** Replicas as threads of one JVM: rank 0 sums the contributions in rank order and all copy the sum. */
    private static final class InMemory implements GradientReduction {
        final int rank;
        final float[][] slots;
        final CyclicBarrier barrier;

        InMemory(int rank, float[][] slots, CyclicBarrier barrier) {
            this.rank = rank;
            this.slots = slots;
            this.barrier = barrier;
        }

        @Override public int rank() { return rank; }

        @Override public int replicas() { return slots.length; }

        @Override public void allReduceSum(float[] values) {
            try {
                slots[rank] = values.clone();
                barrier.await();
                if (rank == 0) {
                    float[] sum = slots[0];
                    for (int r = 1; r < slots.length; r++) for (int i = 0; i < sum.length; i++) sum[i] += slots[r][i];
                }
                barrier.await();
                System.arraycopy(slots[0], 0, values, 0, values.length);
                barrier.await();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private record Trained(TrainingResult result, float[] weights) {}

    private static Trained train() {
        Rng rng = new Rng(5);
        // 70 samples in batches of 16: the last batch (6 samples) gives 4 replicas shares of 1 and 2
        Tensor x = Tensor.randn(rng, DType.FLOAT32, Device.CPU, 0, 1, 70, 3);
        Tensor y = x.matmul(Tensor.of(new float[] {1, -2, 0.5f}, 3, 1)).tanh();
        Linear lin = new Linear(3, 1, true, new Rng(9));
        Optimizer opt = Optimizers.create("adam", lin.namedParameters(), 0.01, 1e-4);
        TrainingConfig cfg = TrainingConfig.defaults().withEpochs(6).withBatchSize(16).withLearningRate(0.01).withSeed(3);
        SupervisedTrainer.Model model = new SupervisedTrainer.Model() {
            @Override public Tensor predict(Tensor inputs) { return lin.forward(inputs); }
            @Override public void train(boolean on) { lin.train(on); }
        };
        TrainingResult r = SupervisedTrainer.fit(model, TrainingData.of(x, y), cfg, new MSELoss(), opt, null, 1, ProgressListener.NONE);
        List<Float> w = new ArrayList<>();
        lin.namedParameters().values().forEach(p -> { for (float v : p.toFloatArray()) w.add(v); });
        float[] a = new float[w.size()];
        for (int i = 0; i < a.length; i++) a[i] = w.get(i);
        return new Trained(r, a);
    }

    @Test
    void replicasSharingEveryBatchTakeTheSingleProcessStepsAndStayIdentical() throws Exception {
        assertNull(GradientReduction.current());
        Trained single = train();
        int k = 4;
        float[][] slots = new float[k][];
        CyclicBarrier barrier = new CyclicBarrier(k);
        ExecutorService pool = Executors.newFixedThreadPool(k);
        try {
            List<Future<Trained>> fs = new ArrayList<>();
            for (int r = 0; r < k; r++) {
                GradientReduction red = new InMemory(r, slots, barrier);
                fs.add(pool.submit(() -> GradientReduction.run(red, GradientReductionTest::train)));
            }
            Trained first = fs.get(0).get();
            for (Future<Trained> f : fs) assertArrayEquals(first.weights(), f.get().weights(), "replicas bit-identical");
            assertArrayEquals(single.weights(), first.weights(), 2e-6f, "same steps as one process on the global batch");
            for (int e = 0; e < single.result().history().size(); e++) {
                double l1 = single.result().history().get(e).trainLoss(), lk = first.result().history().get(e).trainLoss();
                assertEquals(l1, lk, 1e-6 * Math.abs(l1), "epoch " + (e + 1) + " train loss");
            }
        } finally {
            pool.shutdownNow();
        }
        assertNull(GradientReduction.current());
    }

    @Test
    void sharesCoverTheBatchInOrder() {
        int[] batch = {9, 4, 7, 1, 3};
        List<Integer> all = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            int rank = r;
            GradientReduction g = new GradientReduction() {
                @Override public int rank() { return rank; }
                @Override public int replicas() { return 3; }
                @Override public void allReduceSum(float[] values) {}
            };
            for (int i : g.share(batch)) all.add(i);
        }
        assertEquals(List.of(9, 4, 7, 1, 3), all);
    }
}
