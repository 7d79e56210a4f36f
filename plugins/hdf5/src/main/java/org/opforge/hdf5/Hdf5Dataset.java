package org.opforge.hdf5;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.opforge.api.data.DataFormatException;
import org.opforge.api.data.Dataset;
import org.opforge.api.data.DatasetOptions;
import org.opforge.api.data.FieldInfo;
import org.opforge.api.data.FieldStats;
import org.opforge.api.data.NonFinitePolicy;
import org.opforge.tensor.Tensor;

/**
 * A data set file opened through jhdf. Sample reads sort the requested indices, read each run of
 * consecutive indices as one hyperslab, and scatter the samples to their places in the batch.
 */
final class Hdf5Dataset implements Dataset {
    /** Stats scan fields in blocks of about this many elements. */
    private static final long STATS_BLOCK = 1 << 22;

    private final Path file;
    private final Hdf5Files.Opened opened;
    private final ChunkCache cache;
    private final DatasetOptions options;
    private final Layouts.Parsed parsed;
    private final Map<String, Object> attributes;
    private volatile boolean closed;

    private Hdf5Dataset(Path file, Hdf5Files.Opened opened, ChunkCache cache, DatasetOptions options, Layouts.Parsed parsed) {
        this.file = file;
        this.opened = opened;
        this.cache = cache;
        this.options = options;
        this.parsed = parsed;
        this.attributes = Collections.unmodifiableMap(Hdf5Files.attributes(opened.hdf().getAttributes()));
    }

    static Hdf5Dataset open(Path file, DatasetOptions options) {
        Hdf5Files.Opened o = Hdf5Files.open(file);
        try {
            ChunkCache cache = new ChunkCache(options.chunkCacheBytes());
            Layouts.Parsed p = Layouts.parse(new Layouts.Ctx(file, o, cache), options.layout());
            return new Hdf5Dataset(file, o, cache, options, p);
        } catch (RuntimeException e) {
            o.close();
            if (e instanceof DataFormatException) throw e;
            throw new DataFormatException(file, null, "a readable data set file", e.toString(), e);
        }
    }

    @Override public Path file() { return file; }

    @Override public String layout() { return parsed.layout(); }

    @Override public int samples() { return parsed.samples(); }

    @Override public List<FieldInfo> fields() {
        List<FieldInfo> l = new ArrayList<>();
        parsed.fields().values().forEach(f -> l.add(f.info));
        return l;
    }

    @Override public List<FieldInfo> constants() {
        List<FieldInfo> l = new ArrayList<>();
        parsed.constants().values().forEach(f -> l.add(f.info));
        return l;
    }

    @Override public Map<String, Object> attributes() { return attributes; }

    @Override public Map<String, String> roles() { return parsed.roles(); }

    private Field lookup(String name) {
        if (closed) throw new IllegalStateException(file + " is closed");
        Field f = parsed.fields().get(name);
        if (f == null) f = parsed.constants().get(name);
        if (f == null) field(name); // throws with the list of names
        return f;
    }

    private Field perSample(String name) {
        Field f = lookup(name);
        if (!f.info.perSample()) {
            throw new DataFormatException(file, name, "a per-sample field to read samples from",
                    "a constant of shape " + Arrays.toString(f.info.shape()) + " (read it whole with readAll)");
        }
        return f;
    }

