package org.opforge.meshes;

import java.util.Arrays;

/**
 * A uniform tensor-product grid in one to three dimensions over the box
 * {@code [lower_d, upper_d]}, node- or cell-centred (see {@link GridLayout}). Flattened arrays
 * use row-major order: the last axis varies fastest, so point {@code (i, j)} of a 2-D grid is at
 * {@code i * size(1) + j}. Immutable.
 */
public final class UniformGrid {
    private final int[] sizes;
    private final double[] lower;
    private final double[] upper;
    private final GridLayout layout;

    private UniformGrid(int[] sizes, double[] lower, double[] upper, GridLayout layout) {
        if (sizes.length < 1 || sizes.length > 3) {
            throw new IllegalArgumentException("grid dimension must be 1, 2 or 3, got " + sizes.length);
        }
        if (lower.length != sizes.length || upper.length != sizes.length) {
            throw new IllegalArgumentException("grid bounds: expected " + sizes.length + " lower and upper values, got "
                    + lower.length + " and " + upper.length);
        }
        int min = layout == GridLayout.NODE ? 2 : 1;
        for (int d = 0; d < sizes.length; d++) {
            if (sizes[d] < min) {
                throw new IllegalArgumentException("grid size along axis " + d + " must be at least " + min
                        + " for a " + layout + "-centred grid, got " + sizes[d]);
            }
            if (!(upper[d] > lower[d]) || !Double.isFinite(lower[d]) || !Double.isFinite(upper[d])) {
                throw new IllegalArgumentException("grid bounds along axis " + d + " must be finite with lower < upper, got ["
                        + lower[d] + ", " + upper[d] + "]");
            }
        }
        this.sizes = sizes.clone();
        this.lower = lower.clone();
        this.upper = upper.clone();
        this.layout = layout;
    }

    /** A grid with the given point counts, bounds and layout. */
    public static UniformGrid of(GridLayout layout, int[] sizes, double[] lower, double[] upper) {
        return new UniformGrid(sizes, lower, upper, layout);
    }

    /** A node-centred grid of {@code n^dims} points on the unit cube {@code [0,1]^dims}, boundary included. */
    public static UniformGrid unitNodes(int dims, int n) {
        return unit(GridLayout.NODE, dims, n);
    }

    /** A cell-centred grid of {@code n^dims} points on the unit cube. */
    public static UniformGrid unitCells(int dims, int n) {
        return unit(GridLayout.CELL, dims, n);
    }

    /**
     * A periodic grid of {@code n^dims} points {@code i / n}, {@code i = 0..n-1}, on the unit torus: the
     * node layout of the interval {@code [0, 1 - 1/n]}, which is how FFT-based solvers sample a period.
     */
    public static UniformGrid unitPeriodic(int dims, int n) {
        if (n < 2) {
            throw new IllegalArgumentException("periodic grid size must be at least 2, got " + n);
        }
        int[] s = new int[dims];
        double[] lo = new double[dims];
        double[] hi = new double[dims];
        Arrays.fill(s, n);
        Arrays.fill(hi, 1.0 - 1.0 / n);
        return new UniformGrid(s, lo, hi, GridLayout.NODE);
    }

    private static UniformGrid unit(GridLayout layout, int dims, int n) {
        int[] s = new int[dims];
        double[] lo = new double[dims];
        double[] hi = new double[dims];
        Arrays.fill(s, n);
        Arrays.fill(hi, 1.0);
        return new UniformGrid(s, lo, hi, layout);
    }

    public int dimensions() {
        return sizes.length;
    }

    public GridLayout layout() {
        return layout;
    }

    /** Number of points along axis {@code d}. */
    public int size(int d) {
        return sizes[d];
    }

    /** Point counts per axis (a copy). */
    public int[] sizes() {
        return sizes.clone();
    }

    /** Total number of points. */
    public int pointCount() {
        int n = 1;
        for (int s : sizes) {
            n *= s;
        }
        return n;
    }

    public double lower(int d) {
        return lower[d];
    }

    public double upper(int d) {
        return upper[d];
    }

    /** Distance between neighbouring points along axis {@code d}. */
    public double spacing(int d) {
        return layout == GridLayout.NODE ? (upper[d] - lower[d]) / (sizes[d] - 1) : (upper[d] - lower[d]) / sizes[d];
    }

    /** Coordinate of point {@code i} along axis {@code d}. */
    public double coordinate(int d, int i) {
        double h = spacing(d);
        return layout == GridLayout.NODE ? lower[d] + i * h : lower[d] + (i + 0.5) * h;
    }

    /** All coordinates along axis {@code d}. */
    public double[] coordinates(int d) {
        double[] c = new double[sizes[d]];
        for (int i = 0; i < c.length; i++) {
            c[i] = coordinate(d, i);
        }
        return c;
    }

    /** Flat row-major index of a multi-index. */
    public int index(int... idx) {
        if (idx.length != sizes.length) {
            throw new IllegalArgumentException("expected " + sizes.length + " indices, got " + idx.length);
        }
        int flat = 0;
        for (int d = 0; d < sizes.length; d++) {
            if (idx[d] < 0 || idx[d] >= sizes[d]) {
                throw new IndexOutOfBoundsException("index " + idx[d] + " along axis " + d + " outside [0, " + sizes[d] + ")");
            }
            flat = flat * sizes[d] + idx[d];
        }
        return flat;
    }

    /** All grid points as a point set, row-major order. */
    public PointSet points() {
        int n = pointCount();
        int dims = sizes.length;
        double[] xyz = new double[n * dims];
        double[][] c = new double[dims][];
        for (int d = 0; d < dims; d++) {
            c[d] = coordinates(d);
        }
        int[] idx = new int[dims];
        for (int p = 0; p < n; p++) {
            for (int d = 0; d < dims; d++) {
                xyz[p * dims + d] = c[d][idx[d]];
            }
            for (int d = dims - 1; d >= 0; d--) {
                if (++idx[d] < sizes[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        return PointSet.of(dims, xyz);
    }

    /** Samples a function of the coordinates at every point (row-major). */
    public double[] sample(java.util.function.ToDoubleFunction<double[]> f) {
        PointSet p = points();
        double[] out = new double[p.size()];
        double[] x = new double[sizes.length];
        for (int i = 0; i < out.length; i++) {
            p.point(i, x);
            out[i] = f.applyAsDouble(x);
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UniformGrid g && g.layout == layout && Arrays.equals(g.sizes, sizes)
                && Arrays.equals(g.lower, lower) && Arrays.equals(g.upper, upper);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sizes) * 31 + layout.hashCode();
    }

    @Override
    public String toString() {
        return "UniformGrid" + Arrays.toString(sizes) + " " + layout + " over " + Arrays.toString(lower) + "-" + Arrays.toString(upper);
    }
}
