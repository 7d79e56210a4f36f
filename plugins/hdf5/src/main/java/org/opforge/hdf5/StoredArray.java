package org.opforge.hdf5;

import io.jhdf.api.Dataset;
import io.jhdf.api.dataset.ChunkedDataset;
import io.jhdf.api.dataset.ContiguousDataset;
import io.jhdf.exceptions.HdfException;
import io.jhdf.filter.PipelineFilterWithData;
import io.jhdf.object.message.DataLayout;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.opforge.api.data.DataFormatException;

/**
 * One numeric HDF5 dataset, read by boxes (hyperslabs: a start and a count per axis) in stored
 * (row-major) order. Contiguous data is memory-mapped, so reads copy straight from the page cache
 * and never hold more than the requested box on the heap; chunked data is decompressed chunk by
 * chunk through a bounded {@link ChunkCache}; compact data (tiny) is read whole once.
 */
final class StoredArray {
    /** Mapping windows stay below 2 GiB, the limit of one {@link ByteBuffer}. */
    private static final long WINDOW_BYTES = 1L << 30;
    /**
     * Stored bytes can hold at most this many bytes of chunked data: deflate's limit is 1032:1, and
     * the other filters jhdf reads (shuffle, LZF, LZ4) compress less. A field declaring more is
     * mostly unwritten chunks (fill value) or damaged, and reading it would take hours.
     */
    static final long MAX_EXPANSION = 1100;

    final Path file;
    final String key;
    final long[] dims;
    final ElementType type;
    final String storage;
    private final Source source;

    private StoredArray(Path file, String key, long[] dims, ElementType type, String storage, Source source) {
        this.file = file;
        this.key = key;
        this.dims = dims;
        this.type = type;
        this.storage = storage;
        this.source = source;
    }

    /** Wraps a jhdf dataset; checks that its type is numeric and its data lies inside the file. */
    static StoredArray of(Path file, Dataset ds, FileChannel channel, long userBlock, long fileSize, ChunkCache cache) {
        String key = stripSlash(ds.getPath());
        try {
            ElementType type = ElementType.of(ds.getDataType(), file, key);
            ByteOrder order = ElementType.order(ds.getDataType());
            long[] dims = ds.isScalar() ? new long[0] : ds.getDimensionsAsLong();
            DataLayout layout = ds.getDataLayout();
            long n = 1;
            try {
                for (long d : dims) n = Math.multiplyExact(n, d);
                Math.multiplyExact(n, (long) type.size);
            } catch (ArithmeticException e) {
                throw new DataFormatException(file, key, "a shape of fewer than 2^63 bytes", "shape " + Arrays.toString(dims), e);
            }
            Source src;
            String storage;
            if (n == 0) {
                src = new Constant(0);
                storage = "empty";
            } else if (layout == DataLayout.CONTIGUOUS && ds instanceof ContiguousDataset cd) {
                long address = cd.getDataAddress();
                long bytes = n * type.size;
                if (address < 0) { // the undefined address: storage never allocated
                    src = new Constant(fill(ds));
                    storage = "contiguous (not written: fill value)";
                } else {
                    long start = userBlock + address;
                    if (start + bytes > fileSize) {
                        throw new DataFormatException(file, key, bytes + " bytes of data at byte " + start,
                                "a file of " + fileSize + " bytes (the file is truncated)");
                    }
                    src = new Mapped(channel, start, bytes, type, order);
                    storage = "contiguous";
                }
            } else if (layout == DataLayout.CHUNKED && ds instanceof ChunkedDataset ch) {
                long declared = n * type.size;
                if (declared / MAX_EXPANSION > fileSize) {
                    throw new DataFormatException(file, key, "at most " + MAX_EXPANSION + " bytes of chunked data per stored byte (the "
                            + fileSize + "-byte file can hold " + fileSize * MAX_EXPANSION + ")", "shape " + Arrays.toString(dims) + ", "
                            + declared + " bytes: its chunks are mostly unwritten or the file is damaged");
                }
                int[] chunk = ch.getChunkDimensions();
                src = new Chunked(file, key, ch, chunk, dims, type, order, cache, fill(ds));
                List<PipelineFilterWithData> filters = ds.getFilters();
                storage = "chunked " + Arrays.toString(chunk)
                        + (filters.isEmpty() ? "" : " " + filters.stream().map(PipelineFilterWithData::getName).collect(Collectors.joining(", ")));
            } else {
                src = new InMemory(flatten(ds.getData(), n, type));
                storage = layout == null ? "unknown layout" : layout.name().toLowerCase();
            }
            return new StoredArray(file, key, dims, type, storage, src);
        } catch (HdfException e) {
            throw new DataFormatException(file, key, "a readable dataset", "jhdf error: " + e.getMessage(), e);
        }
    }

