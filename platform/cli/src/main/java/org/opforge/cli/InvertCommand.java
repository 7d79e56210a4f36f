package org.opforge.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.opforge.api.InvertibleOperator;
import org.opforge.api.NeuralOperator;
import org.opforge.api.config.Config;
import org.opforge.api.data.Checkpoint;
import org.opforge.api.data.CheckpointStore;
import org.opforge.api.data.DataFormatException;
import org.opforge.api.data.Dataset;
import org.opforge.api.data.DatasetContent;
import org.opforge.api.data.DatasetSource;
import org.opforge.cli.bench.ModelFile;
import org.opforge.cli.bench.OperatorCatalog;
import org.opforge.cli.bench.RunConfig;
import org.opforge.tensor.DType;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;
import org.opforge.training.Metrics;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code opforge invert MODEL}: the inverse problem of an {@link InvertibleOperator} (DGNO): input
 * fields recovered from sparse noisy observations of the output. Observations come from a file
 * ({@code --observations OBS.h5}: per-sample field {@code observations (N, M)} and coordinates {@code points (M, d)},
 * optionally the true {@code x} and {@code y} for errors) or are made from a labelled data file
 * ({@code --from TEST.h5}: samples {@code --first} to {@code --first + --samples - 1}, M interior grid
 * nodes drawn from the seed, the target's values there with Gaussian noise at the given SNR). Writes the recovered inputs {@code a}, outputs {@code u}, the
 * observations and points, and prints the relative L2 errors when the truth is known.
 */
@Command(name = "invert", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Recover input fields from sparse noisy observations of the output with a trained invertible operator (dgno).",
                "Writes fields a (recovered input), u (its solution), observations and coords/points."})
