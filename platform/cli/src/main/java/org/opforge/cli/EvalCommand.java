package org.opforge.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.opforge.api.NeuralOperator;
import org.opforge.api.config.Config;
import org.opforge.api.data.Checkpoint;
import org.opforge.api.data.CheckpointStore;
import org.opforge.cli.bench.Json;
import org.opforge.cli.bench.ModelFile;
import org.opforge.cli.bench.OperatorCatalog;
import org.opforge.cli.bench.OperatorRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code opforge eval MODEL DATA [--json]}: relative L2, H1 and MSE of a trained model on a data file at any resolution. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Evaluate a trained model on a data file (any resolution): relative L2, H1 and MSE, averaged over samples.",
                "The fields are the ones the model was trained on (its data.input / data.target)."})
public final class EvalCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin CatalogOptions catalog;

    @Parameters(index = "0", paramLabel = "MODEL", description = "checkpoint written by train or bench")
    Path model;

    @Parameters(index = "1", paramLabel = "DATA", description = "data file with input and target fields")
    Path data;

    @Option(names = "--json", description = "print {\"relative_l2\": ..., \"h1\": ..., \"mse\": ..., \"samples\": ...}")
    boolean json;

    @Option(names = "--samples", paramLabel = "N", description = "evaluate the first N samples (default: all)")
    Integer samples;

    @Option(names = "--subsample", paramLabel = "S", defaultValue = "1", description = "take every S-th grid point (default: 1)")
    int subsample;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "64", description = "samples per forward pass (default: ${DEFAULT-VALUE})")
    int batch;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        Values.atLeast(spec, "--batch", batch, 1);
        Values.atLeast(spec, "--subsample", subsample, 1);
        Values.samples(spec, "--samples", samples, data);
        Checkpoint c = CheckpointStore.find().load(model);
        try (OperatorCatalog cat = catalog.open()) {
            ModelFile.Loaded loaded = ModelFile.load(model, c, cat);
            NeuralOperator op = loaded.operator();
            Config config = loaded.config();
            OperatorRun.Evaluation e = OperatorRun.evaluate(op, config, new OperatorRun.TestInput(data, subsample, samples == null ? 0 : samples), batch, 0);
            if (!e.ok()) throw new IllegalArgumentException(ModelFile.forTrainedModel(e.error()));
            if (json) {
                o.println(Json.pretty(e.metrics()));
            } else {
                o.printf(Locale.ROOT, "%s on %s (%s, %d samples): relative L2 %.4e  H1 %.4e  MSE %.4e%n", op.name(), e.file(),
                        e.resolution(), e.samples(), e.relativeL2(), e.h1(), e.mse());
            }
            o.flush();
        }
        return 0;
    }
}
