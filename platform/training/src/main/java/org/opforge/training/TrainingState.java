package org.opforge.training;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.opforge.api.NeuralOperator;
import org.opforge.api.config.Config;
import org.opforge.api.config.ConfigSchema;
import org.opforge.api.config.FlatJson;
import org.opforge.api.data.Checkpoint;
import org.opforge.api.training.EpochReport;
import org.opforge.api.training.LabelSource;
import org.opforge.api.training.ProgressListener;
import org.opforge.api.training.TrainingConfig;
import org.opforge.api.training.TrainingData;
import org.opforge.api.training.TrainingResult;
import org.opforge.tensor.Device;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.nn.loss.Loss;
import org.opforge.tensor.nn.optim.LRScheduler;
import org.opforge.tensor.nn.optim.Optimizer;
import org.opforge.tensor.nn.optim.ReduceLROnPlateau;

/**
 * Everything a trainable operator holds besides its network: the resolved configuration (and its
 * JSON), the seed and the generator the weights were drawn from, the input/target
 * {@link UnitGaussianNormalizer}s, the optimizer (with the state of a loaded checkpoint waiting for
 * the next {@link #fit}), the epoch counter and the metrics of the last run; and the checkpoint
 * layout they are saved in. An operator wrapper holds one (composition rather than a base class, so
 * wrappers with any evaluation layout — fields, query points, point clouds — share it) and keeps
 * only its model, its layout checks and its loss.
 *
 * <p><b>Checkpoint layout</b> ({@link #toCheckpoint}, read back by {@link #restore}): attributes
 * {@code operator}, {@code config} (FlatJson), {@code epoch}, {@code seed}, {@code rng_counter},
 * {@code metrics} (FlatJson object of strings), {@code optimizer_name} when there is optimizer state;
 * tensors {@code model/*}, {@code normalizer/input/*}, {@code normalizer/target/*}, the operator's
 * own extra tensors, {@code optimizer/*}.
 *
 * <p><b>Resume</b>: each {@link #fit} trains {@code cfg.epochs()} more epochs numbered on from
 * {@link #epoch()}, so the shared loop draws the same batches as an uninterrupted run, and keeps the
 * optimizer of the previous call (or restores a checkpoint's moments) while the same optimizer is
 * asked for: with a constant learning rate a run resumed from a checkpoint is bitwise the
 * uninterrupted one. With a schedule, the option {@link SupervisedTrainer#RESUME} makes it so as well:
 * the schedule then spans all epochs, those of the checkpoint and those of the call, and is stepped
 * past the checkpoint's before the first new epoch (the plateau schedule, whose state a checkpoint does
 * not keep, is refused).
 *
 * <p>The configuration's JSON is formed whenever the configuration is set, so writing a checkpoint
 * loads no class a hot-updated bundle's old wiring could no longer load. Not thread-safe.
 */
public final class TrainingState {
    private final String operator;
    private Config config;
    private String configJson;
    private final long seed;
    private final Rng rng;
    private UnitGaussianNormalizer inputNormalizer;
    private UnitGaussianNormalizer targetNormalizer;
    private Optimizer optimizer;
    private String optimizerName;
    private Map<String, Tensor> savedOptimizerState = Map.of();
    private String savedOptimizerName;
    private int epoch;
    private final Map<String, String> metrics = new LinkedHashMap<>();

    /**
     * A fresh state: no normalizers, no optimizer, epoch 0.
     *
     * @param operator the name written to the checkpoint's {@value NeuralOperator#OPERATOR_ATTRIBUTE} attribute
     * @param seed     seeds {@link #rng()}, which the wrapper draws its initial weights from
     */
    public TrainingState(String operator, Config config, long seed) {
        this.operator = operator;
        this.seed = seed;
        this.rng = new Rng(seed);
        setConfig(config);
    }

