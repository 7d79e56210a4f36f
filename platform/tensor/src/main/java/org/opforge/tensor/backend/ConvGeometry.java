package org.opforge.tensor.backend;

import java.util.Arrays;

/**
 * The sliding-window geometry shared by convolution and pooling kernels: for each of the 1 to 3
 * spatial axes an input size {@code n}, kernel size {@code k}, stride {@code s}, padding {@code p}
 * (the same on both sides) and dilation {@code d}. Output position {@code o} and kernel offset
 * {@code j} read input index {@code i = o*s - p + j*d}; the output size is
 * {@code floor((n + 2p - d(k-1) - 1) / s) + 1}. Where {@code i} falls outside {@code [0, n)} the
 * value is zero, or, when {@link #circular()}, the input at {@code i mod n} (nn.Conv's circular
 * padding: pad periodically, then an unpadded window).
 *
 * <p>Immutable; accessors index one axis so kernels read sizes without copying arrays.
 */
public final class ConvGeometry {
    private final int[] in, kernel, stride, padding, dilation, out;
    private final boolean circular;

    /**
     * @throws IllegalArgumentException when the arrays differ in length, the rank is not 1 to 3, a size is
     *         not positive, a padding is negative, or the window does not fit in the padded input
     */
    public ConvGeometry(int[] in, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean circular) {
        int r = in.length;
        if (r < 1 || r > 3) throw new IllegalArgumentException("ConvGeometry: 1 to 3 spatial axes supported, found " + r);
        if (kernel.length != r || stride.length != r || padding.length != r || dilation.length != r) {
            throw new IllegalArgumentException("ConvGeometry: input " + Arrays.toString(in) + ", kernel " + Arrays.toString(kernel)
                    + ", stride " + Arrays.toString(stride) + ", padding " + Arrays.toString(padding) + ", dilation "
                    + Arrays.toString(dilation) + " must all have " + r + " entries");
        }
        this.in = in.clone();
        this.kernel = kernel.clone();
        this.stride = stride.clone();
        this.padding = padding.clone();
        this.dilation = dilation.clone();
        this.circular = circular;
        this.out = new int[r];
        for (int a = 0; a < r; a++) {
            if (in[a] < 1 || kernel[a] < 1 || stride[a] < 1 || dilation[a] < 1 || padding[a] < 0) {
                throw new IllegalArgumentException("ConvGeometry: axis " + a + " has input " + in[a] + ", kernel " + kernel[a]
                        + ", stride " + stride[a] + ", dilation " + dilation[a] + ", padding " + padding[a]
                        + " (sizes, stride and dilation must be >= 1, padding >= 0)");
            }
            int span = in[a] + 2 * padding[a] - dilation[a] * (kernel[a] - 1) - 1;
            if (span < 0) {
                throw new IllegalArgumentException("ConvGeometry: axis " + a + ": the dilated kernel " + (dilation[a] * (kernel[a] - 1) + 1)
                        + " is larger than the padded input " + (in[a] + 2 * padding[a]));
            }
            out[a] = span / stride[a] + 1;
        }
    }

    public int rank() { return in.length; }

    public int in(int axis) { return in[axis]; }

    public int out(int axis) { return out[axis]; }

    public int kernel(int axis) { return kernel[axis]; }

    public int stride(int axis) { return stride[axis]; }

    public int padding(int axis) { return padding[axis]; }

    public int dilation(int axis) { return dilation[axis]; }

    public boolean circular() { return circular; }

    public int[] inShape() { return in.clone(); }

    public int[] outShape() { return out.clone(); }

    public int[] kernelShape() { return kernel.clone(); }

    /** Number of input positions per channel (product of the input sizes). */
    public int inVolume() { return product(in); }

    /** Number of output positions per channel. */
    public int outVolume() { return product(out); }

    /** Number of kernel offsets (product of the kernel sizes). */
    public int kernelVolume() { return product(kernel); }

    /** True when every output reads exactly the input at the same index: kernel, stride and dilation 1, no padding. */
    public boolean isPointwise() {
        for (int a = 0; a < in.length; a++) {
            if (kernel[a] != 1 || stride[a] != 1 || padding[a] != 0) return false;
        }
        return true;
    }

    private static int product(int[] v) {
        long p = 1;
        for (int x : v) p *= x;
        if (p > Integer.MAX_VALUE) throw new IllegalArgumentException("ConvGeometry: volume " + p + " exceeds the int range");
        return (int) p;
    }

    @Override public String toString() {
        return "ConvGeometry(in " + Arrays.toString(in) + ", kernel " + Arrays.toString(kernel) + ", stride " + Arrays.toString(stride)
                + ", padding " + Arrays.toString(padding) + (circular ? " circular" : " zeros") + ", dilation "
                + Arrays.toString(dilation) + " -> out " + Arrays.toString(out) + ")";
    }
}
