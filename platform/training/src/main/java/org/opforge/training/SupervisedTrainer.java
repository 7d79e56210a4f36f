package org.opforge.training;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.opforge.api.config.Config;
import org.opforge.api.config.ConfigParameter;
import org.opforge.api.training.EpochReport;
import org.opforge.api.training.LabelSource;
import org.opforge.api.training.ProgressListener;
import org.opforge.api.training.TrainingConfig;
import org.opforge.api.training.TrainingData;
import org.opforge.api.training.TrainingResult;
import org.opforge.tensor.GradMode;
import org.opforge.tensor.Rng;
import org.opforge.tensor.StepScope;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.nn.loss.Loss;
import org.opforge.tensor.nn.optim.LRScheduler;
import org.opforge.tensor.nn.optim.Optimizer;

/**
 * The mini-batch training loop every operator shares: each epoch visits the training samples in a
 * permutation drawn from {@code Rng(seed).fork(epoch)} (so a run resumed at epoch k sees the same
 * batches as an uninterrupted one), minimises the loss on decoded predictions with the optimizer,
 * steps the schedule once per epoch, and evaluates the validation set (mean loss, no graph).
 *
 * <p>Options of {@link TrainingConfig#options()} it reads ({@link #OPTIONS}); operators declare the
 * matching configuration keys with {@link #configParameters()}:
 * <ul>
 * <li>{@value #TIME_BUDGET}: stop with a failure after this many seconds;</li>
 * <li>{@value #LOSS_REDUCTION}: {@code mean} (default) or {@code sum}. The loss is a mean over the
 * batch's samples, {@code L_B = (1/B) sum_i l_i}; with {@code sum} the step minimises
 * {@code B L_B = sum_i l_i}, as the MgNO reference does. With L2-style weight decay {@code lambda}
 * (Adam, SGD) the gradient is {@code sum_i grad l_i + lambda w}, so the decay weighs as
 * {@code lambda / B} does with {@code mean}; with Adam the step is otherwise almost invariant to the
 * factor. Reported losses are per-sample means either way;</li>
 * <li>{@value #VALIDATION_SPLIT}: a fraction {@code f} in [0, 1): when the data has no validation set,
 * its last {@code ceil(f N)} samples become one and are not trained on (normalizers an operator
 * fitted before the loop saw them; split the data before {@code train} to avoid that);</li>
 * <li>{@value #SELECT_BEST}: {@code true} keeps the weights of the epoch with the lowest validation
 * loss (the first such epoch) and restores them after the last epoch; {@link TrainingResult#selectedEpoch()}
 * says which. The optimizer's moments stay those of the last epoch. Needs a validation set.</li>
 * <li>{@value #EVAL_EVERY}: a positive k; the validation set (its loss and the model's
 * {@link Model#validationMetrics further measures}) is evaluated after every k-th epoch and after
 * the last one (default 1: every epoch); other epochs report {@code NaN} and no measures.</li>
 * </ul>
 *
 * <p><b>Masks.</b> With a {@link TrainingData#mask() mask} {@code m} (1 where a target value counts, 0
 * where it does not: the nodes outside the domain of a masked grid) every loss of the loop, training
 * and validation, is the loss of the masked fields {@link #masked}: {@code loss(m p, m y)}, so the
 * values where {@code m = 0} of neither the prediction nor the target enter it. For the relative L2 this
 * is exactly the error over the inside nodes, {@code sqrt(sum_k m_k (p_k - y_k)^2 / sum_k m_k y_k^2)} per
 * sample. Only a model that {@link Model#supportsMasks() supports masks} trains on masked data.
 *
 * <p>Under a {@link GradientReduction} (data-parallel replicas) each replica computes its share of every
 * batch and the reduced gradient is applied between the backward pass and the optimizer step.
 */
public final class SupervisedTrainer {
    private SupervisedTrainer() {}

