package org.opforge.hdf5;

import org.opforge.tensor.DType;
import org.opforge.tensor.Tensor;

/** A host array that reads land in: float[] for float32 fields, double[] for float64 fields. */
final class Sink {
    final DType dtype;
    final float[] f;
    final double[] d;

    private Sink(DType dtype, float[] f, double[] d) {
        this.dtype = dtype;
        this.f = f;
        this.d = d;
    }

    static Sink allocate(DType dtype, long n, String what) {
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(what + " has " + n + " elements, more than one Java array holds ("
                    + (Integer.MAX_VALUE - 8) + "); read it in sample batches instead");
        }
        return dtype == DType.FLOAT64 ? new Sink(dtype, null, new double[(int) n]) : new Sink(dtype, new float[(int) n], null);
    }

    int length() { return f != null ? f.length : d.length; }

    void copyTo(int from, Sink dst, int to, int len) {
        if (f != null) System.arraycopy(f, from, dst.f, to, len);
        else System.arraycopy(d, from, dst.d, to, len);
    }

    void fill(int from, int len, double value) {
        if (f != null) java.util.Arrays.fill(f, from, from + len, (float) value);
        else java.util.Arrays.fill(d, from, from + len, value);
    }

    Tensor toTensor(int[] shape) {
        return f != null ? Tensor.of(f, shape) : Tensor.of(d, shape);
    }

    /** Number of NaN values and of infinite values in {@code [from, to)}: {nan, inf}. */
    long[] nonFinite(int from, int to) {
        long nan = 0;
        long inf = 0;
        if (f != null) {
            float any = 0;
            // x - x is NaN exactly for NaN and +-Inf, so one pass without branches finds whether to count
            for (int i = from; i < to; i++) any += f[i] - f[i];
            if (any == 0) return new long[] {0, 0};
            for (int i = from; i < to; i++) {
                if (Float.isNaN(f[i])) nan++;
                else if (Float.isInfinite(f[i])) inf++;
            }
        } else {
            double any = 0;
            for (int i = from; i < to; i++) any += d[i] - d[i];
            if (any == 0) return new long[] {0, 0};
            for (int i = from; i < to; i++) {
                if (Double.isNaN(d[i])) nan++;
                else if (Double.isInfinite(d[i])) inf++;
            }
        }
        return new long[] {nan, inf};
    }
}
