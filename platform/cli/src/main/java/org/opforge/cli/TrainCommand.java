package org.opforge.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.opforge.api.NeuralOperator;
import org.opforge.api.data.Checkpoint;
import org.opforge.api.data.CheckpointStore;
import org.opforge.api.training.EpochReport;
import org.opforge.cli.bench.OperatorCatalog;
import org.opforge.cli.bench.OperatorRun;
import org.opforge.cli.bench.Plots;
import org.opforge.cli.bench.RunConfig;
import org.opforge.cli.bench.RunRecord;
import org.opforge.cli.bench.TrainingProgress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code opforge train}: trains one operator on a data file, evaluates it on test files and saves
 * the checkpoint. The configuration is the operator's defaults, then the data file's roles, then
 * {@code --config FILE}, then {@code --set key=value}, then {@code --epochs}.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train an operator on a data file, evaluate it on test files, and save the trained model (HDF5 checkpoint).",
                "The validation set reported after each epoch (and used by --set select_best=true) is the last samples of the training",
                "file with --set validation_split=F, else the --validation file, else the first --test file.",
                "'opforge operators' lists the operators and their configuration keys."})
public final class TrainCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin CatalogOptions catalog;

    @Option(names = "--operator", paramLabel = "NAME", description = "operator factory (fno, deeponet, ...); required unless --resume")
    String operator;

    @Option(names = "--resume", paramLabel = "MODEL.h5", description = {"continue the run saved in MODEL.h5 (a --checkpoint-every checkpoint or "
            + "a finished run) to its configured epochs, or to --epochs in all: weights, optimizer moments, batch order and learning-rate "
            + "schedule carry on as in the uninterrupted run; the checkpoint's operator, configuration and seed apply (--config and --set "
            + "are refused); --out may name MODEL.h5 itself"})
    Path resume;

    @Option(names = "--data", required = true, paramLabel = "TRAIN.h5", description = "training data file")
    Path data;

    @Option(names = "--test", paramLabel = "TEST.h5", description = "test data file, any resolution (repeatable)")
    List<Path> tests = new ArrayList<>();

    @Option(names = "--validation", paramLabel = "VAL.h5", description = "validation data file (default: the first --test file)")
    Path validation;

    @Option(names = "--config", paramLabel = "FILE", description = "configuration file (YAML or JSON)")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "configuration value (repeatable), e.g. --set modes=12")
    List<String> sets = new ArrayList<>();

    @Option(names = "--epochs", paramLabel = "N", description = "training epochs (overrides the configuration)")
    Integer epochs;

    @Option(names = "--seed", paramLabel = "S", description = "seed of weights and batches (default: 0)")
    Long seed;

    @Option(names = "--device", paramLabel = "D", description = "cpu or cuda[:N] (default: the configuration's, else cpu)")
    String device;

    @Option(names = "--train-samples", paramLabel = "N", description = "use the first N training samples (default: all)")
    Integer trainSamples;

    @Option(names = "--time-budget", paramLabel = "SECONDS", description = "stop training with an error after this long")
    Double timeBudget;

    @Option(names = "--no-progress", description = "plain progress lines instead of a progress bar")
    boolean noProgress;

    @Option(names = "--out", required = true, paramLabel = "MODEL.h5", description = "checkpoint file to write")
    Path out;

    @Mixin OverwriteOption overwrite;

    @Option(names = "--checkpoint-every", paramLabel = "N", description = {"also write --out after every N-th epoch (a long run stopped early leaves "
            + "a usable model with its curve so far); the last epoch writes it with the test metrics"})
    Integer checkpointEvery;

    @Option(names = "--curve", paramLabel = "CURVE.png", description = {"plot the training loss, the validation loss and the model's further "
            + "validation measures per epoch (PNG), rewritten with each checkpoint"})
    Path curve;

    @Option(names = "--spark", paramLabel = "MASTER", description = "data-parallel training on Spark (needs the Spark add-on)")
    String spark;

    @Option(names = "--replicas", paramLabel = "N", defaultValue = "2", description = "with --spark: replicas, each computing 1/N of every batch (default: ${DEFAULT-VALUE})")
    int replicas;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        if (operator == null && resume == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing required option: '--operator=NAME' (or --resume MODEL.h5)");
        }
        OutputFiles check = OutputFiles.of(spec).input("--data", data).input("--config", config);
        for (Path t : tests) check.input("--test", t);
        boolean rewritesResumed = resume != null && out.toAbsolutePath().normalize().equals(resume.toAbsolutePath().normalize());
        if (!rewritesResumed) check.input("--resume", resume);
        Checkpoint resumed = resume == null ? null : resumeFrom();
        check.checkFile("--out", out, overwrite.enabled() || rewritesResumed);
        // a resumed run redraws its whole curve, earlier epochs included
        if (curve != null) check.checkFile("--curve", curve, overwrite.enabled() || resume != null);
        if (epochs != null) Values.atLeast(spec, "--epochs", epochs, 1);
        if (checkpointEvery != null) Values.atLeast(spec, "--checkpoint-every", checkpointEvery, 1);
        if (checkpointEvery != null && spark != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--checkpoint-every applies to local training, not with --spark "
                    + "(which keeps its own progress checkpoint)");
        }
        if (timeBudget != null && !(timeBudget > 0)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--time-budget " + timeBudget + ": expected a positive number of seconds");
        }
        Values.samples(spec, "--train-samples", trainSamples, data);
        List<RunConfig.Layer> layers = new ArrayList<>();
        if (resumed != null) layers.add(new RunConfig.Layer("--resume " + resume, RunConfig.checkpointConfig(resumed)));
        if (config != null) layers.add(new RunConfig.Layer("--config " + config, RunConfig.readFile(config)));
        layers.add(new RunConfig.Layer("--set", RunConfig.parseSets(sets)));
        Map<String, Object> explicit = new LinkedHashMap<>();
        if (epochs != null) explicit.put("epochs", epochs);
        layers.add(new RunConfig.Layer("--epochs", explicit));
        List<OperatorRun.TestInput> testInputs = tests.stream().map(OperatorRun.TestInput::of).toList();
        long runSeed = seed == null ? 0 : seed;
        OperatorRun.Spec runSpec = new OperatorRun.Spec(operator, layers, data, trainSamples == null ? 0 : trainSamples,
                validation != null ? Optional.of(OperatorRun.TestInput.of(validation)) : testInputs.stream().findFirst(), testInputs, runSeed,
                device, timeBudget, 0);
        try (OperatorCatalog cat = catalog.open()) {
            OperatorRun.Prepared p = resumed == null ? OperatorRun.prepare(runSpec, cat.factory(operator))
                    : OperatorRun.prepareResume(runSpec, cat.factory(operator), resumed, "--resume " + resume);
            int total = p.training().epochs() + p.resumedEpochs();
            List<EpochReport> earlier = resumed == null ? List.of() : RunRecord.history(resumed, total);
            if (resumed != null) {
                o.printf(Locale.ROOT, "resuming %s from %s after epoch %d: %d more epochs of %d%n", operator, resume, p.resumedEpochs(),
                        p.training().epochs(), total);
            }
            o.printf(Locale.ROOT, "training %s on %s: %d epochs, batch %d, %s lr %g, seed %d, %s%n", operator, p.trainData(),
                    p.training().epochs(), p.training().batchSize(), p.training().optimizer(), p.training().learningRate(), runSeed,
                    p.training().device());
            o.flush();
            OperatorRun.EpochHook periodic = checkpointEvery == null ? null : (model, current) -> {
                EpochReport last = current.get(current.size() - 1);
                if (last.epoch() % checkpointEvery == 0 && last.epoch() < last.epochs()) {
                    List<EpochReport> history = concat(earlier, current);
                    OperatorRun.save(OperatorRun.checkpoint(model, p, history, List.of()), out);
                    if (curve != null) Plots.loss(history, operator + " on " + data.getFileName(), curve);
                    o.printf(Locale.ROOT, "checkpoint of epoch %d written to %s%n", last.epoch(), out);
                    o.flush();
                }
            };
            OperatorRun.Outcome r = spark != null ? ScaleOut.find().train(spark, replicas, p, out, o)
                    : OperatorRun.execute(p, cat.labelSources(), operator, o, !noProgress && TrainingProgress.interactive(), () -> false, periodic);
            if (!r.ok()) {
                throw new IllegalStateException("training " + r.status().label() + ": " + r.reason());
            }
            List<EpochReport> history = concat(earlier, r.history());
            OperatorRun.save(OperatorRun.checkpoint(r.model(), p, history, r.evaluations()), out);
            if (curve != null && !Plots.loss(history, operator + " on " + data.getFileName(), curve)) {
                o.println("no curve written: no positive finite loss to plot");
            }
            o.printf(Locale.ROOT, "trained in %.1f s (%.2f s/epoch), %d parameters, final train loss %.4e%n", r.trainSeconds(),
                    r.secondsPerEpoch(), r.model().parameterCount(), r.history().get(r.history().size() - 1).trainLoss());
            EpochReport kept = r.history().stream().filter(e -> e.epoch() == r.selectedEpoch()).findFirst().orElseThrow();
            if (kept != r.history().get(r.history().size() - 1)) {
                o.printf(Locale.ROOT, "kept the weights of epoch %d (lowest validation loss %.4e)%n", kept.epoch(), kept.validationLoss());
            }
            for (OperatorRun.Evaluation e : r.evaluations()) {
                if (e.ok()) {
                    o.printf(Locale.ROOT, "  %s (%s, %d samples): relative L2 %.4e  H1 %.4e  MSE %.4e%n", e.file(), e.resolution(),
                            e.samples(), e.relativeL2(), e.h1(), e.mse());
                } else {
                    o.printf(Locale.ROOT, "  %s: not evaluated: %s%n", e.file(), e.error());
                }
            }
            o.println("wrote " + out);
            o.flush();
        }
        return 0;
    }

    /**
     * Reads {@code --resume}, checks the options it excludes, and takes the operator's name from it.
     *
     * @throws picocli.CommandLine.ParameterException for an excluded option or another operator than --operator
     */
    private Checkpoint resumeFrom() {
        if (!sets.isEmpty() || config != null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--resume " + resume + " continues the checkpoint's run with its "
                    + "configuration; --config and --set would change it (train a new run instead)");
        }
        if (spark != null) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--resume applies to local training, not with --spark");
        Checkpoint c = CheckpointStore.find().load(resume);
        String saved = c.attribute(NeuralOperator.OPERATOR_ATTRIBUTE);
        if (operator != null && !operator.equals(saved)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--resume " + resume + " holds operator '" + saved
                    + "', not --operator " + operator);
        }
        String savedSeed = c.attributes().getOrDefault("seed", "0");
        if (seed != null && !Long.toString(seed).equals(savedSeed)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--resume " + resume + " continues a run of seed " + savedSeed
                    + ", not --seed " + seed);
        }
        operator = saved;
        seed = Long.parseLong(savedSeed);
        return c;
    }

    private static List<EpochReport> concat(List<EpochReport> earlier, List<EpochReport> current) {
        if (earlier.isEmpty()) return current;
        List<EpochReport> all = new ArrayList<>(earlier);
        all.addAll(current);
        return all;
    }
}
