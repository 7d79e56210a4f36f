package org.opforge.hdf5;

import java.util.Arrays;
import org.opforge.api.data.FieldInfo;
import org.opforge.tensor.DType;

/**
 * How one logical field maps onto stored HDF5 datasets. A per-sample field reads runs of
 * consecutive samples; a constant reads whole.
 */
abstract class Field {
    final FieldInfo info;

    Field(FieldInfo info) {
        this.info = info;
    }

    /** Samples {@code [start, start + count)} (logical order, sample-major) into {@code dst} at {@code off}. */
    abstract void readRun(int start, int count, Sink dst, int off);

    /** The whole field into {@code dst} at 0. */
    void readAll(Sink dst) {
        readRun(0, info.shape()[0], dst, 0);
    }

    /** One dataset whose stored axis 0 is the sample axis, stored in logical order. */
    static final class Stacked extends Field {
        final StoredArray array;

        Stacked(String name, StoredArray a) {
            super(new FieldInfo(name, a.intDims(), a.type.dtype(), true, a.storage + label(a)));
            this.array = a;
        }

        @Override void readRun(int start, int count, Sink dst, int off) {
            long[] s = new long[array.rank()];
            s[0] = start;
            int[] c = array.intDims();
            c[0] = count;
            array.readBox(s, c, dst, off);
        }
    }

    /**
     * One dataset stored with all axes reversed (MATLAB's column-major order seen through HDF5):
     * logical element {@code [n, i1, ..., ik]} is stored at {@code [ik, ..., i1, n]}.
     */
    static final class Reversed extends Field {
        final StoredArray array;

        Reversed(String name, StoredArray a, boolean perSample) {
            super(new FieldInfo(name, reverse(a.intDims()), a.type.dtype(), perSample, a.storage + ", transposed (MATLAB order)" + label(a)));
            this.array = a;
        }

        @Override void readRun(int start, int count, Sink dst, int off) {
            int r = array.rank();
            long[] s = new long[r];
            int[] c = array.intDims();
            s[r - 1] = start;
            c[r - 1] = count;
            long n = 1;
            for (int x : c) n *= x;
            Sink tmp = Sink.allocate(dst.dtype, n, info.name());
            array.readBox(s, c, tmp, 0);
            reverseAxes(tmp, c, dst, off);
        }

        @Override void readAll(Sink dst) {
            int[] c = array.intDims();
            Sink tmp = Sink.allocate(dst.dtype, array.elements(), info.name());
            array.readAll(tmp, 0);
            reverseAxes(tmp, c, dst, 0);
        }
    }

    /** A dataset without a sample axis, stored in logical order. */
    static final class Constant extends Field {
        final StoredArray array;

        Constant(String name, StoredArray a) {
            super(new FieldInfo(name, a.intDims(), a.type.dtype(), false, a.storage + label(a)));
            this.array = a;
        }

        @Override void readRun(int start, int count, Sink dst, int off) {
            throw new IllegalStateException("constant '" + info.name() + "' has no samples");
        }

        @Override void readAll(Sink dst) {
            array.readAll(dst, 0);
        }
    }

    /** One dataset per sample (PDEBench's {@code 0000/data}, {@code 0001/data}, ...), all of one shape. */
    static final class PerSample extends Field {
        final StoredArray[] arrays;
        final long perSample;

        PerSample(String name, StoredArray[] arrays) {
            super(new FieldInfo(name, prepend(arrays.length, arrays[0].intDims()), arrays[0].type.dtype(), true,
                    "one dataset per sample (" + arrays[0].storage + ")" + label(arrays[0])));
            this.arrays = arrays;
            this.perSample = arrays[0].elements();
        }

        @Override void readRun(int start, int count, Sink dst, int off) {
            for (int i = 0; i < count; i++) arrays[start + i].readAll(dst, (int) (off + i * perSample));
        }
    }

    private static String label(StoredArray a) {
        DType d = a.type.dtype();
        return a.type.label.equals(d.toString()) ? "" : ", stored as " + a.type.label;
    }

    static int[] reverse(int[] a) {
        int[] r = new int[a.length];
        for (int i = 0; i < a.length; i++) r[i] = a[a.length - 1 - i];
        return r;
    }

    static int[] prepend(int n, int[] a) {
        int[] r = new int[a.length + 1];
        r[0] = n;
        System.arraycopy(a, 0, r, 1, a.length);
        return r;
    }

    /** Writes the row-major array {@code src} of shape {@code dims} transposed (all axes reversed) into {@code dst}. */
    static void reverseAxes(Sink src, int[] dims, Sink dst, int off) {
        int r = dims.length;
        if (r <= 1) {
            src.copyTo(0, dst, off, src.length());
            return;
        }
        // destination shape is reverse(dims); its strides, read in source-axis order
        long[] dstStride = new long[r];
        long acc = 1;
        for (int k = 0; k < r; k++) {
            dstStride[k] = acc; // source axis k is destination axis r-1-k, the k-th from the fastest
            acc *= dims[k];
        }
        int[] idx = new int[r];
        int n = src.length();
        long d = 0;
        for (int i = 0; i < n; i++) {
            if (src.f != null) dst.f[off + (int) d] = src.f[i];
            else dst.d[off + (int) d] = src.d[i];
            int k = r - 1;
            while (k >= 0) {
                idx[k]++;
                d += dstStride[k];
                if (idx[k] < dims[k]) break;
                d -= dstStride[k] * dims[k];
                idx[k] = 0;
                k--;
            }
        }
    }

    @Override public String toString() {
        return info + " " + Arrays.toString(info.shape());
    }
}
