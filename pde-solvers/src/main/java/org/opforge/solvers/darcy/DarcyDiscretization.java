package org.opforge.solvers.darcy;

/**
 * Second-order finite differences for {@code -∇·(a ∇u) = f} on the unit square with {@code u = 0}
 * on the boundary, on the node grid {@code x_i = i h}, {@code h = 1/(N-1)}, {@code i = 0..N-1}.
 * The unknowns are the {@code (N-2)²} interior nodes; the coefficient {@code a} is given at all
 * {@code N²} nodes (boundary nodes included, they enter the faces next to the boundary).
 *
 * <p>Scaled by {@code h²}, row {@code (i, j)} reads
 * {@code (a_e + a_w + a_n + a_s) u_ij - a_e u_{i+1,j} - a_w u_{i-1,j} - a_n u_{i,j+1} - a_s u_{i,j-1} = h² f_ij},
 * where a face coefficient is the harmonic mean of the two nodes it joins,
 * {@code a_e = 2 a_ij a_{i+1,j} / (a_ij + a_{i+1,j})}: the flux-continuous choice for piecewise-constant
 * coefficients, and second-order accurate for smooth ones. The matrix is symmetric positive definite.
 */
public final class DarcyDiscretization {
    private final int n;
    private final Stencil9 matrix;
    private final double[] rhs;

    /**
     * @param resolution nodes per side {@code N}, boundary included (at least 3)
     * @param coefficient {@code N²} positive values at the nodes, row-major
     * @param source {@code N²} values of {@code f} at the nodes (boundary entries ignored)
     */
    public DarcyDiscretization(int resolution, double[] coefficient, double[] source) {
        if (resolution < 3) {
            throw new IllegalArgumentException("Darcy resolution must be at least 3 nodes per side (one interior node), got " + resolution);
        }
        int nn = resolution * resolution;
        if (coefficient.length != nn) {
            throw new IllegalArgumentException("Darcy coefficient must have " + resolution + "x" + resolution + " = " + nn
                    + " values, got " + coefficient.length);
        }
        if (source.length != nn) {
            throw new IllegalArgumentException("Darcy source must have " + nn + " values, got " + source.length);
        }
        for (int p = 0; p < nn; p++) {
            if (!(coefficient[p] > 0) || !Double.isFinite(coefficient[p])) {
                throw new IllegalArgumentException("Darcy coefficient must be positive and finite, found " + coefficient[p] + " at node ("
                        + p / resolution + ", " + p % resolution + ")");
            }
        }
        this.n = resolution;
        int m = resolution - 2;
        double h = 1.0 / (resolution - 1);
        matrix = new Stencil9(m, m);
        rhs = new double[m * m];
        double[] s = matrix.s;
        for (int i = 1; i <= m; i++) {
            for (int j = 1; j <= m; j++) {
                double c = coefficient[i * n + j];
                double ae = harmonic(c, coefficient[(i + 1) * n + j]);
                double aw = harmonic(c, coefficient[(i - 1) * n + j]);
                double an = harmonic(c, coefficient[i * n + j + 1]);
                double as = harmonic(c, coefficient[i * n + j - 1]);
                int p = (i - 1) * m + (j - 1);
                int b = 9 * p;
                s[b + 4] = ae + aw + an + as;
                if (i > 1) {
                    s[b + 1] = -aw;
                }
                if (i < m) {
                    s[b + 7] = -ae;
                }
                if (j > 1) {
                    s[b + 3] = -as;
                }
                if (j < m) {
                    s[b + 5] = -an;
                }
                rhs[p] = h * h * source[i * n + j];
            }
        }
    }

    private static double harmonic(double a, double b) {
        return 2 * a * b / (a + b);
    }

    public int resolution() {
        return n;
    }

    /** Number of unknowns {@code (N-2)²}. */
    public int unknowns() {
        return rhs.length;
    }

    Stencil9 matrix() {
        return matrix;
    }

    /** The scaled right-hand side {@code h² f} at the interior nodes (a copy). */
    public double[] rhs() {
        return rhs.clone();
    }

    /** {@code out = A u} on interior vectors. */
    public void apply(double[] u, double[] out) {
        matrix.apply(u, out);
    }

    /**
     * The matrix in coordinate form, for export to other solvers: {@code rows[k], cols[k], values[k]}
     * (0-based interior indices, row-major numbering), only the non-zero entries.
     */
    public Coo toCoo() {
        int m = n - 2;
        int count = 0;
        for (double v : matrix.s) {
            if (v != 0) {
                count++;
            }
        }
        int[] r = new int[count];
        int[] c = new int[count];
        double[] v = new double[count];
        int k = 0;
        for (int p = 0; p < m * m; p++) {
            for (int o = 0; o < 9; o++) {
                double val = matrix.s[9 * p + o];
                if (val != 0) {
                    int di = o / 3 - 1;
                    int dj = o % 3 - 1;
                    r[k] = p;
                    c[k] = p + di * m + dj;
                    v[k] = val;
                    k++;
                }
            }
        }
        return new Coo(m * m, r, c, v);
    }

    /** Interior vector to a full {@code N x N} field with zero boundary values. */
    public double[] withBoundary(double[] interior) {
        int m = n - 2;
        double[] full = new double[n * n];
        for (int i = 0; i < m; i++) {
            System.arraycopy(interior, i * m, full, (i + 1) * n + 1, m);
        }
        return full;
    }

    /** A sparse matrix in coordinate form. */
    public record Coo(int size, int[] rows, int[] cols, double[] values) {
    }
}
