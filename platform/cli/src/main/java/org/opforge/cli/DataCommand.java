package org.opforge.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.opforge.api.data.DataFormatException;
import org.opforge.api.data.Dataset;
import org.opforge.api.data.DatasetContent;
import org.opforge.api.data.DatasetOptions;
import org.opforge.api.data.DatasetSource;
import org.opforge.api.data.FieldInfo;
import org.opforge.api.data.FieldStats;
import org.opforge.api.data.NonFinitePolicy;
import org.opforge.tensor.DType;
import org.opforge.tensor.Tensor;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code opforge data inspect FILE [--json] [--layout L]} and {@code opforge data convert IN OUT}.
 * A bad file ends as one line on stderr naming the file, the key, what was expected and what was
 * found, and exit code 1; non-finite values count as bad unless {@code --allow-nonfinite}.
 */
@Command(name = "data", mixinStandardHelpOptions = true,
        description = "Inspect data set files (native, PDEBench, FNO .mat, neuraloperator, DeepONet) and convert them to the native layout.",
        subcommands = {DataCommand.Inspect.class, DataCommand.Convert.class, CommandLine.HelpCommand.class})
public final class DataCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: inspect or convert");
    }

    static DatasetSource source() {
        return DatasetSource.find();
    }

    /** Prints a data error as one line and returns the failure exit code. */
    static int fail(CommandSpec spec, DataFormatException e) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("opforge data " + spec.name() + ": " + e.getMessage());
        err.flush();
        return Main.FAILED;
    }

    @Command(name = "inspect", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Print a data set file's layout, sample count, and each field's shape, dtype and value range.",
                    "Layouts: native, fno-mat, pdebench-groups, pdebench-darcy, pdebench-1d, deeponet, neuralop, generic."})
    static final class Inspect implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Parameters(index = "0", paramLabel = "FILE", description = "HDF5 data set file (.h5, .hdf5, MATLAB v7.3 .mat)")
        Path file;

        @Option(names = "--json", description = "print one JSON object: layout, samples, fields (name -> shape, dtype, min, max, ...)")
        boolean json;

        @Option(names = "--layout", paramLabel = "L", description = "read as this layout instead of detecting it")
        String layout;

        @Option(names = "--allow-nonfinite", description = "exit 0 even when fields hold NaN or infinite values (they are always counted)")
        boolean allowNonFinite;

        @Override public Integer call() {
            try (Dataset ds = source().open(file, DatasetOptions.defaults().withLayout(layout).withNonFinite(NonFinitePolicy.ALLOW))) {
                Map<String, FieldStats> stats = new LinkedHashMap<>();
                for (FieldInfo f : ds.fields()) stats.put(f.name(), ds.stats(f.name()));
                for (FieldInfo f : ds.constants()) stats.put(f.name(), ds.stats(f.name()));
                PrintWriter out = spec.commandLine().getOut();
                if (json) Output.json(out, report(ds, stats));
                else text(out, ds, stats);
                List<String> bad = new ArrayList<>();
                stats.forEach((k, s) -> {
                    if (s.nonFinite() > 0) bad.add("'" + k + "' " + s.nan() + " NaN, " + (s.posInf() + s.negInf()) + " infinite");
                });
                if (!bad.isEmpty() && !allowNonFinite) {
                    throw new DataFormatException(file, null, "finite values (pass --allow-nonfinite to accept them)",
                            "non-finite values in " + String.join("; ", bad));
                }
                return 0;
            } catch (DataFormatException e) {
                return fail(spec, e);
            }
        }

        static Map<String, Object> report(Dataset ds, Map<String, FieldStats> stats) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("file", ds.file().toString());
            r.put("layout", ds.layout());
            r.put("samples", ds.samples());
            r.put("fields", describe(ds.fields(), stats));
            r.put("constants", describe(ds.constants(), stats));
            r.put("roles", ds.roles());
            Map<String, Object> attrs = new LinkedHashMap<>();
            ds.attributes().forEach((k, v) -> attrs.put(k, v instanceof Double d ? number(d) : v));
            r.put("attributes", attrs);
            return r;
        }

        private static Map<String, Object> describe(List<FieldInfo> fields, Map<String, FieldStats> stats) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (FieldInfo f : fields) {
                FieldStats s = stats.get(f.name());
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("shape", f.shape());
                d.put("dtype", f.dtype().toString());
                d.put("min", number(s.min()));
                d.put("max", number(s.max()));
                d.put("mean", number(s.mean()));
                d.put("nan", s.nan());
                d.put("inf", s.posInf() + s.negInf());
                d.put("storage", f.storage());
                m.put(f.name(), d);
            }
            return m;
        }

        /** JSON has no NaN: a range over no finite value is null. */
        private static Object number(double v) {
            return Double.isFinite(v) ? v : null;
        }

        private static void text(PrintWriter out, Dataset ds, Map<String, FieldStats> stats) {
            out.println("file     " + ds.file());
            String roles = ds.roles().isEmpty() ? "" : " (input " + ds.roles().get("input") + ", target " + ds.roles().get("target") + ")";
            out.println("layout   " + ds.layout() + roles);
            out.println("samples  " + ds.samples());
            out.println();
            table(out, "field", ds.fields(), stats);
            if (!ds.constants().isEmpty()) {
                out.println();
                table(out, "constant", ds.constants(), stats);
            }
            if (!ds.attributes().isEmpty()) {
                out.println();
                out.println("attributes");
                ds.attributes().forEach((k, v) -> out.println("  " + k + " = " + brief(v)));
            }
            out.flush();
        }

        private static void table(PrintWriter out, String kind, List<FieldInfo> fields, Map<String, FieldStats> stats) {
            List<List<String>> rows = new ArrayList<>();
            for (FieldInfo f : fields) {
                FieldStats s = stats.get(f.name());
                String nonFinite = s.nonFinite() == 0 ? "" : s.nan() + " NaN, " + (s.posInf() + s.negInf()) + " inf";
                rows.add(List.of(f.name(), Arrays.toString(f.shape()), f.dtype().toString(), fmt(s.min()), fmt(s.max()), fmt(s.mean()),
                        nonFinite.isEmpty() ? f.storage() : nonFinite + "; " + f.storage()));
            }
            Output.table(out, List.of(kind, "shape", "dtype", "min", "max", "mean", "storage"), rows);
        }

        private static String fmt(double v) {
            return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.6g", v);
        }

        private static String brief(Object v) {
            String s = v instanceof long[] a ? Arrays.toString(a) : v instanceof double[] a ? Arrays.toString(a)
                    : v instanceof String[] a ? Arrays.toString(a) : String.valueOf(v);
            s = s.replace("\n", "\\n");
            return s.length() <= 100 ? s : s.substring(0, 97) + "... (" + s.length() + " chars)";
        }
    }

    @Command(name = "convert", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Write a data set file of any readable layout as a native data set file.",
                    "The fields are read whole: the heap must hold the data set (about its size in memory)."})
    static final class Convert implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Parameters(index = "0", paramLabel = "IN", description = "input data set file")
        Path in;

        @Parameters(index = "1", paramLabel = "OUT", description = "output native HDF5 file (written to a temporary file, then moved)")
        Path out;

        @Option(names = "--layout", paramLabel = "L", description = "read IN as this layout instead of detecting it")
        String layout;

        @Option(names = "--float32", description = "store float64 fields and coordinates as float32")
        boolean float32;

        @Option(names = "--compress", description = "chunk by samples with shuffle + deflate")
        boolean compress;

        @CommandLine.Mixin OverwriteOption overwrite;

        @Option(names = "--allow-nonfinite", description = "convert even when fields hold NaN or infinite values")
        boolean allowNonFinite;

        @Override public Integer call() {
            OutputFiles.of(spec).input("IN", in).checkFile("OUT", out, overwrite.enabled());
            DatasetSource src = source();
            NonFinitePolicy policy = allowNonFinite ? NonFinitePolicy.ALLOW : NonFinitePolicy.REJECT;
            try (Dataset ds = src.open(in, DatasetOptions.defaults().withLayout(layout).withNonFinite(policy))) {
                Map<String, Tensor> fields = new LinkedHashMap<>();
                for (FieldInfo f : ds.fields()) {
                    String name = f.name().replace('/', '_');
                    if (name.equals("coords")) name = "coords_";
                    fields.put(name, cast(ds.readAll(f.name())));
                }
                Map<String, Tensor> coords = new LinkedHashMap<>();
                for (FieldInfo f : ds.constants()) {
                    String name = f.name().startsWith("coords/") ? f.name().substring("coords/".length()) : f.name();
                    coords.put(name, cast(ds.readAll(f.name())));
                }
                Map<String, Object> attrs = new LinkedHashMap<>();
                ds.attributes().forEach((k, v) -> {
                    if (!k.equals("opforge_format") && !k.equals("opforge_version") && !k.equals("input") && !k.equals("target")) attrs.put(k, v);
                });
                attrs.put("converted_from", in.toAbsolutePath().toString());
                attrs.put("converted_from_layout", ds.layout());
                ds.roles().forEach((role, field) -> attrs.put(role, field.replace('/', '_')));
                src.write(out, new DatasetContent(fields, coords, attrs, compress));
                PrintWriter o = spec.commandLine().getOut();
                o.printf(Locale.ROOT, "wrote %s: native layout, %d samples, fields %s, %d bytes (from %s, layout %s)%n", out, ds.samples(),
                        fields.keySet(), Files.size(out), in, ds.layout());
                o.flush();
                return 0;
            } catch (DataFormatException e) {
                return fail(spec, e);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        private Tensor cast(Tensor t) {
            return float32 && t.dtype() == DType.FLOAT64 ? t.to(DType.FLOAT32) : t;
        }
    }
}
