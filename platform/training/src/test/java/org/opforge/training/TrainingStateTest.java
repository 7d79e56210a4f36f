package org.opforge.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.opforge.api.config.ConfigParameter;
import org.opforge.api.config.ConfigSchema;
import org.opforge.api.data.Checkpoint;
import org.opforge.api.training.EpochReport;
import org.opforge.api.training.ProgressListener;
import org.opforge.api.training.TrainingConfig;
import org.opforge.api.training.TrainingData;
import org.opforge.api.training.TrainingResult;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.nn.MLP;
import org.opforge.tensor.nn.loss.MSELoss;

/**
 * {@link TrainingState} as an operator wrapper uses it: a small MLP "operator" with normalizers,
 * trained, saved, restored into fresh objects and trained on.
 */
class TrainingStateTest {
    private static final ConfigSchema SCHEMA = new ConfigSchema(Stream.concat(Stream.of(ConfigParameter.integer("width", 16, "hidden width"),
            ConfigParameter.choice("normalize", "pointwise", "normalization", "none", "pointwise", "channel")),
            SupervisedTrainer.configParameters().stream()).toList());
    private static final Tensor X, Y;

    static {
        Rng rng = new Rng(11);
        X = Tensor.randn(rng, DType.FLOAT32, Device.CPU, 3, 2, 64, 4);
        Y = X.matmul(Tensor.of(new float[] {1, -1, 0.5f, 2}, 4, 1)).tanh().mul(5).add(1);
    }

    /** The smallest wrapper: a network and a state. */
    static final class Op {
        final TrainingState state;
        final MLP net;

        Op(TrainingState state) {
            this.state = state;
            this.net = new MLP(new int[] {4, state.config().getInt("width"), 1}, "tanh", false, state.rng());
        }

        SupervisedTrainer.Model model() {
            return new SupervisedTrainer.Model() {
                @Override public Tensor predict(Tensor x) { return state.decodeTarget(net.forward(state.encodeInput(x))); }

                @Override public void train(boolean on) { net.train(on); }
            };
        }

        TrainingResult train(int epochs, String optimizer) {
            return train(epochs, optimizer, Map.of());
        }

        TrainingResult train(int epochs, String optimizer, Map<String, String> options) {
            return train(epochs, optimizer, options, ProgressListener.NONE);
        }

        TrainingResult train(int epochs, String optimizer, Map<String, String> options, ProgressListener listener) {
            state.fitNormalizers(state.config().getString("normalize"), X, Y);
            TrainingConfig cfg = TrainingConfig.defaults().withEpochs(epochs).withBatchSize(16).withLearningRate(3e-3).withOptimizer(optimizer).withSeed(4)
                    .withOptions(options);
            state.checkOptions(cfg, Set.of("scheduler"));
            return state.fit(model(), net.namedParameters(), TrainingData.of(X, Y), cfg, new MSELoss(), "none", listener);
        }

        Checkpoint save() { return state.toCheckpoint(net.stateDict(), Map.of("data/extra", Tensor.of(new float[] {7}, 1))); }

        static Op load(Checkpoint c) {
            Op o = new Op(TrainingState.restore(c, "mlp", SCHEMA));
            o.net.loadStateDict(c.group("model"));
            return o;
        }
    }

    private static Op fresh() { return new Op(new TrainingState("mlp", SCHEMA.resolve(Map.of("width", 8)), 5)); }

    @Test
    void aRunResumedFromACheckpointIsBitwiseTheUninterruptedOne() {
        List<EpochReport> full = fresh().train(6, "adam").history();
        Op first = fresh();
        first.train(3, "adam");
        Checkpoint c = first.save();
        Op resumed = Op.load(c);
        assertEquals(3, resumed.state.epoch());
        List<EpochReport> rest = resumed.train(3, "adam").history();
        assertEquals(4, rest.get(0).epoch(), "epochs are numbered on");
        for (int e = 0; e < 3; e++) assertEquals(full.get(3 + e).trainLoss(), rest.get(e).trainLoss(), 0.0, "epoch " + (4 + e));
        assertEquals(6, resumed.state.epoch());
        // control: without the optimizer's moments (another optimizer asked for) the run differs
        Op other = Op.load(c);
        List<EpochReport> sgd = other.train(3, "adamw").history();
        assertNotEquals(full.get(3).trainLoss(), sgd.get(0).trainLoss());
    }

