package org.opforge.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.opforge.api.data.Dataset;
import org.opforge.api.data.DatasetContent;
import org.opforge.api.data.DatasetSource;
import org.opforge.api.io.IoErrors;
import org.opforge.api.pde.DataGenerator;
import org.opforge.api.pde.GeneratorParameter;
import org.opforge.api.pde.MemoryLimitException;
import org.opforge.api.training.ProgressListener;
import org.opforge.cli.bench.OperatorCatalog;
import org.opforge.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code opforge generate <problem> --n N --res R --seed S --out FILE [--<parameter> VALUE ...]}: draws
 * N samples of a PDE problem with a data generator of the deployed bundles ({@code opforge-pde-solvers}:
 * every problem of its list), reached through the API's {@link DataGenerator} service, on every core, and writes
 * the native HDF5 data set layout (fields with the sample axis first, coordinates under
 * {@code coords/}, every generation parameter as a root attribute). The same seed gives the same
 * file for any thread count. All parameters are checked before the first sample is drawn.
 */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Generate a PDE data set and write it as a native HDF5 file.",
                "Problems: darcy, burgers, navier-stokes, poisson-wos, star-poisson, antiderivative, nonlinear-ode.",
                "Problem parameters are given as --<name> VALUE (e.g. --viscosity 0.01, --a-plus 12);",
                "'opforge generate <problem> --describe' lists them with their defaults."})
