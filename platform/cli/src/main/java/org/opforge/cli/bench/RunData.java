package org.opforge.cli.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.opforge.api.io.IoErrors;
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
 * <p>An operator that declares {@code data.points} (DeepONet) on data without a points field, such
 * as Burgers trajectories {@code y [N, T, X]}, gets the target grid's coordinates, each axis
 * spanning [0, 1] with both ends ({@code linspace(0, 1, n)}), as points {@code [T*X, 2]} in
 * row-major order. Such an operator's branch takes sensor values as a vector, so an input field
 * on a grid ({@code [N, 16, 16]}) is flattened to {@code [N, 256]}.
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
 * @param gridPoints whether {@code points} are the target grid's own coordinates, made here because the
 *                   operator takes query points and the file has none: then training sees the targets
 *                   flattened to {@code [N, P]} in the points' order
 * @param mask       the field {@code data.mask} names, shaped like the target (1 where a target value counts,
 *                   0 where it does not: a masked grid), when the config names one
 */
public record RunData(Path file, String inputName, String targetName, Tensor input, Tensor target, Optional<Tensor> points,
                      int subsample, boolean gridPoints, Optional<Tensor> mask) {

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
        return read(file, config, limit, subsample, withTarget, true);
    }

    /**
     * Reads the input (and points) only, never the target field even where the file has one: the
     * training data of an operator that trains without targets ({@link RunConfig#TRAIN_TARGETS}).
     */
    public static RunData readInputs(Path file, Config config, int limit) {
        return read(file, config, limit, 1, false, false);
    }

    private static RunData read(Path file, Config config, int limit, int subsample, boolean withTarget, boolean targetIfPresent) {
        String unreadable = IoErrors.unreadable(file);
        if (unreadable != null) throw new DataFormatException(file, null, "an existing HDF5 data file", unreadable);
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
            boolean target = withTarget || (targetIfPresent && outName != null && ds.fields().stream().anyMatch(f -> f.name().equals(outName)));
            if (target) perSample(ds, out, "data.target");
            if (limit > ds.samples()) {
                throw new IllegalArgumentException(file + " holds " + ds.samples() + " samples, fewer than the " + limit + " asked for");
            }
            int n = limit > 0 ? limit : ds.samples();
            requireHeap(file, n, target ? List.of(fi, ds.field(out)) : List.of(fi));
            Tensor x = float32(ds.read(in, 0, n));
            Tensor y = target ? float32(ds.read(out, 0, n)) : null;
            String maskName = RunConfig.string(config, RunConfig.MASK, "");
            Tensor m = maskName.isEmpty() ? null : float32(ds.read(perSample(ds, maskName, RunConfig.MASK).name(), 0, n));
            if (m != null && y != null && !Arrays.equals(m.shape(), y.shape())) {
                throw new DataFormatException(file, maskName, "a mask (" + RunConfig.MASK + ") shaped like the target field '" + out + "' "
                        + Arrays.toString(y.shape()), "shape " + Arrays.toString(m.shape()));
            }
            Optional<Tensor> p = Optional.empty();
            if (!pts.isEmpty() && !pts.equals(in) && !pts.equals(out) && has(ds, pts)) {
                FieldInfo pf = ds.field(pts);
                p = Optional.of(float32(pf.perSample() ? ds.read(pts, 0, n) : ds.readAll(pts)));
            }
            boolean grid = p.isEmpty() && config.values().containsKey(RunConfig.POINTS) && y != null && y.dim() >= 2;
            int[] fullGrid = y == null ? null : java.util.Arrays.copyOfRange(y.shape(), 1, y.dim());
            int strided = 0;
            if (subsample > 1) {
                int gridDims = fi.rank() - 1;
                if (gridDims < 1) throw new IllegalArgumentException("cannot subsample field '" + in + "' of " + file + ": it has no grid axis");
                x = stride(x, gridDims, subsample);
                strided = y == null ? 0 : Math.min(gridDims, y.dim() - 1);
                if (y != null) y = stride(y, strided, subsample);
                if (m != null) m = stride(m, strided, subsample);
                if (p.isPresent() && y != null && y.dim() == 2) {
                    Tensor t = p.get();
                    p = Optional.of(t.slice(t.dim() - 2, 0, t.size(t.dim() - 2), subsample));
                }
            }
            if (grid) p = Optional.of(gridPoints(fullGrid, strided, subsample));
            if (config.values().containsKey(RunConfig.POINTS) && x.dim() > 2) x = x.reshape(x.size(0), -1);
            return new RunData(file, in, target ? out : null, x, y, p, subsample, grid, Optional.ofNullable(m));
        }
    }

    /**
     * The coordinates of a grid of shape {@code sizes}, each axis {@code linspace(0, 1, n)}, the
     * trailing {@code strided} axes taken every {@code s}-th point: {@code [P, d]}, last axis fastest.
     */
    static Tensor gridPoints(int[] sizes, int strided, int s) {
        int d = sizes.length;
        double[][] axes = new double[d][];
        for (int a = 0; a < d; a++) {
            int n = sizes[a];
            int step = a >= d - strided ? s : 1;
            int kept = (n + step - 1) / step;
            axes[a] = new double[kept];
            for (int i = 0; i < kept; i++) axes[a][i] = n == 1 ? 0 : (double) (i * step) / (n - 1);
        }
        int total = 1;
        for (double[] ax : axes) total *= ax.length;
        float[] v = new float[total * d];
        int[] idx = new int[d];
        for (int p = 0; p < total; p++) {
            for (int a = 0; a < d; a++) v[p * d + a] = (float) axes[a][idx[a]];
            for (int a = d - 1; a >= 0; a--) {
                if (++idx[a] < axes[a].length) break;
                idx[a] = 0;
            }
        }
        return Tensor.of(v, total, d);
    }

    /**
     * The fields of n samples are read whole: as stored and as float32 copies, at most 8 bytes a value.
     *
     * @throws IllegalArgumentException naming the file, the sample count and the heap when they do not fit
     */
    static void requireHeap(Path file, int n, List<FieldInfo> fields) {
        long bytes = 0;
        for (FieldInfo f : fields) {
            int[] shape = f.shape();
            long perSample = 1;
            for (int i = 1; i < shape.length; i++) perSample *= shape[i];
            bytes += 8L * n * perSample;
        }
        Runtime rt = Runtime.getRuntime();
        long available = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if (bytes > available) {
            throw new IllegalArgumentException(org.opforge.cli.HeapLimits.tooLarge(file + " (" + n + " samples)", bytes, available,
                    "reading fields " + fields.stream().map(FieldInfo::name).toList(), "--train-samples / --samples"));
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
        TrainingData d = new TrainingData(input, trainingTargets(), points, Optional.empty(), trainingMask());
        if (validation.isPresent()) {
            RunData v = validation.get();
            d = d.withValidation(new TrainingData(v.input, v.trainingTargets(), v.points, Optional.empty(), v.trainingMask()));
        }
        return d;
    }

    /** The mask laid out as {@link #trainingTargets()}; empty without a mask or without targets. */
    Optional<Tensor> trainingMask() {
        if (mask.isEmpty() || target == null) return Optional.empty();
        return Optional.of(gridPoints ? mask.get().reshape(mask.get().size(0), -1) : mask.get());
    }

    /**
     * The targets as the operator trains on them: flattened to {@code [N, P]} when the points are the
     * grid's; {@code [N, 0]} when read without targets (an operator that trains on physics only).
     */
    Tensor trainingTargets() {
        if (target == null) return Tensor.zeros(DType.FLOAT32, input.device(), input.size(0), 0);
        return gridPoints ? target.reshape(target.size(0), -1) : target;
    }

    @Override public String toString() {
        return file.getFileName() + " (" + inputName + " " + Arrays.toString(input.shape())
                + (target == null ? "" : " -> " + targetName + " " + Arrays.toString(target.shape())) + (subsample > 1 ? ", every " + subsample + "th point" : "") + ")";
    }
}