public final class InvertCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin CatalogOptions catalog;

    @Parameters(index = "0", paramLabel = "MODEL", description = "checkpoint of an invertible operator (dgno)")
    Path model;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--observations", paramLabel = "OBS.h5", description = "observations: field observations (N, M), coords points (M, d); an invert output is one")
        Path observations;

        @Option(names = "--from", paramLabel = "DATA.h5", description = "make observations from this labelled data file (its input and target fields)")
        Path from;
    }

    @Option(names = "--nodes", paramLabel = "M", defaultValue = "100", description = "with --from: observed interior nodes (default: ${DEFAULT-VALUE})")
    int nodes;

    @Option(names = "--snr", paramLabel = "DB", defaultValue = "25", description = "with --from: signal-to-noise ratio of the noise in dB (default: ${DEFAULT-VALUE})")
    double snr;

    @Option(names = "--samples", paramLabel = "N", defaultValue = "10", description = "with --from: N samples from --first on (default: ${DEFAULT-VALUE})")
    int samples;

    @Option(names = "--first", paramLabel = "K", defaultValue = "0",
            description = "with --from: index of the first sample used, e.g. to tune on samples other than those reported (default: ${DEFAULT-VALUE})")
    int first;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "with --from: seed of the nodes and the noise (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "inversion option (repeatable), e.g. --set iterations=1000")
    List<String> sets = new ArrayList<>();

    @Option(names = "--out", required = true, paramLabel = "A.h5", description = "HDF5 file to write")
    Path out;

    @Mixin OverwriteOption overwrite;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        OutputFiles.of(spec).input("MODEL", model).input("--observations", source.observations).input("--from", source.from)
                .checkFile("--out", out, overwrite.enabled());
        Checkpoint c = CheckpointStore.find().load(model);
        try (OperatorCatalog cat = catalog.open()) {
            NeuralOperator op = cat.load(c);
            if (!(op instanceof InvertibleOperator inv)) {
                throw new IllegalArgumentException(model + ": operator '" + op.name() + "' does not solve inverse problems (dgno does)");
            }
            Config config = ModelFile.config(model, c, cat.factory(op.name()));
            Tensor points, obs, trueA = null, trueU = null;
            if (source.observations != null) {
                try (Dataset ds = DatasetSource.find().open(source.observations)) {
                    obs = ds.read("observations", 0, ds.samples()).to(DType.FLOAT32);
                    points = observationPoints(ds, source.observations);
                    if (ds.fields().stream().anyMatch(f -> f.name().equals("x"))) trueA = ds.read("x", 0, ds.samples()).to(DType.FLOAT32);
                    if (ds.fields().stream().anyMatch(f -> f.name().equals("y"))) trueU = ds.read("y", 0, ds.samples()).to(DType.FLOAT32);
                }
            } else {
                String in = RunConfig.string(config, RunConfig.INPUT, "x"), target = RunConfig.string(config, RunConfig.TARGET, "y");
                try (Dataset ds = DatasetSource.find().open(source.from)) {
                    int n = count(first, samples, ds.samples(), source.from);
                    trueA = ds.read(in, first, n).to(DType.FLOAT32);
                    trueU = ds.read(target, first, n).to(DType.FLOAT32);
                }
                if (trueU.dim() != 3) throw new DataFormatException(source.from, target, "fields (N, n, n)", Arrays.toString(trueU.shape()));
                Tensor[] made = observe(trueU, nodes, snr, seed);
                points = made[0];
                obs = made[1];
            }
            Map<String, String> options = new LinkedHashMap<>();
            RunConfig.parseSets(sets).forEach((k, v) -> options.put(k, String.valueOf(v)));
            InvertibleOperator.Inversion r = inv.invert(points, obs, options);
            Map<String, Tensor> fields = new LinkedHashMap<>();
            fields.put("a", r.inputs());
            fields.put("u", r.outputs());
            fields.put("observations", obs);
            Map<String, Object> attrs = new LinkedHashMap<>();
            attrs.put("input", "observations");
            attrs.put("target", "a");
            attrs.put("operator", op.name());
            attrs.put("model", model.toAbsolutePath().normalize().toString());
            attrs.put("seconds", r.seconds());
            r.diagnostics().forEach(attrs::put);
            o.printf(Locale.ROOT, "inverted %d sample(s) from %d observations each in %.1f s (%.1f s per sample); %s%n", obs.size(0), obs.size(1),
                    r.seconds(), r.seconds() / obs.size(0), r.diagnostics());
            if (trueA != null && Arrays.equals(trueA.shape(), r.inputs().shape())) {
                double[] e = Metrics.relativeL2(r.inputs(), trueA);
                attrs.put("relative_l2_a", Metrics.mean(e));
                o.printf(Locale.ROOT, "  relative L2 of a: mean %.4f, max %.4f%n", Metrics.mean(e), Metrics.max(e));
            }
            if (trueU != null && Arrays.equals(trueU.shape(), r.outputs().shape())) {
                double[] e = Metrics.relativeL2(r.outputs(), trueU);
                attrs.put("relative_l2_u", Metrics.mean(e));
                o.printf(Locale.ROOT, "  relative L2 of u: mean %.4f, max %.4f%n", Metrics.mean(e), Metrics.max(e));
            }
            write(out, fields, points, attrs);
            o.println("wrote " + out);
            o.flush();
        }
        return 0;
    }

    /** The coordinate the observation points are written under (stored as {@code coords/points}). */
    static final String POINTS = "points";

    /** Writes an inversion's fields with its observation points, so the file serves again as {@code --observations}. */
    static void write(Path out, Map<String, Tensor> fields, Tensor points, Map<String, Object> attrs) {
        DatasetSource.find().write(out, new DatasetContent(fields, Map.of(POINTS, points), attrs, false));
    }

    /**
     * The observation points of an observations file: the constant {@code coords/points} (an invert
     * output, or any native-layout file) or a root constant {@code points} (M, d).
     */
    static Tensor observationPoints(Dataset ds, Path file) {
        for (String name : List.of("coords/" + POINTS, POINTS)) {
            if (ds.constants().stream().anyMatch(f -> f.name().equals(name))) return ds.readAll(name).to(DType.FLOAT32);
        }
        List<String> present = new ArrayList<>();
        ds.fields().forEach(f -> present.add(f.name()));
        ds.constants().forEach(f -> present.add(f.name()));
        throw new DataFormatException(file, "coords/" + POINTS, "the observation points (M, d) as a constant coords/points (or points)",
                "no such constant; present: " + present);
    }

    /** How many samples {@code --first K --samples N} takes from a file of {@code available}: N, or fewer at the file's end. */
    static int count(int first, int samples, int available, Path file) {
        if (first < 0 || first >= available) {
            throw new IllegalArgumentException("--first: expected 0.." + (available - 1) + " (" + file + " holds " + available + " samples), found " + first);
        }
        if (samples < 1) throw new IllegalArgumentException("--samples: expected at least 1, found " + samples);
        return Math.min(samples, available - first);
    }

    /**
     * {@code [points (M, 2), observations (N, M)]}: M distinct interior nodes of the n x n grid drawn
     * from the seed (node (i, j) at (i/(n-1), j/(n-1))), and u there plus Gaussian noise of standard
     * deviation {@code rms(u of the sample at the nodes) 10^(-snr/20)}.
     */
    static Tensor[] observe(Tensor u, int m, double snrDb, long seed) {
        int b = u.size(0), n = u.size(1);
        int interior = (n - 2) * (n - 2);
        if (m < 1 || m > interior) throw new IllegalArgumentException("--nodes: expected 1.." + interior + " interior nodes, found " + m);
        Rng rng = new Rng(seed);
        int[] perm = rng.permutation(interior);
        float[] pts = new float[2 * m];
        int[] flat = new int[m];
        for (int k = 0; k < m; k++) {
            int i = 1 + perm[k] / (n - 2), j = 1 + perm[k] % (n - 2);
            pts[2 * k] = (float) i / (n - 1);
            pts[2 * k + 1] = (float) j / (n - 1);
            flat[k] = i * n + j;
        }
        float[] v = u.reshape(b, n * n).indexSelect(1, flat).toFloatArray();
        for (int s = 0; s < b; s++) {
            double ss = 0;
            for (int k = 0; k < m; k++) ss += v[s * m + k] * (double) v[s * m + k];
            double sigma = Math.sqrt(ss / m) * Math.pow(10, -snrDb / 20);
            for (int k = 0; k < m; k++) v[s * m + k] += (float) (sigma * rng.nextNormal());
        }
        return new Tensor[] {Tensor.of(pts, m, 2), Tensor.of(v, b, m)};
    }
}
