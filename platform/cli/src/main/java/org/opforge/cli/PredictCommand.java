package org.opforge.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.opforge.api.NeuralOperator;
import org.opforge.api.config.Config;
import org.opforge.api.data.Checkpoint;
import org.opforge.api.data.CheckpointStore;
import org.opforge.api.data.DataFormatException;
import org.opforge.api.data.DatasetContent;
import org.opforge.api.data.DatasetSource;
import org.opforge.cli.bench.ModelFile;
import org.opforge.cli.bench.OperatorCatalog;
import org.opforge.cli.bench.OperatorRun;
import org.opforge.cli.bench.RunData;
import org.opforge.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code opforge predict MODEL IN OUT}: applies a trained model to the input field of IN and
 * writes a native data set: the input, the field {@code prediction} and, for point-query
 * operators, the query points under {@code coords/}.
 */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Apply a trained model to the inputs of a data file and write the predictions as a native HDF5 data set",
                "(fields: the input and 'prediction'; attributes input/target name them)."})
public final class PredictCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin CatalogOptions catalog;

    @Parameters(index = "0", paramLabel = "MODEL", description = "checkpoint written by train or bench")
    Path model;

    @Parameters(index = "1", paramLabel = "IN", description = "data file holding the model's input field")
    Path in;

    @Parameters(index = "2", paramLabel = "OUT", description = "HDF5 file to write")
    Path out;

    @Mixin OverwriteOption overwrite;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "64", description = "samples per forward pass (default: ${DEFAULT-VALUE})")
    int batch;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        Values.atLeast(spec, "--batch", batch, 1);
        OutputFiles.of(spec).input("MODEL", model).input("IN", in).checkFile("OUT", out, overwrite.enabled());
        Checkpoint c = CheckpointStore.find().load(model);
        try (OperatorCatalog cat = catalog.open()) {
            ModelFile.Loaded loaded = ModelFile.load(model, c, cat);
            NeuralOperator op = loaded.operator();
            Config config = loaded.config();
            RunData d;
            try {
                d = RunData.read(in, config, 0, 1, false);
            } catch (DataFormatException e) {
                throw new IllegalArgumentException(ModelFile.forTrainedModel(e.getMessage()), e);
            }
            // where IN also holds the target, a point-query operator's output is laid out on the target's grid
            Tensor pred = OperatorRun.predict(op, d, batch);
            Map<String, Tensor> fields = new LinkedHashMap<>();
            fields.put(d.inputName(), d.input());
            fields.put("prediction", pred);
            Map<String, Tensor> coords = new LinkedHashMap<>();
            d.points().ifPresent(p -> coords.put("points", p));
            Map<String, Object> attrs = new LinkedHashMap<>();
            attrs.put("input", d.inputName());
            attrs.put("target", "prediction");
            attrs.put("operator", op.name());
            attrs.put("model", model.toAbsolutePath().normalize().toString());
            attrs.put("source", in.toAbsolutePath().normalize().toString());
            DatasetSource.find().write(out, new DatasetContent(fields, coords, attrs, false));
            o.println("wrote " + out + ": prediction " + Arrays.toString(pred.shape()) + " from " + d.inputName() + " "
                    + Arrays.toString(d.input().shape()));
            o.flush();
        }
        return 0;
    }
}
