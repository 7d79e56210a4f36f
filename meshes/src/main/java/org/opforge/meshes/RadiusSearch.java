package org.opforge.meshes;

import java.util.Arrays;

/**
 * Fixed-radius neighbour search in 2-D by a uniform grid of cells of side {@code r} (or more for a huge extent): the points
 * within {@code r} of a query lie in the 3x3 cells around it, so a query costs the points of nine
 * cells instead of all of them, and building is one counting sort. Immutable and thread-safe.
 */
public final class RadiusSearch {
    private final double[] xy;
    private final double radius;
    /** Cell side: the radius, or more when the extent would need over 4096 cells per axis. */
    private final double cell;
    private final double x0;
    private final double y0;
    private final int nx;
    private final int ny;
    /** Points of cell {@code c} are {@code order[start[c] .. start[c+1]-1]}, ascending. */
    private final int[] start;
    private final int[] order;

    /**
     * @param xy interleaved coordinates {@code x0, y0, x1, y1, ...} of the searched points (copied)
     * @param radius the search radius, positive
     */
    public RadiusSearch(double[] xy, double radius) {
        if (!(radius > 0) || !Double.isFinite(radius)) {
            throw new IllegalArgumentException("search radius must be positive and finite, got " + radius);
        }
        if (xy.length % 2 != 0) {
            throw new IllegalArgumentException("interleaved 2-D coordinates must have even length, got " + xy.length);
        }
        this.xy = xy.clone();
        this.radius = radius;
        int n = xy.length / 2;
        double xmin = Double.POSITIVE_INFINITY;
        double ymin = Double.POSITIVE_INFINITY;
        double xmax = Double.NEGATIVE_INFINITY;
        double ymax = Double.NEGATIVE_INFINITY;
        for (int p = 0; p < n; p++) {
            if (!Double.isFinite(xy[2 * p]) || !Double.isFinite(xy[2 * p + 1])) {
                throw new IllegalArgumentException("point " + p + " has a non-finite coordinate (" + xy[2 * p] + ", " + xy[2 * p + 1] + ")");
            }
            xmin = Math.min(xmin, xy[2 * p]);
            xmax = Math.max(xmax, xy[2 * p]);
            ymin = Math.min(ymin, xy[2 * p + 1]);
            ymax = Math.max(ymax, xy[2 * p + 1]);
        }
        if (n == 0) {
            xmin = xmax = ymin = ymax = 0;
        }
        x0 = xmin;
        y0 = ymin;
        cell = Math.max(radius, Math.max(xmax - xmin, ymax - ymin) / 4000);
        nx = (int) Math.floor((xmax - xmin) / cell) + 1;
        ny = (int) Math.floor((ymax - ymin) / cell) + 1;
        start = new int[nx * ny + 1];
        int[] cell = new int[n];
        for (int p = 0; p < n; p++) {
            cell[p] = cellX(xy[2 * p]) * ny + cellY(xy[2 * p + 1]);
            start[cell[p] + 1]++;
        }
        for (int c = 0; c < nx * ny; c++) {
            start[c + 1] += start[c];
        }
        order = new int[n];
        int[] fill = Arrays.copyOf(start, nx * ny);
        for (int p = 0; p < n; p++) {
            order[fill[cell[p]]++] = p;
        }
    }

    private int cellX(double x) {
        return Math.max(0, Math.min(nx - 1, (int) Math.floor((x - x0) / cell)));
    }

    private int cellY(double y) {
        return Math.max(0, Math.min(ny - 1, (int) Math.floor((y - y0) / cell)));
    }

    /** Receives the index of a neighbour and its squared distance. */
    @FunctionalInterface
    public interface Visitor {
        void accept(int point, double distance2);
    }

    /**
     * Visits the points strictly within the radius of {@code (qx, qy)}, ordered by cell and then by
     * index (the same order on every call).
     */
    public void forEachNeighbour(double qx, double qy, Visitor visitor) {
        double r2 = radius * radius;
        int ci = (int) Math.floor((qx - x0) / cell);
        int cj = (int) Math.floor((qy - y0) / cell);
        for (int i = Math.max(0, ci - 1); i <= Math.min(nx - 1, ci + 1); i++) {
            for (int j = Math.max(0, cj - 1); j <= Math.min(ny - 1, cj + 1); j++) {
                int c = i * ny + j;
                for (int k = start[c]; k < start[c + 1]; k++) {
                    int p = order[k];
                    double dx = xy[2 * p] - qx;
                    double dy = xy[2 * p + 1] - qy;
                    double d2 = dx * dx + dy * dy;
                    if (d2 < r2) {
                        visitor.accept(p, d2);
                    }
                }
            }
        }
    }

    public double radius() {
        return radius;
    }

    public int size() {
        return order.length;
    }
}