public final class GenerateCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Mixin CatalogOptions catalog;

    @Parameters(index = "0", paramLabel = "PROBLEM", description = "problem name")
    String problem;

    @Option(names = "--n", paramLabel = "N", description = "number of samples (with --coefficients: taken from the file)")
    Integer samples;

    @Option(names = "--res", paramLabel = "R", description = "resolution (grid points per side); default: the problem's")
    Integer resolution;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", paramLabel = "FILE", description = "output HDF5 file")
    Path out;

    @Mixin OverwriteOption overwrite;

    @Option(names = "--threads", paramLabel = "T", description = "worker threads (default: all cores)")
    Integer threads;

    @Option(names = "--compress", description = "chunk one sample per chunk with shuffle + deflate")
    boolean compress;

    @Option(names = "--coefficients", paramLabel = "FILE", description = "darcy only: solve for the coefficient fields of this data set file")
    Path coefficients;

    @Option(names = "--coefficients-field", paramLabel = "NAME",
            description = "field of --coefficients to read (default: the file's input field, else 'a')")
    String coefficientsField;

    @Option(names = "--describe", description = "print the problem's parameters and defaults, then exit")
    boolean describe;

    @Option(names = "--no-progress", description = "do not draw a progress bar")
    boolean noProgress;

    @Option(names = "--spark", paramLabel = "MASTER",
            description = "draw the samples as Spark tasks: --out is then a manifest beside one HDF5 shard per task (needs the Spark add-on)")
    String spark;

    @Option(names = "--tasks", paramLabel = "T", description = "with --spark: number of sample ranges (default: one per 64 samples)")
    Integer tasks;

    @Unmatched
    List<String> extra;

    @Override
    public Integer call() {
        try (OperatorCatalog services = catalog.open()) {
            return generate(services);
        }
    }

    private Integer generate(OperatorCatalog services) {
        PrintWriter o = spec.commandLine().getOut();
        DataGenerator p;
        try {
            p = services.generator(problem);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        if (describe) {
            o.printf("%s: %s%n", p.name(), p.description());
            for (GeneratorParameter s : p.parameters()) {
                String def = s.type().equals("array") ? "(from code or --coefficients)" : "default " + s.defaultValue();
                o.printf(Locale.ROOT, "  --%-14s %s; %s, %s%n", s.name().replace('_', '-'), s.description(), def, s.range());
            }
            o.flush();
            return 0;
        }
        if (out == null) {
            throw new ParameterException(spec.commandLine(), "missing --out FILE");
        }
        OutputFiles.of(spec).input("--coefficients", coefficients).checkFile("--out", out, overwrite.enabled());
        Map<String, Object> params = problemOptions(p);
        if (resolution != null) {
            params.put("resolution", resolution);
        }
        if (coefficients != null) {
            if (!p.name().equals("darcy")) {
                throw new ParameterException(spec.commandLine(), "--coefficients applies to the darcy problem only, not " + p.name());
            }
            Tensor a = readCoefficients();
            params.put("coefficients", a);
            if (resolution == null) {
                params.put("resolution", a.shape()[1]);
            }
        } else if (samples == null) {
            throw new ParameterException(spec.commandLine(), "missing --n N (number of samples)");
        }
        if (samples != null) Values.atLeast(spec, "--n", samples, 1);
        if (resolution != null) Values.atLeast(spec, "--res", resolution, 1);
        if (threads != null) Values.atLeast(spec, "--threads", threads, 1);
        int n = samples == null ? 0 : samples;
        if (spark != null) {
            if (coefficients != null) throw new ParameterException(spec.commandLine(), "--coefficients cannot be combined with --spark");
            try {
                p.check(params, n);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage(), e);
            }
            int k = tasks != null ? tasks : Math.max(1, (n + 63) / 64);
            if (k < 1) throw new ParameterException(spec.commandLine(), "--tasks must be positive, got " + k);
            ScaleOut.find().generate(spark, k, p.name(), params, n, seed, out, compress, o);
            return 0;
        }
        int t = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        DatasetContent data;
        long t0 = System.nanoTime();
        try {
            // every parameter check first, so a bad value fails before the bar is drawn or a sample made
            int total = p.check(params, n);
            if (t < 1) {
                throw new IllegalArgumentException("--threads must be positive, got " + t);
            }
            if (noProgress) {
                data = p.generate(params, n, seed, t, null);
            } else {
                try (ProgressBar bar = new ProgressBarBuilder().setTaskName(p.name()).setInitialMax(total)
                        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).build()) {
                    data = p.generate(params, n, seed, t, new ProgressListener() {
                        @Override public void onStep(long done, long all) { bar.stepTo(done); }
                    });
                }
            }
        } catch (MemoryLimitException e) {
            String parameter = e.parameter().equals("samples") ? "--n " + n : "--res " + params.getOrDefault("resolution", "(default)");
            throw new ParameterException(spec.commandLine(), HeapLimits.tooLarge(parameter, e.bytes(), e.available(), e.what()), e);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        double seconds = (System.nanoTime() - t0) * 1e-9;
        write(data);
        int count = data.fields().isEmpty() ? 0 : data.fields().values().iterator().next().shape()[0];
        o.printf(Locale.ROOT, "wrote %s: %s, %d samples in %.2f s (%d threads)%n", out, p.name(), count, seconds, t);
        data.fields().forEach((name, f) -> o.printf(Locale.ROOT, "  %-10s %s%n", name, Arrays.toString(f.shape())));
        o.flush();
        return 0;
    }

    /** {@code --name VALUE} and {@code --name=VALUE} pairs left over by picocli; dashes in names become underscores. */
    private Map<String, Object> problemOptions(DataGenerator p) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<String> args = extra == null ? List.of() : extra;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--") || a.length() < 3) {
                throw new ParameterException(spec.commandLine(), "unexpected argument '" + a + "': problem parameters are given as --name VALUE");
            }
            String name;
            String value;
            int eq = a.indexOf('=');
            if (eq > 0) {
                name = a.substring(2, eq);
                value = a.substring(eq + 1);
            } else {
                name = a.substring(2);
                if (i + 1 >= args.size()) {
                    throw new ParameterException(spec.commandLine(), "problem parameter --" + name + " needs a value");
                }
                value = args.get(++i);
            }
            String key = name.replace('-', '_');
            if (key.equals("resolution") || key.equals("coefficients")) {
                throw new ParameterException(spec.commandLine(), "give --" + name + " as " + (key.equals("resolution") ? "--res" : "--coefficients FILE"));
            }
            if (p.parameters().stream().noneMatch(s -> s.name().equals(key))) {
                throw new ParameterException(spec.commandLine(), "problem '" + p.name() + "' has no parameter --" + name + "; its parameters: "
                        + p.parameters().stream().map(s -> "--" + s.name().replace('_', '-')).toList());
            }
            m.put(key, value);
        }
        return m;
    }

    private Tensor readCoefficients() {
        String unreadable = IoErrors.unreadable(coefficients);
        if (unreadable != null) throw new ParameterException(spec.commandLine(), "--coefficients " + coefficients + ": " + unreadable);
        try (Dataset ds = DatasetSource.find().open(coefficients)) {
            String field = coefficientsField;
            if (field == null) {
                field = ds.roles().getOrDefault("input", "a");
            }
            String f = field;
            if (ds.fields().stream().noneMatch(i -> i.name().equals(f))) {
                throw new ParameterException(spec.commandLine(), coefficients + " has no field '" + field + "'; fields: "
                        + ds.fields().stream().map(i -> i.name()).toList() + " (choose one with --coefficients-field)");
            }
            Tensor t = ds.readAll(field);
            int[] shape = t.shape();
            // accept [N, R, R] and a singleton channel axis [N, 1, R, R]
            if (shape.length == 4 && shape[1] == 1) {
                shape = new int[] {shape[0], shape[2], shape[3]};
            }
            if (shape.length != 3 || shape[1] != shape[2]) {
                throw new ParameterException(spec.commandLine(), "field '" + field + "' of " + coefficients + " has shape "
                        + Arrays.toString(t.shape()) + "; expected [N, R, R] coefficient fields");
            }
            return t.reshape(shape);
        } catch (ParameterException e) {
            throw e;
        } catch (Exception e) {
            throw new ParameterException(spec.commandLine(), "cannot read coefficients from " + coefficients + ": " + e.getMessage(), e);
        }
    }

    private void write(DatasetContent data) {
        Map<String, Object> attrs = new LinkedHashMap<>(data.attributes());
        attrs.put("generator", "opforge generate");
        DatasetSource.find().write(out, data.withAttributes(attrs).withCompression(compress));
    }
}
