package org.opforge.training.physics;

import java.util.Arrays;

/**
 * The quadrature rule of the DGNO weak form on a disk: the points {@code xi = (g[j], g[i])} of an
 * {@code n x n} grid {@code g = linspace(-1, 1, n)} (i outer, j inner) that lie strictly inside the
 * unit disk, each with weight {@code 1 / count} (a plain mean, no area factor, as the reference), and
 * the compactly supported Wendland C4 function on them,
 * <pre>  phi(r) = (1 - r)^6 (35 r^2 + 18 r + 3) / 3,   grad phi(xi) = -(56/3) (1 - r)^5 (5 r + 1) xi ,</pre>
 * {@code r = |xi|}. A test function on the disk of centre c and radius R is {@code v(x) = phi((x - c)/R)},
 * so {@code grad v(x) = grad phi(xi) / R}. Immutable.
 */
public final class WendlandQuadrature {
    private final int grid;
    private final double[] points;    // (count, 2) row-major
    private final double[] phi;       // (count)
    private final double[] gradPhi;   // (count, 2)

    public WendlandQuadrature(int grid) {
        if (grid < 2) throw new IllegalArgumentException("quadrature grid: expected at least 2 points per side, found " + grid);
        this.grid = grid;
        double[] g = new double[grid];
        double step = 2.0 / (grid - 1);
        for (int k = 0; k < grid; k++) g[k] = -1 + k * step;
        g[grid - 1] = 1;
        double[] p = new double[2 * grid * grid];
        int count = 0;
        for (int i = 0; i < grid; i++) {
            for (int j = 0; j < grid; j++) {
                if (Math.sqrt(g[j] * g[j] + g[i] * g[i]) < 1.0) {
                    p[2 * count] = g[j];
                    p[2 * count + 1] = g[i];
                    count++;
                }
            }
        }
        if (count == 0) throw new IllegalArgumentException("quadrature grid " + grid + " has no point inside the unit disk");
        this.points = Arrays.copyOf(p, 2 * count);
        this.phi = new double[count];
        this.gradPhi = new double[2 * count];
        for (int q = 0; q < count; q++) {
            double x = points[2 * q], y = points[2 * q + 1], r = Math.sqrt(x * x + y * y), m = 1 - r;
            phi[q] = Math.pow(m, 6) * (35 * r * r + 18 * r + 3) / 3;
            double radial = -56.0 / 3.0 * Math.pow(m, 5) * (5 * r + 1);
            gradPhi[2 * q] = radial * x;
            gradPhi[2 * q + 1] = radial * y;
        }
    }

    /** Points per side of the grid the rule is cut from. */
    public int grid() { return grid; }

    /** Number of quadrature points inside the disk (25 for a 7 x 7 grid, 16 for 6 x 6). */
    public int size() { return phi.length; }

    /** The points {@code xi} as {@code (size, 2)} row-major. */
    public double[] points() { return points.clone(); }

    /** {@code phi(|xi_q|)}. */
    public double[] phi() { return phi.clone(); }

    /** {@code grad phi(xi_q)} as {@code (size, 2)} row-major. */
    public double[] gradPhi() { return gradPhi.clone(); }

    /** The mean of phi over the rule's points (the weak form's source integral per unit source). */
    public double meanPhi() {
        double s = 0;
        for (double v : phi) s += v;
        return s / phi.length;
    }
}