    @Test
    void aCheckpointTakenAfterAnEpochDuringTheRunResumesThere() {
        List<EpochReport> full = fresh().train(6, "adam").history();
        Op running = fresh();
        Checkpoint[] taken = new Checkpoint[1];
        running.train(6, "adam", Map.of(), new ProgressListener() {
            @Override public void onEpoch(EpochReport r) {
                if (r.epoch() == 2) taken[0] = running.save();
            }
        });
        assertEquals(6, running.state.epoch(), "counted once at the end");
        assertEquals("2", taken[0].attribute("epoch"));
        Op resumed = Op.load(taken[0]);
        List<EpochReport> rest = resumed.train(4, "adam").history();
        for (int e = 0; e < 4; e++) assertEquals(full.get(2 + e).trainLoss(), rest.get(e).trainLoss(), 0.0, "epoch " + (3 + e));
    }

    @Test
    void theCheckpointHoldsTheSharedLayout() {
        Op op = fresh();
        op.train(2, "adam");
        Checkpoint c = op.save();
        assertEquals(List.of("operator", "config", "epoch", "seed", "rng_counter", "metrics", "optimizer_name"), List.copyOf(c.attributes().keySet()));
        assertEquals("mlp", c.attribute("operator"));
        assertEquals("{\"width\": 8, \"normalize\": \"pointwise\", \"loss_reduction\": \"mean\", \"validation_split\": 0.0, \"select_best\": false, \"eval_every\": 1}",
                c.attribute("config"));
        assertEquals("2", c.attribute("epoch"));
        assertEquals("5", c.attribute("seed"));
        assertEquals(Long.toString(op.state.rng().counter()), c.attribute("rng_counter"));
        assertEquals("adam", c.attribute("optimizer_name"));
        assertTrue(c.attribute("metrics").startsWith("{\"train_loss\": \""), c.attribute("metrics"));
        List<String> keys = List.copyOf(c.tensors().keySet());
        int model = keys.indexOf("model/" + op.net.stateDict().keySet().iterator().next());
        int in = keys.indexOf("normalizer/input/mean"), out = keys.indexOf("normalizer/target/std"), extra = keys.indexOf("data/extra");
        int opt = keys.indexOf("optimizer/lr");
        assertTrue(model == 0 && model < in && in < out && out < extra && extra < opt, keys.toString());
        // restored: same predictions, same metrics, same counter
        Op back = Op.load(c);
        assertArrayEquals(op.model().predict(X).toFloatArray(), back.model().predict(X).toFloatArray(), 0f);
        assertEquals(op.state.metrics(), back.state.metrics());
        assertEquals(c.attribute("rng_counter"), Long.toString(back.state.rng().counter()));
        // a restored state not trained again saves the optimizer state it was given
        assertEquals(c.tensors().keySet(), back.save().tensors().keySet());
    }

