package org.opforge.cli.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.opforge.api.config.Config;
import org.opforge.api.data.DataFormatException;
import org.opforge.api.data.Dataset;
import org.opforge.api.data.DatasetSource;
import org.opforge.api.data.FieldInfo;
import org.opforge.api.training.TrainingData;
import org.opforge.tensor.DType;
import org.opforge.tensor.Tensor;

/**
 * The fields an operator run reads from one data file: input, target and, for point-query
 * operators, the query points, named by the config keys {@code data.input}, {@code data.target}
 * and {@code data.points}.
 *
 * <p>Points are used when the operator declares {@code data.points}, its value is not empty, the
 * file holds that field, and it is neither the input nor the target (for data on a shared grid,
 * such as Burgers trajectories, the operator then builds the grid itself). A test file may be read
 * subsampled: every {@code s}-th point along the input's grid axes and as many trailing axes of
 * the target, which is the same functions on a grid {@code s} times coarser.
 *
 * @param file       where they came from
 * @param inputName  the input field
 * @param targetName the target field
 * @param input      {@code [N, ...]} float32
 * @param target     {@code [N, ...]} float32; null when read without target
 * @param points     {@code [P, d]} or {@code [N, P, d]}, when used
 * @param subsample  the stride applied to the grid axes (1 = as stored)
 */
public record RunData(Path file, String inputName, String targetName, Tensor input, Tensor target, Optional<Tensor> points,
                      int subsample) {

    /** The file's {@code input} / {@code target} roles, or an empty map when the file cannot be opened. */
    public static Map<String, String> roles(Path file) {
        try (Dataset ds = DatasetSource.find().open(file)) {
            return ds.roles();
        }
    }

    /**
     * Reads the fields {@code config} names.
     *
     * @param limit     read the first {@code limit} samples; 0 for all
     * @param subsample grid stride, at least 1
     * @throws DataFormatException for a missing file or field, or fields that do not fit together
     */
    public static RunData read(Path file, Config config, int limit, int subsample) {
        return read(file, config, limit, subsample, true);
    }

    /**
     * Reads the input (and points) and, when {@code withTarget}, the target; without it a missing
     * target field is no error and {@link #target()} is null.
     */
    public static RunData read(Path file, Config config, int limit, int subsample, boolean withTarget) {
        if (!Files.isRegularFile(file)) {
            throw new DataFormatException(file, null, "an existing HDF5 data file", "no such file");
        }
        if (subsample < 1) throw new IllegalArgumentException("subsample: expected at least 1, found " + subsample);
        String in = RunConfig.string(config, RunConfig.INPUT, null);
        String out = RunConfig.string(config, RunConfig.TARGET, null);
        String pts = RunConfig.string(config, RunConfig.POINTS, "");
        try (Dataset ds = DatasetSource.find().open(file)) {
            if (in == null) in = ds.roles().get("input");
            if (out == null) out = ds.roles().get("target");
            if (in == null || (out == null && withTarget)) {
                throw new DataFormatException(file, null, "input and target fields named by data.input / data.target or by the file's layout",
                        "neither; fields: " + ds.fields().stream().map(FieldInfo::name).toList());
            }
            FieldInfo fi = perSample(ds, in, "data.input");
            String outName = out;
            boolean target = withTarget || (outName != null && ds.fields().stream().anyMatch(f -> f.name().equals(outName)));
            if (target) perSample(ds, out, "data.target");
            int n = limit > 0 ? Math.min(limit, ds.samples()) : ds.samples();
            Tensor x = float32(ds.read(in, 0, n));
            Tensor y = target ? float32(ds.read(out, 0, n)) : null;
            Optional<Tensor> p = Optional.empty();
            if (!pts.isEmpty() && !pts.equals(in) && !pts.equals(out) && has(ds, pts)) {
                FieldInfo pf = ds.field(pts);
                p = Optional.of(float32(pf.perSample() ? ds.read(pts, 0, n) : ds.readAll(pts)));
            }
            if (subsample > 1) {
                int gridDims = fi.rank() - 1;
                if (gridDims < 1) throw new IllegalArgumentException("cannot subsample field '" + in + "' of " + file + ": it has no grid axis");
                x = stride(x, gridDims, subsample);
                if (y != null) y = stride(y, Math.min(gridDims, y.dim() - 1), subsample);
                if (p.isPresent() && y != null && y.dim() == 2) {
                    Tensor t = p.get();
                    p = Optional.of(t.slice(t.dim() - 2, 0, t.size(t.dim() - 2), subsample));
                }
            }
            return new RunData(file, in, target ? out : null, x, y, p, subsample);
        }
    }

    private static boolean has(Dataset ds, String name) {
        return ds.fields().stream().anyMatch(f -> f.name().equals(name)) || ds.constants().stream().anyMatch(f -> f.name().equals(name));
    }

    private static FieldInfo perSample(Dataset ds, String name, String key) {
        if (ds.fields().stream().noneMatch(f -> f.name().equals(name))) {
            throw new DataFormatException(ds.file(), name, "a per-sample field named by " + key,
                    "none; per-sample fields: " + ds.fields().stream().map(FieldInfo::name).toList()
                            + " (choose with --set " + key + "=NAME)");
        }
        return ds.field(name);
    }

    private static Tensor float32(Tensor t) {
        return t.dtype() == DType.FLOAT32 ? t : t.to(DType.FLOAT32);
    }

    private static Tensor stride(Tensor t, int trailingAxes, int s) {
        Tensor r = t;
        for (int k = 0; k < trailingAxes; k++) {
            int axis = t.dim() - 1 - k;
            r = r.slice(axis, 0, r.size(axis), s);
        }
        // a strided view may share storage with the full tensor: copy so the rest can be freed
        return r.mul(1.0);
    }

    /** Samples in the file as read. */
    public int samples() {
        return input.size(0);
    }

    /** The target's grid, e.g. "16x16" or "17x16" (the shape after the sample axis). */
    public String resolution() {
        int[] s = (target != null ? target : input).shape();
        StringBuilder b = new StringBuilder();
        for (int i = 1; i < s.length; i++) b.append(i > 1 ? "x" : "").append(s[i]);
        return b.toString();
    }

    /** Points per side along the input's last grid axis: the resolution plotted on error-vs-resolution charts. */
    public int points1d() {
        return input.dim() > 1 ? input.size(input.dim() - 1) : 1;
    }

    /** As training data, with this set as the validation set when given. */
    public TrainingData training(Optional<RunData> validation) {
        TrainingData d = new TrainingData(input, target, points, Optional.empty());
        if (validation.isPresent()) {
            RunData v = validation.get();
            d = d.withValidation(new TrainingData(v.input, v.target, v.points, Optional.empty()));
        }
        return d;
    }

    @Override public String toString() {
        return file.getFileName() + " (" + inputName + " " + Arrays.toString(input.shape())
                + (target == null ? "" : " -> " + targetName + " " + Arrays.toString(target.shape())) + (subsample > 1 ? ", every " + subsample + "th point" : "") + ")";
    }
}