    /**
     * The state saved in {@code checkpoint} by {@link #toCheckpoint}, after checking it holds
     * {@code operator}; {@code schema} resolves its configuration. The wrapper builds its network from
     * {@link #config()} and {@link #rng()}, then loads {@code checkpoint.group("model")}.
     *
     * @throws IllegalArgumentException when the checkpoint holds another operator or a configuration the schema rejects
     */
    public static TrainingState restore(Checkpoint checkpoint, String operator, ConfigSchema schema) {
        String op = checkpoint.attribute(NeuralOperator.OPERATOR_ATTRIBUTE);
        if (!op.equals(operator)) throw new IllegalArgumentException("checkpoint holds operator '" + op + "', not '" + operator + "'");
        Map<String, String> attrs = checkpoint.attributes();
        TrainingState s = new TrainingState(operator, schema.resolve(FlatJson.read(checkpoint.attribute("config"))),
                Long.parseLong(attrs.getOrDefault("seed", "0")));
        Map<String, Tensor> in = checkpoint.group("normalizer/input"), out = checkpoint.group("normalizer/target");
        s.inputNormalizer = in.isEmpty() ? null : UnitGaussianNormalizer.fromTensors(in);
        s.targetNormalizer = out.isEmpty() ? null : UnitGaussianNormalizer.fromTensors(out);
        s.savedOptimizerState = checkpoint.group("optimizer");
        s.savedOptimizerName = attrs.get("optimizer_name");
        s.epoch = Integer.parseInt(attrs.getOrDefault("epoch", "0"));
        FlatJson.read(attrs.getOrDefault("metrics", "{}")).forEach((k, v) -> s.metrics.put(k, String.valueOf(v)));
        return s;
    }

    // ---------------------------------------------------------------------------------------------
    // configuration, seed, counters
    // ---------------------------------------------------------------------------------------------

    public Config config() { return config; }

    /** Replaces the configuration (e.g. with sizes taken from the first data); its JSON is formed now. */
    public void setConfig(Config config) {
        this.config = config;
        this.configJson = FlatJson.write(config.values());
    }

    public long seed() { return seed; }

    /** The generator of the initial weights; its counter is saved so a rebuilt model can draw on where it stopped. */
    public Rng rng() { return rng; }

    /**
     * Epochs trained so far, over all {@link #fit} calls and the checkpoint this state was restored
     * from; during {@link #fit}, the epochs finished so far (a listener's checkpoint after an epoch
     * holds that epoch).
     */
    public int epoch() { return epoch; }

    /** The last run's train/validation loss and wall time, plus what the checkpoint held; a copy. */
    public Map<String, String> metrics() { return new LinkedHashMap<>(metrics); }

    /**
     * Checks the keys of {@code cfg.options()} against those the operator reads ({@code known}) and
     * those of the shared loop ({@link SupervisedTrainer#OPTIONS}).
     *
     * @throws IllegalArgumentException naming the first unknown key and the known ones
     */
    public void checkOptions(TrainingConfig cfg, Set<String> known) {
        for (String k : cfg.options().keySet()) {
            if (!known.contains(k) && !SupervisedTrainer.OPTIONS.contains(k)) {
                Set<String> all = new TreeSet<>(known);
                all.addAll(SupervisedTrainer.OPTIONS);
                throw new IllegalArgumentException("training option '" + k + "' is unknown to " + operator + "; known: " + all);
            }
        }
    }

    /**
     * Copies the normalizers and the epoch count of {@code other} (a derived operator, e.g. a
     * compressed copy, evaluates like its source); not the optimizer, whose parameters differ.
     */
    public void inheritFrom(TrainingState other) {
        inputNormalizer = other.inputNormalizer;
        targetNormalizer = other.targetNormalizer;
        epoch = other.epoch;
    }

    // ---------------------------------------------------------------------------------------------
    // normalizers
    // ---------------------------------------------------------------------------------------------

    /**
     * Fits the normalizers on the first training data: {@code mode} is a config's {@code normalize}
     * value, "none", "pointwise" or "channel" (case-insensitive); {@code inputs} null leaves inputs raw
     * (MgNO's reference), {@code targets} null leaves outputs raw (e.g. a physics loss written for the
     * raw output). Does nothing once fitted or restored.
     *
     * @return whether normalizers were fitted now
     */
    public boolean fitNormalizers(String mode, Tensor inputs, Tensor targets) {
        UnitGaussianNormalizer.Mode m = normalizerMode(mode);
        if (m == null || inputNormalizer != null || targetNormalizer != null) return false;
        if (inputs != null) inputNormalizer = UnitGaussianNormalizer.fit(inputs, m);
        if (targets != null) targetNormalizer = UnitGaussianNormalizer.fit(targets, m);
        return true;
    }