    /** The samples (positions along the first axis of {@code y}) whose values are all zero. */
    private static List<Integer> zeroSamples(Tensor y) {
        double[] v = y.toDoubleArray();
        int n = y.size(0);
        int per = n == 0 ? 0 : v.length / n;
        List<Integer> zero = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean all = true;
            for (int k = i * per; k < (i + 1) * per && all; k++) all = v[k] == 0;
            if (all) zero.add(i);
        }
        return zero;
    }

    /** What the loop needs of a model. */
    public interface Model {
        /** Decoded predictions for a batch of inputs (sample axis first). */
        Tensor predict(Tensor inputs);

        /** Switches dropout/normalization layers between training and evaluation behaviour. */
        void train(boolean on);

        /**
         * The loss of one batch, with its gradient accumulated into the parameters. A model that
         * processes a batch in parts to bound its memory (MG-TFNO's patch groups) overrides this; the
         * loss and gradients must equal those of {@code loss(predict(inputs), targets)}.
         */
        default double lossAndBackward(Tensor inputs, Tensor targets, Loss loss) {
            Tensor l = loss.apply(predict(inputs), targets);
            double value = l.item();
            if (Double.isFinite(value)) l.backward();
            return value;
        }

        /**
         * Whether the model trains on masked data ({@link TrainingData#mask()}); false by default, and
         * the loop then refuses masked data. A model that says yes must not let the targets where the
         * mask is 0 into anything it fits (such as a target normalizer).
         */
        default boolean supportsMasks() {
            return false;
        }

        /**
         * Validation measures besides the loss, by name (e.g. the relative L2 of a reconstructed
         * input), computed without a graph in evaluation mode whenever the validation loss is; none by default.
         */
        default Map<String, Double> validationMetrics(TrainingData validation, int batch) {
            return Map.of();
        }
    }

    /** Option key in {@link TrainingConfig#options()}: stop with a failure after this many seconds. */
    public static final String TIME_BUDGET = "time_budget_s";

    /** Option and config key: {@code mean} or {@code sum} of the per-sample losses of a batch. */
    public static final String LOSS_REDUCTION = "loss_reduction";

    /** Option and config key: the fraction of the training samples (the last ones) held out for validation when no validation set is given. */
    public static final String VALIDATION_SPLIT = "validation_split";

    /** Option and config key: {@code true} restores the weights of the epoch with the lowest validation loss. */
    public static final String SELECT_BEST = "select_best";

    /** Option and config key: evaluate the validation set after every k-th epoch (and the last). */
    public static final String EVAL_EVERY = "eval_every";

    /**
     * Option key (not a configuration key: it belongs to one call): {@code true} continues an
     * interrupted run ({@link TrainingState#fit}): the learning-rate schedule spans the whole run, the
     * epochs trained before and the {@code epochs} of this call, and starts where the earlier epochs left it.
     */
    public static final String RESUME = "resume";

    /** The option keys this loop reads; an operator accepts them besides its own. */
    public static final Set<String> OPTIONS = Set.of(TIME_BUDGET, LOSS_REDUCTION, VALIDATION_SPLIT, SELECT_BEST, EVAL_EVERY, RESUME);

    /** The configuration keys every operator's schema declares for the options of this loop. */
    public static List<ConfigParameter> configParameters() {
        return List.of(
                ConfigParameter.choice(LOSS_REDUCTION, "mean", "batch reduction of the training loss: mean or sum of the per-sample losses "
                        + "(sum: the MgNO reference; weight decay then weighs 1/batch as much)", "mean", "sum"),
                ConfigParameter.number(VALIDATION_SPLIT, 0.0, "fraction of the training samples (the last ones) held out as the validation set "
                        + "when no validation file is given; 0 = none"),
                ConfigParameter.bool(SELECT_BEST, false, "keep the weights of the epoch with the lowest validation loss (needs a validation set)"),
                ConfigParameter.integer(EVAL_EVERY, 1, "evaluate the validation set (loss and the model's further measures) after every k-th "
                        + "epoch and the last"));
    }

    /**
     * {@code cfg} with the loop's options that it does not set taken from an operator's resolved
     * configuration (the keys of {@link #configParameters()} it declares), so a key set in the
     * configuration applies however the operator is trained.
     */
    public static TrainingConfig withConfigOptions(TrainingConfig cfg, Config config) {
        Map<String, String> options = new LinkedHashMap<>(cfg.options());
        for (ConfigParameter p : configParameters()) {
            Object v = config.values().get(p.name());
            if (v != null && !options.containsKey(p.name()) && !v.equals(p.defaultValue())) options.put(p.name(), String.valueOf(v));
        }
        return options.size() == cfg.options().size() ? cfg : cfg.withOptions(options);
    }

    /**
     * Trains epochs {@code firstEpoch..cfg.epochs()} (1-based) and returns their reports.
     *
     * @throws TrainingFailedException when the loss is not finite or the time budget is exceeded
     */
    public static TrainingResult fit(Model model, TrainingData data, TrainingConfig cfg, Loss loss, Optimizer optimizer,
                                     LRScheduler schedule, int firstEpoch, ProgressListener listener) {
        return fit(model, data, null, cfg, loss, optimizer, schedule, firstEpoch, listener);
    }

    /**
     * As {@link #fit(Model, TrainingData, TrainingConfig, Loss, Optimizer, LRScheduler, int, ProgressListener)}
     * with the targets of each epoch from {@code labels} (null: {@code data.targets()}).
     */
    public static TrainingResult fit(Model model, TrainingData data, LabelSource labels, TrainingConfig cfg, Loss loss, Optimizer optimizer,
                                     LRScheduler schedule, int firstEpoch, ProgressListener listener) {
        boolean sum = switch (cfg.options().getOrDefault(LOSS_REDUCTION, "mean")) {
            case "mean" -> false;
            case "sum" -> true;
            default -> throw new IllegalArgumentException(LOSS_REDUCTION + ": expected mean or sum, found '" + cfg.options().get(LOSS_REDUCTION) + "'");
        };
        data = holdOut(data, cfg);
        Tensor mask = data.mask().orElse(null);
        if (mask != null) {
            if (!model.supportsMasks()) {
                throw new IllegalArgumentException("the training data has a mask (data.mask) but this operator does not support masked training; "
                        + "train it on data without a mask");
            }
            checkMask("training", mask);
            if (data.validation().isPresent()) {
                checkMask("validation", data.validation().get().mask().orElseThrow(() -> new IllegalArgumentException(
                        "the training data has a mask (data.mask) but its validation set has none")));
            }
        }
        boolean selectBest = flag(cfg, SELECT_BEST);
        int evalEvery = positive(cfg, EVAL_EVERY);
        if (selectBest && data.validation().isEmpty()) {
            throw new IllegalArgumentException(SELECT_BEST + " needs a validation set: give a validation file or " + VALIDATION_SPLIT + " > 0");
        }
        Map<String, Tensor> params = optimizer.parameters();
        Map<String, Tensor> best = null;
        double bestLoss = Double.POSITIVE_INFINITY;
        int bestEpoch = 0;
        int n = data.samples();
        int batch = Math.min(cfg.batchSize(), n);
        int batchesPerEpoch = (n + batch - 1) / batch;
        long totalSteps = (long) batchesPerEpoch * (cfg.epochs() - firstEpoch + 1);
        double budget = Double.parseDouble(cfg.options().getOrDefault(TIME_BUDGET, "Infinity"));
        long start = System.nanoTime();
        long done = 0;
        List<EpochReport> history = new ArrayList<>();
        GradientReduction replicas = GradientReduction.current();
        for (int epoch = firstEpoch; epoch <= cfg.epochs(); epoch++) {
            Tensor targets = labels == null ? data.targets() : labels.targets(epoch);
            // a held-out validation split keeps the first samples for training, as the label source's rows
            if (labels != null && targets.dim() > 0 && targets.size(0) > n) targets = targets.slice(0, 0, n);
            if (!java.util.Arrays.equals(targets.shape(), data.targets().shape())) {
                throw new IllegalArgumentException("the label source's targets for epoch " + epoch + " have shape "
                        + java.util.Arrays.toString(targets.shape()) + ", the training data's " + java.util.Arrays.toString(data.targets().shape()));
            }
            long t0 = System.nanoTime();
            model.train(true);
            int[] perm = new Rng(cfg.seed()).fork(epoch).permutation(n);
            double total = 0;
            for (int b = 0; b < batchesPerEpoch; b++) {
                int from = b * batch, to = Math.min(n, from + batch);
                int size = to - from;
                int[] batchRows = java.util.Arrays.copyOfRange(perm, from, to);
                // a data-parallel replica computes its share of the global batch
                int[] idx = replicas != null ? replicas.share(batchRows) : batchRows;
                double value = 0;
                Tensor y = null;
                // the step's activations go back to the pool when it ends, for the next step to reuse (StepScope)
                try (StepScope ignored = StepScope.begin()) {
                    optimizer.zeroGrad();
                    if (idx.length > 0) {
                        Tensor x = data.inputs().indexSelect(0, idx).to(cfg.device());
                        y = targets.indexSelect(0, idx).to(cfg.device());
                        Loss batchLoss = mask == null ? loss : masked(loss, mask.indexSelect(0, idx).to(cfg.device()));
                        value = sum ? model.lossAndBackward(x, y, (p, t) -> batchLoss.apply(p, t).mul(size)) / size
                                : model.lossAndBackward(x, y, batchLoss);
                    }
                    if (replicas != null) value = replicas.reduce(optimizer.parameters(), value, idx.length, size);
                    if (!Double.isFinite(value)) {
                        List<Integer> zero = y == null ? List.of() : zeroSamples(y);
                        // a relative loss divides by the target's norm: zero targets, not the step size, make it non-finite
                        throw new TrainingFailedException("loss is " + value + " at epoch " + epoch + ", batch " + (b + 1) + (zero.isEmpty()
                                ? " (learning rate " + optimizer.lr() + ")"
                                : ": " + zero.size() + " target samples (" + zero.stream().map(i -> idx[i]).sorted().limit(5).toList()
                                        + (zero.size() > 5 ? " ..." : "") + ") are zero everywhere, and the relative loss "
                                        + "divides by the target's norm; use data with non-zero targets or set loss to mse"));
                    }
                    optimizer.step();
                }
                total += value * size;
                listener.onStep(++done, totalSteps);
                double elapsed = (System.nanoTime() - start) / 1e9;
                if (elapsed > budget) {
                    throw new TrainingFailedException(String.format("time budget of %.0f s exceeded at epoch %d (%.1f s)", budget, epoch, elapsed));
                }
            }
            if (schedule != null) schedule.step();
            boolean validate = data.validation().isPresent() && (epoch % evalEvery == 0 || epoch == cfg.epochs());
            double validation = validate ? evaluate(model, data.validation().get(), loss, batch, cfg) : Double.NaN;
            Map<String, Double> measures = validate ? measures(model, data.validation().get(), batch) : Map.of();
            EpochReport report = new EpochReport(epoch, cfg.epochs(), total / n, validation, (System.nanoTime() - t0) / 1e9, measures);
            history.add(report);
            if (selectBest && validation < bestLoss) {
                bestLoss = validation;
                bestEpoch = epoch;
                best = copies(params, best);
            }
            listener.onEpoch(report);
        }
        model.train(false);
        if (bestEpoch > 0 && bestEpoch < cfg.epochs()) {
            for (Map.Entry<String, Tensor> e : params.entrySet()) e.getValue().assign(best.get(e.getKey()));
        }
        return new TrainingResult(history, bestEpoch > 0 ? bestEpoch : history.get(history.size() - 1).epoch());
    }

    /**
     * {@code data} with its last {@code ceil(f N)} samples as the validation set when
     * {@value #VALIDATION_SPLIT} is {@code f > 0} and it has none; {@code data} itself otherwise. The
     * points are kept as given (the loop does not read them; per-sample points travel in the inputs).
     *
     * @throws IllegalArgumentException when f is outside [0, 1) or leaves no training sample
     */
    public static TrainingData holdOut(TrainingData data, TrainingConfig cfg) {
        String given = cfg.options().getOrDefault(VALIDATION_SPLIT, "0");
        double f;
        try {
            f = Double.parseDouble(given);
        } catch (NumberFormatException e) {
            f = Double.NaN;
        }
        if (!(f >= 0 && f < 1)) throw new IllegalArgumentException(VALIDATION_SPLIT + ": expected a fraction in [0, 1), found '" + given + "'");
        if (f == 0 || data.validation().isPresent()) return data;
        int n = data.samples(), held = (int) Math.ceil(f * n);
        if (held >= n) throw new IllegalArgumentException(VALIDATION_SPLIT + " " + given + " of " + n + " samples leaves none to train on");
        Optional<Tensor> mask = data.mask();
        TrainingData rest = new TrainingData(data.inputs().slice(0, n - held, n), data.targets().slice(0, n - held, n), data.points(), Optional.empty(),
                mask.map(m -> m.slice(0, n - held, n)));
        return new TrainingData(data.inputs().slice(0, 0, n - held), data.targets().slice(0, 0, n - held), data.points(), Optional.of(rest),
                mask.map(m -> m.slice(0, 0, n - held)));
    }

    private static int positive(TrainingConfig cfg, String key) {
        String v = cfg.options().getOrDefault(key, "1");
        try {
            int k = Integer.parseInt(v);
            if (k >= 1) return k;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(key + ": expected a positive integer, found '" + v + "'");
    }

    private static Map<String, Double> measures(Model model, TrainingData validation, int batch) {
        model.train(false);
        try (GradMode.Scope s = GradMode.noGrad()) {
            return model.validationMetrics(validation, batch);
        } finally {
            model.train(true);
        }
    }

    private static boolean flag(TrainingConfig cfg, String key) {
        String v = cfg.options().getOrDefault(key, "false");
        if (!v.equals("true") && !v.equals("false")) throw new IllegalArgumentException(key + ": expected true or false, found '" + v + "'");
        return v.equals("true");
    }

    /** Copies of the parameters' values (into {@code into}'s tensors when given). */
    private static Map<String, Tensor> copies(Map<String, Tensor> params, Map<String, Tensor> into) {
        Map<String, Tensor> out = into != null ? into : new LinkedHashMap<>();
        try (GradMode.Scope s = GradMode.noGrad()) {
            for (Map.Entry<String, Tensor> e : params.entrySet()) {
                Tensor p = e.getValue();
                Tensor c = out.computeIfAbsent(e.getKey(), k -> Tensor.zeros(p.dtype(), p.device(), p.shape()));
                c.assign(p);
            }
        }
        return out;
    }

    /**
     * {@code loss} on masked fields: {@code (p, y) -> loss(m p, m y)} with {@code m} (1 or 0 per value,
     * the shape of {@code p} and {@code y}); the values of {@code p} and {@code y} where {@code m = 0}
     * enter neither the value nor the gradient. For the relative Lp loss this is the error over the
     * values where {@code m = 1}; a mean (MSE) still divides by all the values.
     */
    public static Loss masked(Loss loss, Tensor mask) {
        return (p, y) -> loss.apply(p.mul(mask), y.mul(mask));
    }

    /**
     * Checks that a mask holds only 0 and 1, and at least one 1 per sample.
     *
     * @throws IllegalArgumentException naming {@code data.mask}, the set ({@code what}), the sample and the value
     */
    public static void checkMask(String what, Tensor mask) {
        float[] v = mask.toFloatArray();
        int n = mask.size(0);
        int per = n == 0 ? 0 : v.length / n;
        for (int i = 0; i < n; i++) {
            boolean any = false;
            for (int k = i * per; k < (i + 1) * per; k++) {
                if (v[k] != 0 && v[k] != 1) {
                    throw new IllegalArgumentException("data.mask of the " + what + " set: expected values 0 (outside) or 1 (inside), found " + v[k]
                            + " in sample " + i);
                }
                any |= v[k] == 1;
            }
            if (!any) throw new IllegalArgumentException("data.mask of the " + what + " set: sample " + i + " has no value inside (no 1)");
        }
    }

    /** Mean loss over a data set in evaluation mode, without a graph (over the masked values where the set has a mask). */
    public static double evaluate(Model model, TrainingData data, Loss loss, int batch, TrainingConfig cfg) {
        model.train(false);
        try (GradMode.Scope s = GradMode.noGrad()) {
            int n = data.samples();
            double sum = 0;
            for (int from = 0; from < n; from += batch) {
                int to = Math.min(n, from + batch);
                Tensor x = data.inputs().slice(0, from, to).to(cfg.device());
                Tensor y = data.targets().slice(0, from, to).to(cfg.device());
                Loss l = data.mask().isEmpty() ? loss : masked(loss, data.mask().get().slice(0, from, to).to(cfg.device()));
                // the batch's activations and prediction back to the pool when its loss is read
                try (StepScope batchScope = StepScope.inference()) {
                    sum += l.apply(model.predict(x), y).item() * (to - from);
                }
            }
            return sum / n;
        } finally {
            model.train(true);
        }
    }

    /** Predictions for all inputs in batches, without a graph. */
    public static Tensor predictAll(Model model, Tensor inputs, int batch) {
        model.train(false);
        try (GradMode.Scope s = GradMode.noGrad()) {
            int n = inputs.size(0);
            List<Tensor> parts = new ArrayList<>();
            for (int from = 0; from < n; from += batch) {
                // the batch's activations back to the pool, its prediction kept
                try (StepScope batchScope = StepScope.inference()) {
                    parts.add(batchScope.keep(model.predict(inputs.slice(0, from, Math.min(n, from + batch)))));
                }
            }
            return parts.size() == 1 ? parts.get(0) : Tensor.cat(0, parts.toArray(new Tensor[0]));
        }
    }

}