    @Test
    void theSharedLoopsKeysApplyFromTheConfiguration() {
        Op configured = new Op(new TrainingState("mlp", SCHEMA.resolve(Map.of("width", 8, "loss_reduction", "sum")), 5));
        List<EpochReport> fromConfig = configured.train(3, "sgd").history();
        List<EpochReport> fromOption = fresh().train(3, "sgd", Map.of(SupervisedTrainer.LOSS_REDUCTION, "sum")).history();
        List<EpochReport> mean = fresh().train(3, "sgd").history();
        for (int e = 0; e < 3; e++) assertEquals(fromOption.get(e).trainLoss(), fromConfig.get(e).trainLoss(), 0.0, "epoch " + (e + 1));
        assertNotEquals(mean.get(2).trainLoss(), fromConfig.get(2).trainLoss());
        // select_best from the configuration, with a split from the option; the checkpoint's metrics name the kept epoch
        Op best = new Op(new TrainingState("mlp", SCHEMA.resolve(Map.of("width", 8, "select_best", true)), 5));
        TrainingResult r = best.train(8, "adam", Map.of(SupervisedTrainer.VALIDATION_SPLIT, "0.25"));
        assertTrue(Double.isFinite(r.selected().validationLoss()));
        for (EpochReport e : r.history()) assertTrue(e.validationLoss() >= r.selected().validationLoss());
        assertEquals(r.selected().trainLoss(), Double.parseDouble(best.state.metrics().get("train_loss")), 0.0);
    }

    @Test
    void normalizersAreFittedOnceAndEitherSideMayStayRaw() {
        TrainingState s = new TrainingState("mlp", SCHEMA.resolve(Map.of()), 0);
        assertTrue(s.fitNormalizers("channel", null, Y));
        assertNull(s.inputNormalizer());
        assertArrayEquals(X.toFloatArray(), s.encodeInput(X).toFloatArray(), 0f);
        // channel mode: one scalar mean and unbiased std of all target values
        float[] y = Y.toFloatArray();
        double mean = 0, var = 0;
        for (float v : y) mean += v;
        mean /= y.length;
        for (float v : y) var += (v - mean) * (v - mean);
        double std = Math.sqrt(var / (y.length - 1));
        assertEquals(mean, s.targetNormalizer().toTensors().get("mean").item(), 1e-5 * Math.abs(mean));
        assertEquals(std, s.targetNormalizer().toTensors().get("std").item(), 1e-5 * std);
        assertEquals(Y.slice(0, 0, 1).toFloatArray()[0] * (std + UnitGaussianNormalizer.EPS) + mean,
                s.decodeTarget(Y.slice(0, 0, 1)).toFloatArray()[0], 1e-4);
        assertFalse(s.fitNormalizers("pointwise", X, Y), "fitted once");
        assertNull(s.inputNormalizer());
        assertFalse(new TrainingState("mlp", SCHEMA.resolve(Map.of()), 0).fitNormalizers("none", X, Y));
    }

    @Test
    void badInputIsNamed() {
        Op op = fresh();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> op.state.checkOptions(TrainingConfig.defaults().withOptions(Map.of("warmup", "3")), Set.of("scheduler")));
        assertTrue(e.getMessage().contains("'warmup'") && e.getMessage().contains("mlp") && e.getMessage().contains("scheduler"), e.getMessage());
        Checkpoint c = op.state.toCheckpoint(op.net.stateDict(), Map.of());
        e = assertThrows(IllegalArgumentException.class, () -> TrainingState.restore(c, "fno", SCHEMA));
        assertEquals("checkpoint holds operator 'mlp', not 'fno'", e.getMessage());
        assertNull(TrainingState.normalizerMode("None"));
        e = assertThrows(IllegalArgumentException.class, () -> TrainingState.normalizerMode("global"));
        assertTrue(e.getMessage().contains("'global'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> GridFields.check("mgno", 2, "in_channels", 3, "input", Tensor.zeros(4, 8, 8)));
        assertEquals("mgno with dims=2 and in_channels=3 takes input fields [N, 3, *grid] with 2 grid axes; found shape [4, 8, 8]", e.getMessage());
        assertArrayEquals(new int[] {8, 8}, GridFields.check("mgno", 2, "in_channels", 1, "input", Tensor.zeros(4, 8, 8)));
        e = assertThrows(IllegalArgumentException.class, () -> GridFields.checkSameGrid("mgno", 2, Tensor.zeros(4, 8, 8), Tensor.zeros(4, 4, 4)));
        assertTrue(e.getMessage().contains("[4, 8, 8]") && e.getMessage().contains("[4, 4, 4]"), e.getMessage());
    }
}
