package org.opforge.decomp;

import java.util.Arrays;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.Tensor;

/**
 * An immutable dense float64 array in row-major (C) order with a shape: the operand and result type of
 * the decomposition algorithms. Element {@code (i_0, ..., i_{N-1})} sits at
 * {@code sum_k i_k * prod_{j>k} I_j}, the layout of numpy, PyTorch and tensorly.
 */
public final class DenseTensor {
    private final int[] shape;
    private final double[] data;

    private DenseTensor(double[] data, int[] shape, boolean copy) {
        this.shape = shape.clone();
        long n = 1;
        for (int d : shape) {
            if (d <= 0) throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has a size below 1");
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException("data holds " + data.length + " values, shape " + Arrays.toString(shape) + " needs " + n);
        }
        this.data = copy ? data.clone() : data;
    }

    /** A tensor holding a copy of {@code data} (row-major) with the given shape. */
    public static DenseTensor of(double[] data, int... shape) {
        return new DenseTensor(data, shape, true);
    }

    /** Takes ownership of {@code data}: the caller must not change it afterwards. */
    static DenseTensor wrap(double[] data, int... shape) {
        return new DenseTensor(data, shape, false);
    }

    public static DenseTensor zeros(int... shape) {
        long n = 1;
        for (int d : shape) n *= d;
        return new DenseTensor(new double[Math.toIntExact(n)], shape, false);
    }

    /** Copies a real tensor (float32 or float64, any device) into float64 host memory. */
    public static DenseTensor fromTensor(Tensor t) {
        if (t.dtype().isComplex()) {
            throw new IllegalArgumentException("fromTensor: expected a real tensor, found dtype " + t.dtype()
                    + " (split a complex tensor with real()/imag())");
        }
        int[] s = t.dim() == 0 ? new int[] {1} : t.shape();
        return new DenseTensor(t.toDoubleArray(), s, false);
    }

    /** This tensor as a float64 CPU {@link Tensor} (a new leaf). */
    public Tensor toTensor() {
        return Tensor.of(data.clone(), DType.FLOAT64, Device.CPU, shape);
    }

    public int[] shape() { return shape.clone(); }

    public int order() { return shape.length; }

    public int size(int mode) { return shape[checkMode(mode)]; }

    public int numel() { return data.length; }

    /** A copy of the row-major values. */
    public double[] data() { return data.clone(); }

    /** The backing array, read-only by convention (package-internal algorithms avoid copies). */
    double[] raw() { return data; }

    public double get(int... index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("get: " + index.length + " indices for a tensor of order " + shape.length);
        }
        int at = 0;
        for (int k = 0; k < shape.length; k++) {
            if (index[k] < 0 || index[k] >= shape[k]) {
                throw new IndexOutOfBoundsException("get: index " + index[k] + " out of range for mode " + k + " of size " + shape[k]);
            }
            at = at * shape[k] + index[k];
        }
        return data[at];
    }

    /** Frobenius norm sqrt(sum x^2), computed with scaling so that it neither overflows nor underflows. */
    public double norm() {
        return norm(data);
    }

    static double norm(double[] v) {
        double scale = 0, ssq = 1;
        for (double x : v) {
            if (x != 0) {
                double a = Math.abs(x);
                if (scale < a) {
                    ssq = 1 + ssq * (scale / a) * (scale / a);
                    scale = a;
                } else {
                    ssq += (a / scale) * (a / scale);
                }
            }
        }
        return scale * Math.sqrt(ssq);
    }

    /** ||this - other||_F / ||other||_F, the relative error of this tensor as an approximation of {@code reference}. */
    public double relativeErrorTo(DenseTensor reference) {
        requireSameShape("relativeErrorTo", reference);
        double[] d = new double[data.length];
        for (int i = 0; i < d.length; i++) d[i] = data[i] - reference.data[i];
        double ref = reference.norm();
        return ref == 0 ? norm(d) : norm(d) / ref;
    }

    public DenseTensor add(DenseTensor o) {
        requireSameShape("add", o);
        double[] d = new double[data.length];
        for (int i = 0; i < d.length; i++) d[i] = data[i] + o.data[i];
        return wrap(d, shape);
    }

    public DenseTensor scale(double s) {
        double[] d = new double[data.length];
        for (int i = 0; i < d.length; i++) d[i] = data[i] * s;
        return wrap(d, shape);
    }

    /** Same values, new shape with the same element count (row-major reinterpretation, as numpy.reshape). */
    public DenseTensor reshape(int... newShape) {
        return new DenseTensor(data, newShape, false);
    }

    private void requireSameShape(String op, DenseTensor o) {
        if (!Arrays.equals(shape, o.shape)) {
            throw new IllegalArgumentException(op + ": shapes " + Arrays.toString(shape) + " and " + Arrays.toString(o.shape) + " differ");
        }
    }

    int checkMode(int mode) {
        if (mode < 0 || mode >= shape.length) {
            throw new IllegalArgumentException("mode " + mode + " out of range for a tensor of order " + shape.length
                    + " (shape " + Arrays.toString(shape) + ")");
        }
        return mode;
    }

    @Override public boolean equals(Object o) {
        return o instanceof DenseTensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override public int hashCode() { return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data); }

    @Override public String toString() {
        return "DenseTensor" + Arrays.toString(shape) + (data.length <= 8 ? Arrays.toString(data) : "");
    }
}