    /** The mode a {@code normalize} config value names, null for "none". */
    public static UnitGaussianNormalizer.Mode normalizerMode(String mode) {
        return switch (mode.toLowerCase(Locale.ROOT)) {
            case "none" -> null;
            case "pointwise" -> UnitGaussianNormalizer.Mode.POINTWISE;
            case "channel" -> UnitGaussianNormalizer.Mode.CHANNEL;
            default -> throw new IllegalArgumentException("normalize: expected none, pointwise or channel, found '" + mode + "'");
        };
    }

    /** The input normalizer, null when inputs are used raw. */
    public UnitGaussianNormalizer inputNormalizer() { return inputNormalizer; }

    /** The target normalizer, null when outputs are raw. */
    public UnitGaussianNormalizer targetNormalizer() { return targetNormalizer; }

    /** Encoded inputs ({@code x} itself without input normalizer). */
    public Tensor encodeInput(Tensor x) { return inputNormalizer == null ? x : inputNormalizer.encode(x); }

    /** Decoded outputs ({@code y} itself without target normalizer); differentiable. */
    public Tensor decodeTarget(Tensor y) { return targetNormalizer == null ? y : targetNormalizer.decode(y); }

    // ---------------------------------------------------------------------------------------------
    // training
    // ---------------------------------------------------------------------------------------------

    /**
     * The optimizer for a run with {@code cfg} over {@code params}: the previous run's when it is the
     * same optimizer (learning rate reset to {@code cfg.learningRate()}), else a new one, which takes
     * a restored checkpoint's moments when that checkpoint used the same optimizer.
     */
    public Optimizer optimizer(TrainingConfig cfg, Map<String, Tensor> params) {
        if (optimizer == null || !cfg.optimizer().equals(optimizerName)) {
            optimizer = Optimizers.create(cfg.optimizer(), params, cfg.learningRate(), cfg.weightDecay());
            optimizerName = cfg.optimizer();
            if (!savedOptimizerState.isEmpty() && cfg.optimizer().equals(savedOptimizerName)) optimizer.loadStateDict(savedOptimizerState);
            savedOptimizerState = Map.of();
            savedOptimizerName = null;
        }
        optimizer.setLr(cfg.learningRate());
        return optimizer;
    }

    /**
     * Runs {@link SupervisedTrainer#fit} for {@code cfg.epochs()} more epochs with {@link #optimizer}
     * over {@code params} and the schedule {@code scheduler} (as {@link Optimizers#schedule}, over
     * these epochs, or {@code plateau:FACTOR:PATIENCE} on the training loss; with the option
     * {@link SupervisedTrainer#RESUME} over the whole run, continuing after {@link #epoch()}), then counts the epochs and
     * records the metrics (losses of the epoch whose weights the model keeps). The loop's options not in
     * {@code cfg} are taken from the configuration ({@link SupervisedTrainer#withConfigOptions}). The model
     * is left in evaluation mode.
     */
    public TrainingResult fit(SupervisedTrainer.Model model, Map<String, Tensor> params, TrainingData data, TrainingConfig cfg,
                              Loss loss, String scheduler, ProgressListener listener) {
        return fit(model, params, data, null, cfg, loss, scheduler, listener);
    }

