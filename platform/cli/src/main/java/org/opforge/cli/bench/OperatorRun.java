package org.opforge.cli.bench;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.BooleanSupplier;
import org.opforge.api.NeuralOperator;
import org.opforge.api.OperatorFactory;
import org.opforge.api.TrainableOperator;
import org.opforge.api.TrainableWithLabels;
import org.opforge.api.config.Config;
import org.opforge.api.data.Checkpoint;
import org.opforge.api.data.CheckpointStore;
import org.opforge.api.data.DataFormatException;
import org.opforge.api.data.Dataset;
import org.opforge.api.data.DatasetSource;
import org.opforge.api.training.EpochReport;
import org.opforge.api.training.LabelSource;
import org.opforge.api.training.LabelSourceFactory;
import org.opforge.api.training.ProgressListener;
import org.opforge.api.training.TrainingConfig;
import org.opforge.api.training.TrainingData;
import org.opforge.api.training.TrainingResult;
import org.opforge.tensor.GradMode;
import org.opforge.tensor.StepScope;
import org.opforge.tensor.Tensor;
import org.opforge.training.Metrics;
import org.opforge.training.SupervisedTrainer;
import org.opforge.training.TrainingFailedException;

/**
 * The one "operator run" behind {@code train}, {@code eval} and {@code bench}: resolve the
 * configuration, read the data, train with progress, evaluate on test files, and build the
 * checkpoint. {@link #prepare} throws on anything wrong before training (unknown key, missing
 * file or field); {@link #execute} never throws for a training failure but reports it in the
 * {@link Outcome}'s status, so a benchmark can record it and go on.
 */
public final class OperatorRun {
    private OperatorRun() {}

    /** How a run ended. */
    public enum Status {
        OK("ok"), FAILED("failed"), DIVERGED("diverged"), TIME_BUDGET("time_budget"), INTERRUPTED("interrupted");

        private final String label;

        Status(String label) { this.label = label; }

        public String label() { return label; }
    }

    /**
     * A test (or validation) file as a run reads it.
     *
     * @param samples   first samples to read, 0 for all
     * @param subsample grid stride (1 = as stored)
     */
    public record TestInput(Path file, int subsample, int samples) {
        public TestInput {
            Objects.requireNonNull(file, "file");
            if (subsample < 1) throw new IllegalArgumentException("subsample: expected at least 1, found " + subsample);
            if (samples < 0) throw new IllegalArgumentException("samples: expected at least 0, found " + samples);
        }

        public static TestInput of(Path file) { return new TestInput(file, 1, 0); }

        /** "darcy_test_16.h5" or "darcy_test_16.h5 /2". */
        public String label() {
            return file.getFileName() + (subsample > 1 ? " /" + subsample : "");
        }
    }

    /**
     * Everything a run needs.
     *
     * @param layers       config layers above the schema defaults and the data roles
     * @param trainSamples first training samples to use, 0 for all
     * @param validation   evaluated after each epoch (loss curve); empty for none
     * @param device       null for the config's device key or the CPU
     * @param timeBudget   seconds, or null for none
     * @param previewSamples test samples kept for field plots
     */
    public record Spec(String operator, List<RunConfig.Layer> layers, Path train, int trainSamples, Optional<TestInput> validation,
                       List<TestInput> tests, long seed, String device, Double timeBudget, int previewSamples) {
        public Spec {
            Objects.requireNonNull(operator, "operator");
            layers = List.copyOf(layers);
            Objects.requireNonNull(train, "train");
            Objects.requireNonNull(validation, "validation");
            tests = List.copyOf(tests);
        }
    }

    /**
     * A configured run whose data is in memory; {@code resumeFrom} (null for a new run) is the
     * checkpoint of an interrupted run it continues for {@code training.epochs()} more epochs after its
     * {@code resumedEpochs}.
     */
    public record Prepared(Spec spec, OperatorFactory factory, Config config, TrainingConfig training, RunData trainData,
                           Optional<RunData> validationData, Checkpoint resumeFrom, int resumedEpochs) {
        public Prepared(Spec spec, OperatorFactory factory, Config config, TrainingConfig training, RunData trainData,
                        Optional<RunData> validationData) {
            this(spec, factory, config, training, trainData, validationData, null, 0);
        }
    }

