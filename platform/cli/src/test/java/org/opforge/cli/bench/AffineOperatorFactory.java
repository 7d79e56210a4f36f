package org.opforge.cli.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import org.opforge.api.NeuralOperator;
import org.opforge.api.OperatorFactory;
import org.opforge.api.TrainableOperator;
import org.opforge.api.TrainableWithLabels;
import org.opforge.api.config.ConfigParameter;
import org.opforge.api.config.ConfigSchema;
import org.opforge.api.data.Checkpoint;
import org.opforge.api.training.LabelSource;
import org.opforge.api.training.ProgressListener;
import org.opforge.api.training.TrainingConfig;
import org.opforge.api.training.TrainingData;
import org.opforge.api.training.TrainingResult;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.nn.loss.MSELoss;
import org.opforge.training.SupervisedTrainer;
import org.opforge.training.TrainingState;

/**
 * A test operator found through ServiceLoader: the pointwise map {@code y = w x + b} with two
 * scalar weights, trained by the shared loop. It works at any resolution, so it exercises the
 * whole run path (config, data, training, failure recording, metrics, checkpoints) in milliseconds.
 */
public final class AffineOperatorFactory implements OperatorFactory {
    static final ConfigSchema SCHEMA = new ConfigSchema(java.util.stream.Stream.concat(java.util.stream.Stream.of(
            ConfigParameter.string("data.input", "x", "input field"),
            ConfigParameter.string("data.target", "y", "target field"),
            ConfigParameter.integer("epochs", 5, "epochs"),
            ConfigParameter.integer("batch_size", 8, "batch size"),
            ConfigParameter.number("lr", 0.05, "learning rate"),
            ConfigParameter.number("weight_decay", 0.0, "weight decay"),
            ConfigParameter.choice("optimizer", "adam", "optimizer", "adam", "adamw", "sgd"),
            ConfigParameter.string("scheduler", "none", "schedule"),
            ConfigParameter.number("init_scale", 0.1, "scale of the initial weights"),
            ConfigParameter.string("data.labels", "", "label source to train on (test-target)")), SupervisedTrainer.configParameters().stream()).toList());

    @Override public String name() { return "test-affine"; }

    @Override public String description() { return "pointwise affine map (test operator)"; }

    @Override public ConfigSchema configSchema() { return SCHEMA; }

    @Override
    public TrainableOperator create(Map<String, ?> config, long seed) {
        TrainingState state = new TrainingState("test-affine", SCHEMA.resolve(config), seed);
        Rng rng = state.rng();
        double s = state.config().getDouble("init_scale");
        return new Affine(state, Tensor.of(new float[] {(float) (s * rng.nextNormal())}, 1), Tensor.of(new float[] {(float) (s * rng.nextNormal())}, 1));
    }

    @Override
    public NeuralOperator load(Checkpoint checkpoint) {
        // like the real operators' loaders: 'metrics' must stay a JSON object of strings
        Json.object(checkpoint.attribute("metrics")).forEach((k, v) -> {
            if (!(v instanceof String)) throw new IllegalArgumentException("metrics: '" + k + "' is not a string");
        });
        return new Affine(TrainingState.restore(checkpoint, "test-affine", SCHEMA), checkpoint.tensor("model/w"), checkpoint.tensor("model/b"));
    }

    /** The map and its {@link TrainingState}, so a checkpoint resumes exactly as the real operators' do. */
    static final class Affine implements TrainableWithLabels {
        final TrainingState state;
        final Tensor w, b;

        Affine(TrainingState state, Tensor w, Tensor b) {
            this.state = state;
            this.w = w.detach().requiresGrad(true);
            this.b = b.detach().requiresGrad(true);
        }

        @Override public String name() { return "test-affine"; }

        @Override public Tensor apply(Tensor input) {
            return input.to(DType.FLOAT32).mul(w.detach()).add(b.detach());
        }

        @Override public long parameterCount() { return 2; }

        @Override public Checkpoint toCheckpoint() {
            return state.toCheckpoint(params(), Map.of());
        }

        private Map<String, Tensor> params() {
            Map<String, Tensor> params = new LinkedHashMap<>();
            params.put("w", w);
            params.put("b", b);
            return params;
        }

        @Override
        public TrainingResult train(TrainingData data, TrainingConfig cfg, ProgressListener listener) {
            return train(data, null, cfg, listener);
        }

        @Override
        public TrainingResult train(TrainingData data, LabelSource labels, TrainingConfig cfg, ProgressListener listener) {
            state.checkOptions(cfg, java.util.Set.of("scheduler"));
            if (!cfg.device().equals(Device.CPU)) throw new IllegalArgumentException("test-affine runs on the CPU only");
            SupervisedTrainer.Model m = new SupervisedTrainer.Model() {
                @Override public Tensor predict(Tensor x) { return x.mul(w).add(b); }

                @Override public void train(boolean on) {}
            };
            return state.fit(m, params(), data, labels, cfg, new MSELoss(), cfg.options().getOrDefault("scheduler", "none"), listener);
        }
    }
}