    @Override public Tensor read(String name, int[] indices) {
        Field f = perSample(name);
        int n = samples();
        int per = (int) f.info.elementsPerSample();
        for (int i : indices) {
            if (i < 0 || i >= n) {
                throw new IndexOutOfBoundsException(file + ": field '" + name + "': sample index " + i + " outside [0, " + n + ")");
            }
        }
        Sink out = Sink.allocate(f.info.dtype(), (long) indices.length * per, name);
        // positions sorted by sample index: runs of consecutive indices become one hyperslab each
        Integer[] pos = new Integer[indices.length];
        for (int i = 0; i < pos.length; i++) pos[i] = i;
        Arrays.sort(pos, (p, q) -> indices[p] != indices[q] ? Integer.compare(indices[p], indices[q]) : Integer.compare(p, q));
        int k = 0;
        while (k < pos.length) {
            int e = k + 1;
            boolean direct = true;
            while (e < pos.length && indices[pos[e]] - indices[pos[e - 1]] <= 1) {
                // a run: next index equal (a repeat) or one more
                if (indices[pos[e]] == indices[pos[e - 1]] || pos[e] != pos[e - 1] + 1) direct = false;
                e++;
            }
            int start = indices[pos[k]];
            int count = indices[pos[e - 1]] - start + 1;
            if (direct) {
                f.readRun(start, count, out, pos[k] * per);
            } else {
                Sink tmp = Sink.allocate(f.info.dtype(), (long) count * per, name);
                f.readRun(start, count, tmp, 0);
                for (int j = k; j < e; j++) tmp.copyTo((indices[pos[j]] - start) * per, out, pos[j] * per, per);
            }
            k = e;
        }
        check(name, out, indices);
        return out.toTensor(shape(indices.length, f.info));
    }

    @Override public Tensor read(String name, int start, int count) {
        Field f = perSample(name);
        if (start < 0 || count < 0 || start + count > samples()) {
            throw new IndexOutOfBoundsException(file + ": field '" + name + "': samples [" + start + ", " + (start + count)
                    + ") outside [0, " + samples() + ")");
        }
        Sink out = Sink.allocate(f.info.dtype(), count * f.info.elementsPerSample(), name);
        f.readRun(start, count, out, 0);
        check(name, out, null);
        return out.toTensor(shape(count, f.info));
    }

    @Override public Tensor readAll(String name) {
        Field f = lookup(name);
        long n = 1;
        for (int d : f.info.shape()) n *= d;
        Sink out = Sink.allocate(f.info.dtype(), n, name);
        f.readAll(out);
        check(name, out, null);
        return out.toTensor(f.info.shape());
    }

    @Override public FieldStats stats(String name) {
        Field f = lookup(name);
        FieldStats.Accumulator acc = new FieldStats.Accumulator();
        if (!f.info.perSample()) {
            Sink s = Sink.allocate(f.info.dtype(), f.info.elementsPerSample(), name);
            f.readAll(s);
            add(acc, s, s.length());
        } else {
            long per = Math.max(1, f.info.elementsPerSample());
            int block = (int) Math.max(1, Math.min(samples(), STATS_BLOCK / per));
            Sink s = Sink.allocate(f.info.dtype(), block * per, name);
            for (int start = 0; start < samples(); start += block) {
                int c = Math.min(block, samples() - start);
                f.readRun(start, c, s, 0);
                add(acc, s, (int) (c * per));
            }
        }
        return acc.result();
    }

    private static void add(FieldStats.Accumulator acc, Sink s, int len) {
        if (s.f != null) acc.add(s.f, 0, len);
        else acc.add(s.d, 0, len);
    }

    private void check(String name, Sink s, int[] indices) {
        if (options.nonFinite() != NonFinitePolicy.REJECT) return;
        long[] c = s.nonFinite(0, s.length());
        if (c[0] + c[1] == 0) return;
        String where = indices == null ? "" : " among samples " + brief(indices);
        throw new DataFormatException(file, name, "finite values (non-finite policy REJECT; open with NonFinitePolicy.ALLOW to accept them)",
                c[0] + " NaN and " + c[1] + " infinite values in " + s.length() + " values read" + where);
    }

    private static String brief(int[] idx) {
        if (idx.length <= 8) return Arrays.toString(idx);
        return Arrays.toString(Arrays.copyOf(idx, 8)).replace("]", ", ... (" + idx.length + " samples)]");
    }

    private static int[] shape(int n, FieldInfo info) {
        int[] s = info.shape();
        s[0] = n;
        return s;
    }

    @Override public void close() {
        if (closed) return;
        closed = true;
        cache.clear();
        opened.close();
    }

    @Override public String toString() {
        return "Hdf5Dataset[" + file + ", layout " + layout() + ", " + samples() + " samples, fields " + parsed.fields().keySet() + "]";
    }
}