    /**
     * Metrics of a model on one test file.
     *
     * @param resolution target grid ("16x16")
     * @param points     points along the input's last grid axis (x of error-vs-resolution plots)
     * @param error      why the file could not be evaluated (then the metrics are NaN), or null
     * @param predicted  the first few predictions (for plots), or null
     * @param truth      the matching targets, or null
     */
    public record Evaluation(String file, int subsample, String resolution, int points, int samples, double relativeL2, double h1,
                             double mse, String error, Tensor predicted, Tensor truth) {
        public boolean ok() { return error == null; }

        /** The JSON fields, in the order {@code eval --json} prints them. */
        public Map<String, Object> metrics() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("relative_l2", Json.num(relativeL2));
            m.put("h1", Json.num(h1));
            m.put("mse", Json.num(mse));
            m.put("samples", samples);
            return m;
        }

        /** The record in results.json. */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("test", file);
            m.put("subsample", subsample);
            m.put("resolution", resolution);
            m.putAll(metrics());
            m.put("error", error);
            return m;
        }
    }

    /**
     * What a run produced. {@code model} is null when the operator could not be created;
     * {@code selectedEpoch} is the epoch whose weights the model holds (the best by validation loss
     * with {@code select_best}, else the last; 0 when training did not finish). {@code labelSeconds} is
     * the time a label source ({@value #LABELS}) spent making targets, part of {@code trainSeconds} but
     * not of the epoch times; NaN without one.
     */
    public record Outcome(Prepared prepared, TrainableOperator model, Status status, String reason, List<EpochReport> history,
                          int selectedEpoch, double trainSeconds, long peakHeapBytes, long poolPeakBytes, List<Evaluation> evaluations,
                          double labelSeconds) {
        /** Without a label source. */
        public Outcome(Prepared prepared, TrainableOperator model, Status status, String reason, List<EpochReport> history, int selectedEpoch,
                       double trainSeconds, long peakHeapBytes, long poolPeakBytes, List<Evaluation> evaluations) {
            this(prepared, model, status, reason, history, selectedEpoch, trainSeconds, peakHeapBytes, poolPeakBytes, evaluations, Double.NaN);
        }

        public boolean ok() { return status == Status.OK; }

        /** Mean wall time of the epochs finished, NaN when none. */
        public double secondsPerEpoch() {
            return history.isEmpty() ? Double.NaN : history.stream().mapToDouble(EpochReport::seconds).sum() / history.size();
        }
    }

    /**
     * Resolves the configuration and reads the training and validation data.
     *
     * @throws IllegalArgumentException for an unknown key or bad value (naming its source)
     * @throws org.opforge.api.data.DataFormatException for a missing file or field
     */
    public static Prepared prepare(Spec spec, OperatorFactory factory) {
        Config config = RunConfig.resolve(factory.name(), factory.configSchema(), RunData.roles(spec.train()), spec.layers());
        RunData train = RunConfig.trainTargets(config) ? RunData.read(spec.train(), config, spec.trainSamples(), 1)
                : RunData.readInputs(spec.train(), config, spec.trainSamples());
        TrainingConfig training = RunConfig.training(config, spec.seed(), spec.device(), spec.timeBudget(), train.samples());
        Optional<RunData> validation = spec.validation().map(v -> RunData.read(v.file(), config, v.samples(), v.subsample()));
        return new Prepared(spec, factory, config, training, train, validation);
    }

    /**
     * As {@link #prepare} for continuing the run saved in {@code checkpoint} (its configuration is the
     * first of the spec's layers): the run's epochs are the configuration's, of which the checkpoint
     * holds its {@code epoch} attribute's; the training trains the rest with the option
     * {@link SupervisedTrainer#RESUME}, so the schedule and the batch order carry on.
     *
     * @param source names the checkpoint in errors (e.g. "--resume run.h5")
     * @throws IllegalArgumentException when the checkpoint already holds all the run's epochs
     */
    public static Prepared prepareResume(Spec spec, OperatorFactory factory, Checkpoint checkpoint, String source) {
        Prepared p = prepare(spec, factory);
        int done;
        try {
            done = Integer.parseInt(checkpoint.attributes().getOrDefault("epoch", "0"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(source + ": attribute 'epoch' is not a number: '" + checkpoint.attribute("epoch") + "'");
        }
        int total = p.training().epochs();
        if (done >= total) {
            throw new IllegalArgumentException(source + " already holds " + done + " epochs of a " + total + "-epoch run; pass --epochs N with N > "
                    + done + " (the run's new total) to train on");
        }
        Map<String, String> options = new LinkedHashMap<>(p.training().options());
        options.put(SupervisedTrainer.RESUME, "true");
        TrainingConfig rest = p.training().withEpochs(total - done).withOptions(options);
        return new Prepared(spec, factory, p.config(), rest, p.trainData(), p.validationData(), checkpoint, done);
    }

    /** Config key naming a {@link LabelSourceFactory} to train on instead of the target field; its options are {@code data.labels.*}. */
    static final String LABELS = "data.labels";

    /** The label source a run's {@value #LABELS} names, or null when it names none. */
    private static LabelSource labelSource(Prepared p, Map<String, LabelSourceFactory> sources, int samples) {
        Object name = p.config().values().get(LABELS);
        if (name == null || name.toString().isEmpty()) return null;
        Map<String, Object> options = new LinkedHashMap<>();
        p.config().values().forEach((k, v) -> {
            if (k.startsWith(LABELS + ".")) options.put(k.substring(LABELS.length() + 1), v);
        });
        LabelSourceFactory f = sources.get(name.toString());
        if (f == null) throw new IllegalArgumentException(LABELS + ": no label source '" + name + "'; known: " + sources.keySet());
        try (Dataset ds = DatasetSource.find().open(p.spec().train())) {
            return f.create(ds, samples, options, p.spec().seed() + 7919);
        }
    }

    private static TrainingResult trainOnLabels(TrainableOperator model, TrainingData data, LabelSource labels, TrainingConfig cfg,
                                                ProgressListener progress) {
        if (!(model instanceof TrainableWithLabels m)) {
            throw new IllegalArgumentException("operator '" + model.name() + "' cannot train on labels redrawn every epoch (" + LABELS + ")");
        }
        return m.train(data, labels, cfg, progress);
    }

    /**
     * Creates the operator, trains it and evaluates it on the spec's test files. Training failures
     * (an exception, a non-finite loss, the time budget, a stop request) end up in the status.
     *
     * @param out  where plain progress lines go
     * @param bar  draw a progress bar instead
     * @param stop raised to stop the run at its next step
     */
    public static Outcome execute(Prepared p, String label, PrintWriter out, boolean bar, BooleanSupplier stop) {
        Map<String, LabelSourceFactory> sources = new LinkedHashMap<>();
        for (LabelSourceFactory f : ServiceLoader.load(LabelSourceFactory.class, OperatorRun.class.getClassLoader())) sources.put(f.name(), f);
        return execute(p, sources, label, out, bar, stop);
    }

    /** As {@link #execute(Prepared, String, PrintWriter, boolean, BooleanSupplier)}, with the label sources of {@code data.labels} given by name. */
    public static Outcome execute(Prepared p, Map<String, LabelSourceFactory> labelSources, String label, PrintWriter out, boolean bar,
                                  BooleanSupplier stop) {
        return execute(p, labelSources, label, out, bar, stop, null);
    }

    /** Called after each finished epoch with the operator in training and the epochs so far (e.g. to write a checkpoint). */
    @FunctionalInterface
    public interface EpochHook {
        void afterEpoch(TrainableOperator model, List<EpochReport> history);
    }

    /**
     * As {@link #execute(Prepared, Map, String, PrintWriter, boolean, BooleanSupplier)}, calling
     * {@code afterEpoch} (null: nothing) after each epoch's report; an exception it throws fails the run.
     */
    public static Outcome execute(Prepared p, Map<String, LabelSourceFactory> labelSources, String label, PrintWriter out, boolean bar,
                                  BooleanSupplier stop, EpochHook afterEpoch) {
        MemoryWatch memory = new MemoryWatch();
        memory.start();
        double budget = p.spec().timeBudget() == null ? Double.POSITIVE_INFINITY : p.spec().timeBudget();
        TrainableOperator model = null;
        Status status = Status.OK;
        String reason = null;
        List<EpochReport> history;
        int selected = 0;
        double seconds;
        LabelSource labels = null;
        long t0 = System.nanoTime();
        try (TrainingProgress progress = new TrainingProgress(label, out, bar, stop, budget, memory)) {
            try {
                TrainableOperator created = p.resumeFrom() == null ? p.factory().create(p.config().values(), p.spec().seed()) : resumed(p);
                model = created;
                ProgressListener listener = afterEpoch == null ? progress : new ProgressListener() {
                    @Override public void onStep(long done, long total) { progress.onStep(done, total); }

                    @Override public void onEpoch(EpochReport report) {
                        progress.onEpoch(report);
                        afterEpoch.afterEpoch(created, progress.history());
                    }
                };
                // a validation split replaces the validation file (the loop holds out the last samples)
                boolean split = Double.parseDouble(p.training().options().getOrDefault(SupervisedTrainer.VALIDATION_SPLIT, "0")) > 0;
                TrainingData data = p.trainData().training(split ? Optional.empty() : p.validationData());
                if (data.mask().isPresent() && !created.supportsMasks()) {
                    throw new IllegalArgumentException("operator '" + created.name() + "' does not support masked training (" + RunConfig.MASK
                            + ": " + p.config().values().get(RunConfig.MASK) + "); train it on data without a mask");
                }
                labels = labelSource(p, labelSources, data.samples());
                TrainingResult result = labels == null ? model.train(data, p.training(), listener)
                        : trainOnLabels(model, data, labels, p.training(), listener);
                history = result.history();
                selected = result.selectedEpoch();
                double last = result.finalTrainLoss();
                if (!Double.isFinite(last)) {
                    status = Status.DIVERGED;
                    reason = "training loss is " + last + " after epoch " + result.last().epoch();
                }
            } catch (RuntimeException | LinkageError | OutOfMemoryError | StackOverflowError e) {
                // a broken bundle (missing class) or a model too big for the heap fails this run, not the suite
                history = progress.history();
                Status[] s = {Status.FAILED};
                reason = describe(e, s);
                status = s[0];
            }
            seconds = (System.nanoTime() - t0) / 1e9;
        }
        List<Evaluation> evaluations = new ArrayList<>();
        if (status == Status.OK) {
            int batch = Math.max(p.training().batchSize(), 32);
            for (TestInput t : p.spec().tests()) {
                Evaluation e = evaluate(model, p.config(), t, batch, p.spec().previewSamples());
                evaluations.add(e);
                if (e.ok() && !Double.isFinite(e.mse())) {
                    status = Status.DIVERGED;
                    reason = "predictions on " + e.file() + " are not finite";
                } else if (e.ok() && !Double.isFinite(e.relativeL2())) {
                    // finite predictions, finite MSE: the relative error divides by a zero target
                    status = Status.FAILED;
                    reason = "relative L2 on " + e.file() + " is undefined: its target samples are zero everywhere (MSE " + e.mse() + ")";
                }
            }
        }
        return new Outcome(p, model, status, reason, history, selected, seconds, memory.sampledPeakBytes(), memory.poolPeakBytes(), evaluations,
                labels == null ? Double.NaN : labels.seconds());
    }

    /** The operator saved in the checkpoint a run resumes. */
    private static TrainableOperator resumed(Prepared p) {
        NeuralOperator loaded = p.factory().load(p.resumeFrom());
        if (!(loaded instanceof TrainableOperator t)) {
            throw new IllegalArgumentException("operator '" + p.factory().name() + "' loaded from a checkpoint cannot be trained on");
        }
        return t;
    }

    /** One line saying why training failed; sets {@code status[0]} to the kind of failure. */
    static String describe(Throwable e, Status[] status) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof RunStopped rs) {
                status[0] = rs.why() == RunStopped.Why.INTERRUPTED ? Status.INTERRUPTED : Status.TIME_BUDGET;
                return rs.getMessage();
            }
            // by name as well: inside a container the bundles may see their own copy of the class
            if (c instanceof TrainingFailedException || c.getClass().getSimpleName().equals("TrainingFailedException")) {
                String m = String.valueOf(c.getMessage());
                status[0] = m.contains("time budget") ? Status.TIME_BUDGET : m.contains("zero everywhere") ? Status.FAILED
                        : m.startsWith("loss is") || m.contains("NaN") ? Status.DIVERGED : Status.FAILED;
                return m;
            }
            if (c instanceof OutOfMemoryError) {
                status[0] = Status.FAILED;
                return org.opforge.cli.HeapLimits.outOfMemory();
            }
        }
        status[0] = Status.FAILED;
        return reason(e);
    }

    /** The first line of the message; for errors other than bad data or bad values (which name their file and key), with the type. */
    private static String reason(Throwable e) {
        String m = e.getMessage();
        String first = m == null || m.isBlank() ? "" : m.lines().findFirst().orElse("");
        if (!first.isEmpty() && (e instanceof DataFormatException || e instanceof IllegalArgumentException)) return first;
        return e.getClass().getSimpleName() + (first.isEmpty() ? "" : ": " + first);
    }

    /**
     * Relative L2, H1 (over the target's grid axes, at most 3) and MSE of {@code model} on a test
     * file at any resolution. With a mask ({@value RunConfig#MASK}) the relative L2 and the MSE count
     * the inside values only ({@link Metrics#relativeL2(Tensor, Tensor, Tensor)}) and the H1 is NaN (its
     * differences would cross the mask's edge). A file that cannot be read or evaluated gives an
     * evaluation with its error.
     */
    public static Evaluation evaluate(NeuralOperator model, Config config, TestInput test, int batch, int previewSamples) {
        RunData d;
        try {
            d = RunData.read(test.file(), config, test.samples(), test.subsample());
        } catch (RuntimeException e) {
            return failed(test, "?", 0, 0, e);
        }
        try {
            Tensor pred = predict(model, d, batch);
            Tensor y = d.target();
            int gridDims = Math.min(3, y.dim() - 1);
            Tensor mask = d.mask().orElse(null);
            double l2 = Metrics.mean(mask == null ? Metrics.relativeL2(pred, y) : Metrics.relativeL2(pred, y, mask));
            double h1 = gridDims >= 1 && mask == null ? Metrics.mean(Metrics.h1(pred, y, gridDims)) : Double.NaN;
            double mse = mask == null ? Metrics.mse(pred, y) : Metrics.mse(pred, y, mask);
            int k = Math.min(previewSamples, d.samples());
            // outside a mask the outputs do not count: the plots show them as 0, like the targets there
            Tensor pv = k > 0 ? (mask == null ? pred.slice(0, 0, k).mul(1.0) : pred.slice(0, 0, k).mul(mask.slice(0, 0, k))) : null;
            Tensor tv = k > 0 ? y.slice(0, 0, k).mul(1.0) : null;
            return new Evaluation(test.label(), test.subsample(), d.resolution(), d.points1d(), d.samples(), l2, h1, mse, null, pv, tv);
        } catch (RuntimeException e) {
            return failed(test, d.resolution(), d.points1d(), d.samples(), e);
        }
    }

    private static Evaluation failed(TestInput test, String resolution, int points, int samples, RuntimeException e) {
        String reason = reason(e);
        return new Evaluation(test.label(), test.subsample(), resolution, points, samples, Double.NaN, Double.NaN, Double.NaN, reason, null, null);
    }

    /**
     * The model's predictions for every input of {@code d}, in batches, shaped like the targets
     * (a point-query operator's {@code [N, P]} output is laid back on the target's grid).
     *
     * @throws IllegalArgumentException when the output does not hold one value per target value
     */
    public static Tensor predict(NeuralOperator model, RunData d, int batch) {
        int n = d.samples();
        List<Tensor> parts = new ArrayList<>();
        try (GradMode.Scope s = GradMode.noGrad()) {
            for (int from = 0; from < n; from += batch) {
                int to = Math.min(n, from + batch);
                Tensor x = d.input().slice(0, from, to);
                // the batch's intermediate fields back to the pool when it is done, its prediction kept
                try (StepScope batchScope = StepScope.inference()) {
                    Tensor out;
                    if (d.points().isPresent() && model.supportsPointQueries()) {
                        Tensor pts = d.points().get();
                        out = model.apply(x, pts.dim() == 3 ? pts.slice(0, from, to) : pts);
                    } else {
                        out = model.apply(x);
                    }
                    parts.add(batchScope.keep(out.to(org.opforge.tensor.Device.CPU)));
                }
            }
        }
        Tensor pred = parts.size() == 1 ? parts.get(0) : Tensor.cat(0, parts.toArray(new Tensor[0]));
        if (d.target() == null) return pred;
        int[] want = d.target().shape();
        if (Arrays.equals(pred.shape(), want)) return pred;
        if (pred.numel() == d.target().numel() && pred.size(0) == want[0]) return pred.reshape(want);
        throw new IllegalArgumentException("operator '" + model.name() + "' gives outputs of shape " + Arrays.toString(pred.shape())
                + " but the target field '" + d.targetName() + "' of " + d.file().getFileName() + " has shape " + Arrays.toString(want));
    }

    /**
     * The model's checkpoint with the run's evaluation added: attribute {@code evaluation} holds the
     * metrics per test file (JSON list, as in results.json), and the operator's own {@code metrics}
     * (a JSON object of strings, which its loader reads back) gains {@code "<test> relative_l2"},
     * {@code "<test> h1"} and {@code "<test> mse"} entries; seed, config and training file are added
     * where the operator did not write them; attribute {@code history} holds the run's epochs as
     * results.json does ({@link RunRecord#history}).
     */
    public static Checkpoint checkpoint(NeuralOperator model, Prepared p, List<EpochReport> history, List<Evaluation> evaluations) {
        Checkpoint c = model.toCheckpoint();
        Map<String, String> attrs = new LinkedHashMap<>(c.attributes());
        attrs.put("history", Json.compact(RunRecord.history(history)));
        List<Map<String, Object>> list = new ArrayList<>();
        for (Evaluation e : evaluations) list.add(e.toMap());
        attrs.put("evaluation", Json.compact(list));
        Map<String, Object> metrics = new LinkedHashMap<>();
        String own = attrs.get("metrics");
        if (own != null) {
            try {
                metrics.putAll(Json.object(own));
            } catch (IllegalArgumentException notAnObject) {
                // an operator's metrics in another shape stay as they are; the evaluation is in its own attribute
                metrics = null;
            }
        }
        if (metrics != null) {
            for (Evaluation e : evaluations) {
                if (!e.ok()) continue;
                metrics.put(e.file() + " relative_l2", Double.toString(e.relativeL2()));
                metrics.put(e.file() + " h1", Double.toString(e.h1()));
                metrics.put(e.file() + " mse", Double.toString(e.mse()));
            }
            attrs.put("metrics", Json.compact(metrics));
        }
        attrs.putIfAbsent("seed", Long.toString(p.spec().seed()));
        attrs.putIfAbsent("config", Json.compact(RunConfig.plain(p.config())));
        attrs.put("train_data", p.spec().train().toString());
        return new Checkpoint(attrs, c.tensors());
    }

    public static void save(Checkpoint c, Path file) {
        CheckpointStore.find().save(c, file);
    }
}
