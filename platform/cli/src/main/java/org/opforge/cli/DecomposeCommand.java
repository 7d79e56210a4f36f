package org.opforge.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.opforge.api.io.IoErrors;
import org.opforge.api.data.CheckpointStore;
import org.opforge.api.data.DataFormatException;
import org.opforge.api.data.Dataset;
import org.opforge.api.data.DatasetSource;
import org.opforge.api.decomp.DecompositionRequest;
import org.opforge.api.decomp.DecompositionService;
import org.opforge.api.decomp.DecompositionSummary;
import org.opforge.cli.bench.OperatorCatalog;
import org.opforge.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code opforge decompose}: reads one tensor from an HDF5 file (a field of a data set file, or a
 * tensor of a checkpoint such as a trained FNO's spectral weight), decomposes it as CP, Tucker or a
 * tensor train at a rank, and prints the relative reconstruction error and the parameter counts. The
 * decomposition runs in the deployed decomposition bundle, reached through the API's {@link DecompositionService}.
 */
@Command(name = "decompose", mixinStandardHelpOptions = true,
        description = {"Decompose a tensor read from an HDF5 file (CP, Tucker or tensor train) and report the "
                + "relative reconstruction error and the parameter counts.",
                "Complex tensors (checkpoint spectral weights) are decomposed through their (re, im) stack."})
public final class DecomposeCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Mixin CatalogOptions catalog;

    @Parameters(index = "0", paramLabel = "FILE", description = "HDF5 data set file or checkpoint")
    Path file;

    @Option(names = {"-d", "--dataset"}, required = true, paramLabel = "NAME",
            description = "field of a data set file, or tensor name in a checkpoint (e.g. model/fno_blocks.convs.0.weight)")
    String dataset;

    @Option(names = {"-s", "--sample"}, paramLabel = "INDEX",
            description = "decompose only this sample of a per-sample field (default: the whole field)")
    Integer sample;

    @Option(names = {"-m", "--method"}, required = true, paramLabel = "cp|tucker|tt", description = "decomposition method")
    String method;

    @Option(names = {"-r", "--rank"}, paramLabel = "RANK",
            description = "fraction of the dense parameter count (0.1), one rank (5) or per-mode ranks (4,4,2); default 0.1")
    String rank;

    @Option(names = {"--tolerance"}, paramLabel = "EPS",
            description = "tt only: choose the ranks so that ||X - X_tt|| <= EPS ||X|| (instead of --rank)")
    Double tolerance;

    @Option(names = {"--algorithm"}, paramLabel = "hooi|hosvd", defaultValue = "hooi", description = "Tucker algorithm (default: ${DEFAULT-VALUE})")
    String algorithm;

    @Option(names = {"--init"}, paramLabel = "svd|random", defaultValue = "svd", description = "CP-ALS initialization (default: ${DEFAULT-VALUE})")
    String init;

    @Option(names = {"--max-iter"}, defaultValue = "500", description = "ALS / HOOI sweeps at most (default: ${DEFAULT-VALUE})")
    int maxIterations;

    @Option(names = {"--tol"}, defaultValue = "1e-12", description = "stop when the relative error changes by less (default: ${DEFAULT-VALUE})")
    double tol;

    @Option(names = {"--seed"}, defaultValue = "0", description = "seed of random initializations (default: ${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (tolerance != null && rank != null) throw new ParameterException(spec.commandLine(), "give either --rank or --tolerance, not both");
        DecompositionRequest request;
        try {
            request = DecompositionRequest.of(method, tolerance != null ? "tol=" + tolerance : rank == null ? "0.1" : rank)
                    .withIterations(maxIterations, tol).withSeed(seed).withCpInit(init).withTuckerAlgorithm(algorithm);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        String unreadable = IoErrors.unreadable(file);
        if (unreadable != null) throw new ParameterException(spec.commandLine(), "FILE " + file + ": " + unreadable);

        Tensor x = read();
        try (OperatorCatalog services = catalog.open()) {
            DecompositionService service = services.decomposition();
            long t0 = System.nanoTime();
            out.printf(Locale.ROOT, "tensor    %s:%s  shape %s  %s%n", file.getFileName(), dataset, Arrays.toString(x.shape()), x.dtype());
            DecompositionSummary d;
            try {
                d = service.decompose(x, request);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage(), e);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            out.printf(Locale.ROOT, "method    %s (rank %s)  ranks %s%n", d.method(), d.rank(), Arrays.toString(d.ranks()));
            out.printf(Locale.ROOT, "params    dense %d  factorized %d  (%.2f%% of dense, %.1fx compression)%n",
                    d.denseParameters(), d.factorizedParameters(), 100.0 * d.factorizedParameters() / d.denseParameters(),
                    (double) d.denseParameters() / d.factorizedParameters());
            out.printf(Locale.ROOT, "error     relative Frobenius %.6e%n", d.relativeError());
            out.printf(Locale.ROOT, "work      %d sweeps, %.2f s%n", d.iterations(), seconds);
        }
        out.flush();
        return 0;
    }

    /** A data set field (or one sample of it); when FILE is not a data set, a checkpoint tensor. */
    private Tensor read() {
        DataFormatException asDataset;
        try (Dataset ds = DatasetSource.find().open(file)) {
            if (sample != null) {
                if (sample < 0 || sample >= ds.samples()) {
                    throw new ParameterException(spec.commandLine(), "--sample " + sample + " is out of range: " + file + " has " + ds.samples() + " samples");
                }
                Tensor t = ds.read(dataset, new int[] {sample});
                return t.reshape(Arrays.copyOfRange(t.shape(), 1, t.dim()));
            }
            return ds.readAll(dataset);
        } catch (DataFormatException e) {
            asDataset = e;
        } catch (ParameterException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + dataset + " from " + file + ": " + e.getMessage(), e);
        }
        if (sample != null) throw new ParameterException(spec.commandLine(), "--sample needs a data set file; " + file + ": " + asDataset.getMessage());
        try {
            return CheckpointStore.find().load(file).tensor(dataset);
        } catch (RuntimeException e) {
            throw new ParameterException(spec.commandLine(), file + " has no readable tensor '" + dataset + "': as a data set: "
                    + asDataset.getMessage() + "; as a checkpoint: " + e.getMessage());
        }
    }
}
