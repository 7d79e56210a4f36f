package org.opforge.api.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opforge.api.config.FlatJson;
import org.opforge.api.io.AtomicFiles;
import org.opforge.tensor.Tensor;

/**
 * One data set stored as shards: a manifest (JSON: {@code opforge_format = "dataset-shards"}, the
 * shard files relative to the manifest and their sample counts) and native data set files holding
 * consecutive sample ranges with the same fields, constants and attributes. Sample {@code i} of the
 * whole is sample {@code i - offset[s]} of shard {@code s}. {@link DatasetSource} implementations
 * open a manifest as this class, so every reader takes either form ({@code opforge data convert
 * MANIFEST FILE.h5} writes the single-file form).
 */
public final class ShardedDataset implements Dataset {
    /** Value of {@code opforge_format} in a manifest. */
    public static final String FORMAT = "dataset-shards";

    private final Path manifest;
    private final List<Dataset> shards;
    private final int[] offsets;
    private final int samples;

    private ShardedDataset(Path manifest, List<Dataset> shards) {
        this.manifest = manifest;
        this.shards = shards;
        this.offsets = new int[shards.size() + 1];
        for (int s = 0; s < shards.size(); s++) offsets[s + 1] = offsets[s] + shards.get(s).samples();
        this.samples = offsets[shards.size()];
    }

