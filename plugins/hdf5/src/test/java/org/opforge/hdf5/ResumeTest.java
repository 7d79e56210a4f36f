package org.opforge.hdf5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opforge.api.data.Batch;
import org.opforge.api.data.BatchLoader;
import org.opforge.api.data.Checkpoint;
import org.opforge.api.data.CheckpointStore;
import org.opforge.api.data.Dataset;
import org.opforge.api.data.DatasetContent;
import org.opforge.api.data.DatasetSource;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.nn.Dropout;
import org.opforge.tensor.nn.MLP;
import org.opforge.tensor.nn.loss.MSELoss;
import org.opforge.tensor.nn.optim.Adam;

/**
 * Training that stops after epoch 3, saves a checkpoint, and resumes in fresh objects produces the
 * very same losses (bit for bit) as training straight through: model parameters, Adam's moments and
 * step counts, the normalizer, the dropout generator's counter and the epoch all travel through one
 * HDF5 file. Two controls show the test can fail: resuming with the generator rewound, or without
 * the optimizer state, gives different losses.
 */
class ResumeTest {
    private static final int N = 96;
    private static final int D = 8;
    private static final int EPOCHS = 6;
    private static final int STOP = 3;
    private static final long DROPOUT_SEED = 17;
    private static final long LOADER_SEED = 3;

    @TempDir static Path tmp;
    private static Path data;

    @BeforeAll static void makeData() {
        Rng rng = new Rng(2024);
        Tensor x = Tensor.randn(rng, DType.FLOAT32, Device.CPU, 1.5, 2.0, N, D);
        Tensor c = Tensor.randn(rng, DType.FLOAT32, Device.CPU, 0, 1, D, 1);
        Tensor y = x.matmul(c).add(Tensor.randn(rng, DType.FLOAT32, Device.CPU, 0, 0.05, N, 1));
        data = tmp.resolve("regression.h5");
        DatasetSource.find().write(data, DatasetContent.of(Map.of("x", x, "y", y)));
    }

    /** Everything a run holds; built fresh or from a checkpoint. */
    static final class Run {
        final MLP model;
        final Rng dropoutRng;
        final Dropout dropout;
        final Adam adam;
        final Tensor mean;
        final Tensor std;
        int epoch;

        Run(MLP model, Rng dropoutRng, Adam adam, Tensor mean, Tensor std, int epoch) {
            this.model = model;
            this.dropoutRng = dropoutRng;
            this.dropout = new Dropout(0.1, dropoutRng);
            this.adam = adam;
            this.mean = mean;
            this.std = std;
            this.epoch = epoch;
        }

        static Run fresh(Dataset ds) {
            MLP m = new MLP(new int[] {D, 16, 1}, "gelu", new Rng(5));
            Tensor x = ds.readAll("x");
            Tensor mean = x.mean(0, true);
            Tensor std = x.sub(mean).square().mean(0, true).sqrt();
            return new Run(m, new Rng(DROPOUT_SEED), new Adam(m, 0.01), mean, std, 0);
        }

        /** Trains up to epoch {@code until} and returns every step's loss. */
        List<Double> train(BatchLoader loader, int until) {
            List<Double> losses = new ArrayList<>();
            MSELoss mse = new MSELoss();
            for (; epoch < until; epoch++) {
                try (BatchLoader.Epoch e = loader.epoch(epoch)) {
                    for (Batch b : e) {
                        Tensor x = dropout.forward(b.get("x").sub(mean).div(std));
                        Tensor loss = mse.apply(model.forward(x), b.get("y"));
                        adam.zeroGrad();
                        loss.backward();
                        adam.step();
                        losses.add(loss.item());
                    }
                }
            }
            return losses;
        }

        Checkpoint save(double lastLoss) {
            Map<String, String> a = new LinkedHashMap<>();
            a.put("operator", "mlp-regression");
            a.put("config", "{\"widths\": [8, 16, 1], \"activation\": \"gelu\", \"dropout\": 0.1, \"lr\": 0.01}");
            a.put("epoch", Integer.toString(epoch));
            a.put("rng.dropout.seed", Long.toString(dropoutRng.seed()));
            a.put("rng.dropout.counter", Long.toString(dropoutRng.counter()));
            a.put("loader.seed", Long.toString(LOADER_SEED));
            a.put("metrics", "{\"train_loss\": " + lastLoss + "}");
            Map<String, Tensor> t = new LinkedHashMap<>();
            model.stateDict().forEach((k, v) -> t.put("model/" + k, v));
            adam.stateDict().forEach((k, v) -> t.put("optimizer/" + k, v));
            t.put("normalizer/x_mean", mean);
            t.put("normalizer/x_std", std);
            return new Checkpoint(a, t);
        }

        static Run load(Checkpoint c, boolean restoreRng, boolean restoreOptimizer) {
            // a different init seed: every weight must come from the checkpoint
            MLP m = new MLP(new int[] {D, 16, 1}, "gelu", new Rng(999));
            m.loadStateDict(c.group("model"));
            Adam adam = new Adam(m, 0.01);
            if (restoreOptimizer) adam.loadStateDict(c.group("optimizer"));
            long seed = Long.parseLong(c.attribute("rng.dropout.seed"));
            Rng rng = restoreRng ? Rng.at(seed, Long.parseLong(c.attribute("rng.dropout.counter"))) : new Rng(seed);
            return new Run(m, rng, adam, c.tensor("normalizer/x_mean"), c.tensor("normalizer/x_std"),
                    Integer.parseInt(c.attribute("epoch")));
        }
    }

    @Test void resumedRunEqualsUninterruptedRun() {
        CheckpointStore store = CheckpointStore.find();
        try (Dataset ds = DatasetSource.find().open(data)) {
            BatchLoader loader = BatchLoader.over(ds).batchSize(16).shuffle(LOADER_SEED).prefetch(1).build();

            Run straight = Run.fresh(ds);
            List<Double> all = straight.train(loader, EPOCHS);
            assertEquals(EPOCHS * 6, all.size());

            Run first = Run.fresh(ds);
            List<Double> head = first.train(loader, STOP);
            assertEquals(all.subList(0, head.size()), head);
            Path ckpt = tmp.resolve("epoch3.h5");
            store.save(first.save(head.get(head.size() - 1)), ckpt);

            Checkpoint loaded = store.load(ckpt);
            List<Double> tail = Run.load(loaded, true, true).train(loader, EPOCHS);
            assertEquals(all.subList(head.size(), all.size()), tail, "losses after resuming");
            Run resumed = Run.load(store.load(ckpt), true, true);
            resumed.train(loader, EPOCHS);
            for (Map.Entry<String, Tensor> e : straight.model.stateDict().entrySet()) {
                assertArrayEquals(e.getValue().toFloatArray(), resumed.model.stateDict().get(e.getKey()).toFloatArray(), 0f, e.getKey());
            }

            List<Double> rewound = Run.load(loaded, false, true).train(loader, EPOCHS);
            assertNotEquals(all.get(head.size()), rewound.get(0), "control: a rewound dropout generator changes the next loss");
            List<Double> noAdam = Run.load(loaded, true, false).train(loader, EPOCHS);
            assertEquals(all.get(head.size()), noAdam.get(0), 0.0, "the first loss needs only weights and generator");
            assertNotEquals(all.get(head.size() + 1), noAdam.get(1), "control: a fresh Adam changes the second loss");
        }
    }
}