    /**
     * As {@link #fit(SupervisedTrainer.Model, Map, TrainingData, TrainingConfig, Loss, String, ProgressListener)}
     * with the targets of each epoch from {@code labels} (null: the data's own); its time is recorded
     * as the metric {@code label_seconds}.
     */
    public TrainingResult fit(SupervisedTrainer.Model model, Map<String, Tensor> params, TrainingData data, LabelSource labels,
                              TrainingConfig cfg, Loss loss, String scheduler, ProgressListener listener) {
        cfg = SupervisedTrainer.withConfigOptions(cfg, config);
        Optimizer opt = optimizer(cfg, params);
        ReduceLROnPlateau plateau = Optimizers.plateau(scheduler, opt);
        int start = epoch;
        boolean resume = Boolean.parseBoolean(cfg.options().getOrDefault(SupervisedTrainer.RESUME, "false"));
        if (resume && plateau != null) {
            throw new IllegalArgumentException("scheduler '" + scheduler + "': a resumed run cannot continue a plateau schedule, whose state "
                    + "(best loss, epochs without improvement, reduced learning rate) checkpoints do not keep; resume is exact with none, "
                    + "step, cosine and onecycle");
        }
        LRScheduler schedule = plateau == null ? Optimizers.schedule(scheduler, opt, resume ? start + cfg.epochs() : cfg.epochs()) : null;
        if (resume && schedule != null) {
            for (int e = 0; e < start; e++) schedule.step();
        }
        // the epoch counter follows the run, so a checkpoint taken by the listener after an epoch resumes there
        ProgressListener progress = new ProgressListener() {
            @Override public void onStep(long done, long total) { listener.onStep(done, total); }

            @Override public void onEpoch(EpochReport report) {
                if (plateau != null) plateau.step(report.trainLoss());
                epoch = report.epoch();
                listener.onEpoch(report);
            }
        };
        TrainingResult result;
        try {
            result = SupervisedTrainer.fit(model, data, labels, cfg.withEpochs(start + cfg.epochs()), loss, opt, schedule, start + 1, progress);
        } finally {
            model.train(false);
            epoch = start;
        }
        record(result);
        if (labels != null) metrics.put("label_seconds", String.format(Locale.ROOT, "%.3f", labels.seconds()));
        return result;
    }

    /**
     * Counts the epochs of a finished run and records its metrics (those of the epoch whose weights
     * the model keeps); {@link #fit} does this, an operator with its own loop calls it (numbering its
     * epochs on from {@link #epoch()} + 1 and training with {@link #optimizer}).
     */
    public void record(TrainingResult result) {
        epoch += result.history().size();
        EpochReport kept = result.selected();
        metrics.put("train_loss", Double.toString(kept.trainLoss()));
        if (!Double.isNaN(kept.validationLoss())) metrics.put("validation_loss", Double.toString(kept.validationLoss()));
        kept.metrics().forEach((k, v) -> metrics.put("validation_" + k, Double.toString(v)));
        metrics.put("train_seconds", String.format(Locale.ROOT, "%.3f", result.seconds()));
        if (kept != result.last()) metrics.put("selected_epoch", Integer.toString(kept.epoch()));
        else metrics.remove("selected_epoch");
    }

    // ---------------------------------------------------------------------------------------------
    // checkpoints
    // ---------------------------------------------------------------------------------------------

    /**
     * The checkpoint of an operator whose network state is {@code model}; {@code extra} (full names,
     * e.g. {@code data/points}) holds what else the operator needs to evaluate. Tensors are copied to
     * the CPU.
     */
    public Checkpoint toCheckpoint(Map<String, Tensor> model, Map<String, Tensor> extra) {
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put(NeuralOperator.OPERATOR_ATTRIBUTE, operator);
        attrs.put("config", configJson);
        attrs.put("epoch", Integer.toString(epoch));
        attrs.put("seed", Long.toString(seed));
        attrs.put("rng_counter", Long.toString(rng.counter()));
        attrs.put("metrics", FlatJson.write(metrics));
        Map<String, Tensor> optimizerState = optimizer != null ? optimizer.stateDict() : savedOptimizerState;
        String name = optimizer != null ? optimizerName : savedOptimizerName;
        if (!optimizerState.isEmpty() && name != null) attrs.put("optimizer_name", name);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        model.forEach((k, v) -> tensors.put("model/" + k, v.to(Device.CPU)));
        if (inputNormalizer != null) inputNormalizer.toTensors().forEach((k, v) -> tensors.put("normalizer/input/" + k, v));
        if (targetNormalizer != null) targetNormalizer.toTensors().forEach((k, v) -> tensors.put("normalizer/target/" + k, v));
        extra.forEach((k, v) -> tensors.put(k, v.to(Device.CPU)));
        optimizerState.forEach((k, v) -> tensors.put("optimizer/" + k, v.to(Device.CPU)));
        return new Checkpoint(attrs, tensors);
    }
}