    /** Whether {@code file} is a manifest (a JSON object) rather than a data file. */
    public static boolean isManifest(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            int c;
            while ((c = in.read()) == ' ' || c == '\n' || c == '\r' || c == '\t') {
                // leading white space
            }
            return c == '{';
        } catch (IOException e) {
            return false;
        }
    }

    /** Writes a manifest listing {@code shards} (paths relative to the manifest's folder) and their sample counts. */
    public static void writeManifest(Path manifest, List<String> shards, int[] samples) {
        if (shards.size() != samples.length || shards.isEmpty()) {
            throw new IllegalArgumentException("a manifest needs one sample count per shard and at least one shard; found "
                    + shards.size() + " shards and " + samples.length + " counts");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("opforge_format", FORMAT);
        m.put("samples", Arrays.stream(samples).sum());
        m.put("shards", List.copyOf(shards));
        m.put("shard_samples", Arrays.stream(samples).boxed().toList());
        AtomicFiles.writeString(manifest, FlatJson.write(m) + "\n");
    }

    /**
     * Opens the shards of {@code manifest} with {@code source}.
     *
     * @throws DataFormatException when the manifest is malformed, a shard is missing, or the shards disagree
     */
    public static ShardedDataset open(Path manifest, DatasetSource source, DatasetOptions options) {
        Map<String, Object> m;
        try {
            m = FlatJson.read(Files.readString(manifest));
        } catch (IOException | RuntimeException e) {
            throw new DataFormatException(manifest, null, "a data set manifest (JSON)", String.valueOf(e.getMessage()), e);
        }
        if (!FORMAT.equals(m.get("opforge_format"))) {
            throw new DataFormatException(manifest, "opforge_format", "\"" + FORMAT + "\"", String.valueOf(m.get("opforge_format")), null);
        }
        if (!(m.get("shards") instanceof List<?> names) || !(m.get("shard_samples") instanceof List<?> counts) || names.size() != counts.size()
                || names.isEmpty()) {
            throw new DataFormatException(manifest, "shards", "a non-empty list of shard files with as many shard_samples",
                    m.get("shards") + " / " + m.get("shard_samples"), null);
        }
        List<Dataset> open = new ArrayList<>();
        try {
            Path dir = manifest.toAbsolutePath().getParent();
            for (int s = 0; s < names.size(); s++) {
                Dataset d = source.open(dir.resolve(String.valueOf(names.get(s))), options);
                open.add(d);
                int want = ((Number) counts.get(s)).intValue();
                if (d.samples() != want) {
                    throw new DataFormatException(d.file(), null, want + " samples (manifest " + manifest.getFileName() + ")", d.samples() + " samples", null);
                }
                Dataset first = open.get(0);
                for (FieldInfo f : first.fields()) {
                    FieldInfo g = d.fields().stream().filter(x -> x.name().equals(f.name())).findFirst().orElse(null);
                    if (g == null || !Arrays.equals(f.sampleShape(), g.sampleShape())) {
                        throw new DataFormatException(d.file(), f.name(), "samples of shape " + Arrays.toString(f.sampleShape()) + " as in "
                                + first.file().getFileName(), g == null ? "no such field" : Arrays.toString(g.sampleShape()), null);
                    }
                }
            }
        } catch (RuntimeException e) {
            open.forEach(Dataset::close);
            throw e;
        }
        return new ShardedDataset(manifest, open);
    }

    @Override public Path file() { return manifest; }

    @Override public String layout() { return FORMAT + " of " + shards.get(0).layout(); }

    @Override public int samples() { return samples; }

    /** Number of shard files. */
    public int shards() { return shards.size(); }

    @Override public List<FieldInfo> fields() {
        List<FieldInfo> l = new ArrayList<>();
        for (FieldInfo f : shards.get(0).fields()) {
            int[] shape = f.shape();
            shape[0] = samples;
            l.add(new FieldInfo(f.name(), shape, f.dtype(), true, f.storage()));
        }
        return l;
    }

    @Override public List<FieldInfo> constants() { return shards.get(0).constants(); }

    /** The first shard's attributes with {@code samples} the total and its own range dropped. */
    @Override public Map<String, Object> attributes() {
        Map<String, Object> a = new LinkedHashMap<>(shards.get(0).attributes());
        a.remove("first_sample");
        if (a.containsKey("samples")) a.put("samples", (long) samples);
        return a;
    }

    @Override public Map<String, String> roles() { return shards.get(0).roles(); }

    private int shardOf(int index) {
        if (index < 0 || index >= samples) throw new IndexOutOfBoundsException("sample " + index + " outside [0, " + samples + ") of " + manifest);
        int s = Arrays.binarySearch(offsets, index);
        return s >= 0 ? s : -s - 2;
    }

    @Override public Tensor read(String field, int[] indices) {
        List<Tensor> parts = new ArrayList<>();
        int i = 0;
        while (i < indices.length) {
            // one read per run of indices that fall in the same shard
            int s = shardOf(indices[i]);
            int j = i;
            while (j < indices.length && shardOf(indices[j]) == s) j++;
            int[] local = new int[j - i];
            for (int k = i; k < j; k++) local[k - i] = indices[k] - offsets[s];
            parts.add(shards.get(s).read(field, local));
            i = j;
        }
        if (parts.isEmpty()) return shards.get(0).read(field, new int[0]);
        return parts.size() == 1 ? parts.get(0) : Tensor.cat(0, parts.toArray(new Tensor[0]));
    }

    @Override public Tensor read(String field, int start, int count) {
        int[] idx = new int[count];
        for (int k = 0; k < count; k++) idx[k] = start + k;
        return read(field, idx);
    }

    @Override public Tensor readAll(String field) {
        boolean perSample = shards.get(0).fields().stream().anyMatch(f -> f.name().equals(field));
        return perSample ? read(field, 0, samples) : shards.get(0).readAll(field);
    }

    @Override public FieldStats stats(String field) {
        if (shards.get(0).fields().stream().noneMatch(f -> f.name().equals(field))) return shards.get(0).stats(field);
        FieldStats.Accumulator acc = new FieldStats.Accumulator();
        for (int from = 0; from < samples; from += 64) {
            float[] v = read(field, from, Math.min(64, samples - from)).toFloatArray();
            acc.add(v, 0, v.length);
        }
        return acc.result();
    }

    @Override public void close() {
        shards.forEach(Dataset::close);
    }
}
