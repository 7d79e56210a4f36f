package org.opforge.training;

import java.util.ArrayList;
import java.util.List;
import org.opforge.api.training.EpochReport;
import org.opforge.api.training.LabelSource;
import org.opforge.api.training.ProgressListener;
import org.opforge.api.training.TrainingConfig;
import org.opforge.api.training.TrainingData;
import org.opforge.api.training.TrainingResult;
import org.opforge.tensor.GradMode;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.nn.loss.Loss;
import org.opforge.tensor.nn.optim.LRScheduler;
import org.opforge.tensor.nn.optim.Optimizer;

/**
 * The mini-batch training loop every operator shares: each epoch visits the training samples in a
 * permutation drawn from {@code Rng(seed).fork(epoch)} (so a run resumed at epoch k sees the same
 * batches as an uninterrupted one), minimises the loss on decoded predictions with the optimizer,
 * steps the schedule once per epoch, and evaluates the validation set (mean loss, no graph).
 */
public final class SupervisedTrainer {
    private SupervisedTrainer() {}

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
    }

    /** Option key in {@link TrainingConfig#options()}: stop with a failure after this many seconds. */
    public static final String TIME_BUDGET = "time_budget_s";

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
        int n = data.samples();
        int batch = Math.min(cfg.batchSize(), n);
        int batchesPerEpoch = (n + batch - 1) / batch;
        long totalSteps = (long) batchesPerEpoch * (cfg.epochs() - firstEpoch + 1);
        double budget = Double.parseDouble(cfg.options().getOrDefault(TIME_BUDGET, "Infinity"));
        long start = System.nanoTime();
        long done = 0;
        List<EpochReport> history = new ArrayList<>();
        for (int epoch = firstEpoch; epoch <= cfg.epochs(); epoch++) {
            Tensor targets = labels == null ? data.targets() : labels.targets(epoch);
            if (!java.util.Arrays.equals(targets.shape(), data.targets().shape())) {
                throw new IllegalArgumentException("the label source's targets for epoch " + epoch + " have shape "
                        + java.util.Arrays.toString(targets.shape()) + ", the training data's " + java.util.Arrays.toString(data.targets().shape()));
            }
            long t0 = System.nanoTime();
            model.train(true);
            int[] perm = new Rng(cfg.seed()).fork(epoch).permutation(n);
            double sum = 0;
            for (int b = 0; b < batchesPerEpoch; b++) {
                int from = b * batch, to = Math.min(n, from + batch);
                int[] idx = java.util.Arrays.copyOfRange(perm, from, to);
                Tensor x = data.inputs().indexSelect(0, idx).to(cfg.device());
                Tensor y = targets.indexSelect(0, idx).to(cfg.device());
                optimizer.zeroGrad();
                double value = model.lossAndBackward(x, y, loss);
                if (!Double.isFinite(value)) {
                    throw new TrainingFailedException("loss is " + value + " at epoch " + epoch + ", batch " + (b + 1)
                            + " (learning rate " + optimizer.lr() + ")");
                }
                optimizer.step();
                sum += value * (to - from);
                listener.onStep(++done, totalSteps);
                double elapsed = (System.nanoTime() - start) / 1e9;
                if (elapsed > budget) {
                    throw new TrainingFailedException(String.format("time budget of %.0f s exceeded at epoch %d (%.1f s)", budget, epoch, elapsed));
                }
            }
            if (schedule != null) schedule.step();
            double validation = data.validation().isPresent() ? evaluate(model, data.validation().get(), loss, batch, cfg) : Double.NaN;
            EpochReport report = new EpochReport(epoch, cfg.epochs(), sum / n, validation, (System.nanoTime() - t0) / 1e9);
            history.add(report);
            listener.onEpoch(report);
        }
        model.train(false);
        return new TrainingResult(history);
    }

    /** Mean loss over a data set in evaluation mode, without a graph. */
    public static double evaluate(Model model, TrainingData data, Loss loss, int batch, TrainingConfig cfg) {
        model.train(false);
        try (GradMode.Scope s = GradMode.noGrad()) {
            int n = data.samples();
            double sum = 0;
            for (int from = 0; from < n; from += batch) {
                int to = Math.min(n, from + batch);
                Tensor x = data.inputs().slice(0, from, to).to(cfg.device());
                Tensor y = data.targets().slice(0, from, to).to(cfg.device());
                sum += loss.apply(model.predict(x), y).item() * (to - from);
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
            for (int from = 0; from < n; from += batch) parts.add(model.predict(inputs.slice(0, from, Math.min(n, from + batch))));
            return parts.size() == 1 ? parts.get(0) : Tensor.cat(0, parts.toArray(new Tensor[0]));
        }
    }

}
