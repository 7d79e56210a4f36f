package org.opforge.meshes;

import java.util.Arrays;
import java.util.function.DoubleSupplier;

/**
 * An ordered set of points in {@code d} dimensions, stored interleaved: the coordinates of
 * point {@code p} are {@code xyz[p*d .. p*d+d-1]}. Immutable (accessors copy).
 */
public final class PointSet {
    private final int dims;
    private final double[] xyz;

    private PointSet(int dims, double[] xyz) {
        if (dims < 1) {
            throw new IllegalArgumentException("point dimension must be positive, got " + dims);
        }
        if (xyz.length % dims != 0) {
            throw new IllegalArgumentException("coordinate array length " + xyz.length + " is not a multiple of the dimension " + dims);
        }
        this.dims = dims;
        this.xyz = xyz;
    }

    /** Points from interleaved coordinates (copied). */
    public static PointSet of(int dims, double[] interleaved) {
        return new PointSet(dims, interleaved.clone());
    }

    /** 1-D points. */
    public static PointSet ofLine(double[] x) {
        return new PointSet(1, x.clone());
    }

    /** 2-D points from separate coordinate arrays. */
    public static PointSet ofPlane(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("x and y must have the same length, got " + x.length + " and " + y.length);
        }
        double[] xyz = new double[2 * x.length];
        for (int i = 0; i < x.length; i++) {
            xyz[2 * i] = x[i];
            xyz[2 * i + 1] = y[i];
        }
        return new PointSet(2, xyz);
    }

    /** {@code n} points uniformly distributed in the box {@code [lower, upper]}, from the given uniform source on [0,1). */
    public static PointSet uniformInBox(int n, double[] lower, double[] upper, DoubleSupplier uniform01) {
        if (lower.length != upper.length) {
            throw new IllegalArgumentException("box bounds have different dimensions: " + lower.length + " and " + upper.length);
        }
        int d = lower.length;
        double[] xyz = new double[n * d];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < d; k++) {
                xyz[i * d + k] = lower[k] + (upper[k] - lower[k]) * uniform01.getAsDouble();
            }
        }
        return new PointSet(d, xyz);
    }

    public int dimensions() {
        return dims;
    }

    public int size() {
        return xyz.length / dims;
    }

    /** Coordinate {@code d} of point {@code p}. */
    public double coordinate(int p, int d) {
        return xyz[p * dims + d];
    }

    /** Copies point {@code p} into {@code out}. */
    public void point(int p, double[] out) {
        System.arraycopy(xyz, p * dims, out, 0, dims);
    }

    /** Interleaved coordinates (a copy). */
    public double[] interleaved() {
        return xyz.clone();
    }

    /** Coordinate {@code d} of every point (a new array). */
    public double[] axis(int d) {
        double[] a = new double[size()];
        for (int p = 0; p < a.length; p++) {
            a[p] = xyz[p * dims + d];
        }
        return a;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PointSet p && p.dims == dims && Arrays.equals(p.xyz, xyz);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(xyz) * 31 + dims;
    }

    @Override
    public String toString() {
        return "PointSet[" + size() + " points in " + dims + "-D]";
    }
}