    int rank() { return dims.length; }

    long elements() {
        long n = 1;
        for (long d : dims) n *= d;
        return n;
    }

    int[] intDims() {
        int[] r = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] > Integer.MAX_VALUE) {
                throw new DataFormatException(file, key, "axis sizes below 2^31", "axis " + i + " of size " + dims[i]);
            }
            r[i] = (int) dims[i];
        }
        return r;
    }

    /** Reads the whole array into {@code dst} at {@code off}. */
    void readAll(Sink dst, int off) {
        long[] start = new long[dims.length];
        readBox(start, intDims(), dst, off);
    }

    /**
     * Reads the box {@code [start, start + count)} into {@code dst} from {@code off} on, row-major
     * over {@code count}.
     */
    void readBox(long[] start, int[] count, Sink dst, int off) {
        try {
            source.read(start, count, dims, dst, off);
        } catch (HdfException e) {
            throw new DataFormatException(file, key, "readable data in box start " + Arrays.toString(start) + " count "
                    + Arrays.toString(count), "jhdf error: " + e.getMessage(), e);
        } catch (InternalError e) {
            // a memory-mapped page past the end of a file truncated after it was opened
            throw new DataFormatException(file, key, "the file unchanged while open", "a read fault (" + e.getMessage()
                    + "); was the file truncated or replaced?", e);
        }
    }

    private static double fill(Dataset ds) {
        try {
            Object f = ds.getFillValue();
            return f instanceof Number num ? num.doubleValue() : 0.0;
        } catch (RuntimeException e) {
            return 0.0;
        }
    }

    private static String stripSlash(String p) {
        return p.startsWith("/") ? p.substring(1) : p;
    }

    private static Sink flatten(Object data, long n, ElementType type) {
        Sink s = Sink.allocate(type.dtype(), n, "dataset");
        int[] pos = {0};
        flattenInto(data, s, pos);
        return s;
    }

    private static void flattenInto(Object data, Sink s, int[] pos) {
        if (data instanceof Number num) {
            put(s, pos[0]++, num.doubleValue());
        } else if (data.getClass().isArray() && data.getClass().getComponentType().isArray()) {
            for (int i = 0; i < Array.getLength(data); i++) flattenInto(Array.get(data, i), s, pos);
        } else if (data.getClass().isArray()) {
            int n = Array.getLength(data);
            for (int i = 0; i < n; i++) {
                Object v = Array.get(data, i);
                put(s, pos[0]++, v instanceof Number num ? num.doubleValue() : Double.NaN);
            }
        } else {
            throw new IllegalStateException("unexpected jhdf data of class " + data.getClass());
        }
    }

    private static void put(Sink s, int i, double v) {
        if (s.f != null) s.f[i] = (float) v;
        else s.d[i] = v;
    }

    // ============================================================================================
    // box copy
    // ============================================================================================

    /**
     * Copies the intersection of a stored block ({@code srcOrigin}, {@code srcDims}, global
     * coordinates) with the box ({@code boxStart}, {@code boxCount}) into {@code dst}, which is
     * row-major over the box. Trailing axes that the intersection covers whole in both the block
     * and the box are merged, so a run of whole samples is one copy.
     */
    static void copyIntersection(ElementType.View src, long[] srcOrigin, long[] srcDims, long[] boxStart, int[] boxCount,
                                 Sink dst, int dstOff) {
        int r = srcDims.length;
        if (r == 0) {
            src.copy(0, 1, dst, dstOff);
            return;
        }
        long[] lo = new long[r];
        long[] ext = new long[r];
        for (int k = 0; k < r; k++) {
            lo[k] = Math.max(srcOrigin[k], boxStart[k]);
            long hi = Math.min(srcOrigin[k] + srcDims[k], boxStart[k] + boxCount[k]);
            ext[k] = hi - lo[k];
            if (ext[k] <= 0) return;
        }
        long[] srcStride = new long[r];
        long[] dstStride = new long[r];
        srcStride[r - 1] = 1;
        dstStride[r - 1] = 1;
        for (int k = r - 2; k >= 0; k--) {
            srcStride[k] = srcStride[k + 1] * srcDims[k + 1];
            dstStride[k] = dstStride[k + 1] * boxCount[k + 1];
        }
        int m = r - 1;
        while (m > 0 && ext[m] == srcDims[m] && ext[m] == boxCount[m]) m--;
        long run = 1;
        for (int k = m; k < r; k++) run *= ext[k];
        long srcBase = 0;
        long dstBase = 0;
        for (int k = 0; k < r; k++) {
            srcBase += (lo[k] - srcOrigin[k]) * srcStride[k];
            dstBase += (lo[k] - boxStart[k]) * dstStride[k];
        }
        // odometer over axes 0..m-1
        long[] idx = new long[m];
        while (true) {
            long s = srcBase;
            long d = dstBase;
            for (int k = 0; k < m; k++) {
                s += idx[k] * srcStride[k];
                d += idx[k] * dstStride[k];
            }
            copyRun(src, s, run, dst, dstOff + d);
            int k = m - 1;
            while (k >= 0 && ++idx[k] == ext[k]) idx[k--] = 0;
            if (k < 0) break;
        }
    }

    private static void copyRun(ElementType.View src, long s, long run, Sink dst, long d) {
        while (run > 0) {
            int len = (int) Math.min(run, Integer.MAX_VALUE - 8);
            src.copy(s, len, dst, (int) d);
            s += len;
            d += len;
            run -= len;
        }
    }

    // ============================================================================================
    // sources
    // ============================================================================================

    private interface Source {
        void read(long[] start, int[] count, long[] dims, Sink dst, int off);
    }

    private record Constant(double value) implements Source {
        public void read(long[] start, int[] count, long[] dims, Sink dst, int off) {
            long n = 1;
            for (int c : count) n *= c;
            dst.fill(off, (int) n, value);
        }
    }

    private record InMemory(Sink data) implements Source {
        public void read(long[] start, int[] count, long[] dims, Sink dst, int off) {
            ElementType.View v = (index, len, d, o) -> {
                if (data.f != null && d.f != null) System.arraycopy(data.f, (int) index, d.f, o, len);
                else if (data.d != null && d.d != null) System.arraycopy(data.d, (int) index, d.d, o, len);
                else for (int k = 0; k < len; k++) put(d, o + k, data.f != null ? data.f[(int) index + k] : data.d[(int) index + k]);
            };
            copyIntersection(v, new long[dims.length], dims, start, count, dst, off);
        }
    }

    /** Contiguous data mapped in windows of at most 1 GiB; a run crossing a window edge is split. */
    private static final class Mapped implements Source, ElementType.View {
        private final ElementType.View[] windows;
        private final long perWindow;

        Mapped(FileChannel channel, long start, long bytes, ElementType type, ByteOrder order) {
            this.perWindow = WINDOW_BYTES / type.size;
            int count = (int) ((bytes + perWindow * type.size - 1) / (perWindow * type.size));
            windows = new ElementType.View[count];
            try {
                for (int w = 0; w < count; w++) {
                    long pos = start + w * perWindow * type.size;
                    long len = Math.min(perWindow * type.size, start + bytes - pos);
                    windows[w] = type.view(channel.map(FileChannel.MapMode.READ_ONLY, pos, len), order);
                }
            } catch (IOException e) {
                throw new HdfException("cannot map " + bytes + " bytes at " + start + ": " + e.getMessage(), e);
            }
        }

        public void read(long[] start, int[] count, long[] dims, Sink dst, int off) {
            copyIntersection(this, new long[dims.length], dims, start, count, dst, off);
        }

        public void copy(long index, int len, Sink dst, int off) {
            while (len > 0) {
                int w = (int) (index / perWindow);
                long inWindow = index - w * perWindow;
                int n = (int) Math.min(len, perWindow - inWindow);
                windows[w].copy(inWindow, n, dst, off);
                index += n;
                off += n;
                len -= n;
            }
        }
    }

    /** Chunked data: every chunk overlapping the box is decompressed (or taken from the cache) and its part copied. */
    private static final class Chunked implements Source {
        private final Path file;
        private final String key;
        private final ChunkedDataset ds;
        private final long[] chunk;
        private final ElementType type;
        private final ByteOrder order;
        private final ChunkCache cache;
        private final double fill;

        Chunked(Path file, String key, ChunkedDataset ds, int[] chunk, long[] dims, ElementType type, ByteOrder order,
                ChunkCache cache, double fill) {
            this.file = file;
            this.key = key;
            this.ds = ds;
            this.chunk = new long[dims.length];
            for (int i = 0; i < dims.length; i++) this.chunk[i] = chunk[i];
            this.type = type;
            this.order = order;
            this.cache = cache;
            this.fill = fill;
        }

        public void read(long[] start, int[] count, long[] dims, Sink dst, int off) {
            int r = dims.length;
            long[] first = new long[r];
            long[] last = new long[r];
            for (int k = 0; k < r; k++) {
                first[k] = start[k] / chunk[k];
                last[k] = (start[k] + count[k] - 1) / chunk[k];
            }
            long[] c = first.clone();
            int[] origin = new int[r];
            long[] originL = new long[r];
            while (true) {
                for (int k = 0; k < r; k++) {
                    originL[k] = c[k] * chunk[k];
                    origin[k] = (int) originL[k];
                }
                ElementType.View v = chunkView(origin);
                if (v == null) {
                    ElementType.View f = (index, len, d, o) -> d.fill(o, len, fill);
                    copyIntersection(f, originL, chunk, start, count, dst, off);
                } else {
                    copyIntersection(v, originL, chunk, start, count, dst, off);
                }
                int k = r - 1;
                while (k >= 0 && ++c[k] > last[k]) c[k] = first[k--];
                if (k < 0) break;
            }
        }

        private ElementType.View chunkView(int[] origin) {
            List<Integer> o = new ArrayList<>(origin.length);
            for (int x : origin) o.add(x);
            ChunkCache.Key k = new ChunkCache.Key(this, o);
            ChunkCache.Entry e = cache.get(k);
            if (e != null) return e.view();
            byte[] bytes;
            synchronized (this) {
                try {
                    bytes = ds.getDecompressedChunk(origin);
                } catch (HdfException ex) {
                    String m = String.valueOf(ex.getMessage());
                    // a chunk never written is absent from the index (B-tree) or has the undefined
                    // address (fixed / extensible array index); either way it reads as the fill value
                    if (m.startsWith("No chunk with offset") || m.endsWith("at address -1")) return null;
                    throw ex;
                }
            }
            long need = type.size;
            for (long x : chunk) need *= x;
            if (bytes.length < need) {
                throw new DataFormatException(file, key, "a decompressed chunk of " + need + " bytes at offset "
                        + Arrays.toString(origin), bytes.length + " bytes");
            }
            ElementType.View v = type.view(ByteBuffer.wrap(bytes), order);
            cache.put(k, new ChunkCache.Entry(v, bytes.length));
            return v;
        }
    }
}
