package org.opforge.solvers.darcy;

/**
 * A sparse operator on the {@code nx x ny} interior nodes of a 2-D grid (row-major, zero
 * Dirichlet values outside) with at most 9 entries per row: {@code (A u)_p = Σ_k s[9p + k] u_{p + o_k}},
 * where offset {@code k = 3 (di + 1) + (dj + 1)} for {@code di, dj ∈ {-1, 0, 1}}; the centre is
 * {@code k = 4}. Galerkin coarsening of a 5-point operator with bilinear transfers produces such
 * 9-point operators. Entries that reach outside the interior are stored as zero.
 */
final class Stencil9 {
    final int nx;
    final int ny;
    final double[] s;

    Stencil9(int nx, int ny) {
        this.nx = nx;
        this.ny = ny;
        this.s = new double[9 * nx * ny];
    }

    int size() {
        return nx * ny;
    }

    /** {@code out = A u}. */
    void apply(double[] u, double[] out) {
        for (int i = 0; i < nx; i++) {
            for (int j = 0; j < ny; j++) {
                out[i * ny + j] = rowDot(i, j, u);
            }
        }
    }

    /** {@code r = f - A u}. */
    void residual(double[] u, double[] f, double[] r) {
        for (int i = 0; i < nx; i++) {
            for (int j = 0; j < ny; j++) {
                int p = i * ny + j;
                r[p] = f[p] - rowDot(i, j, u);
            }
        }
    }

    private double rowDot(int i, int j, double[] u) {
        int p = i * ny + j;
        int b = 9 * p;
        double v = s[b + 4] * u[p];
        boolean up = i > 0;
        boolean down = i < nx - 1;
        boolean left = j > 0;
        boolean right = j < ny - 1;
        if (up) {
            int q = p - ny;
            v += s[b + 1] * u[q];
            if (left) {
                v += s[b] * u[q - 1];
            }
            if (right) {
                v += s[b + 2] * u[q + 1];
            }
        }
        if (left) {
            v += s[b + 3] * u[p - 1];
        }
        if (right) {
            v += s[b + 5] * u[p + 1];
        }
        if (down) {
            int q = p + ny;
            v += s[b + 7] * u[q];
            if (left) {
                v += s[b + 6] * u[q - 1];
            }
            if (right) {
                v += s[b + 8] * u[q + 1];
            }
        }
        return v;
    }

    /** One lexicographic Gauss-Seidel sweep, forward or backward (a symmetric pair keeps the V-cycle symmetric). */
    void gaussSeidel(double[] u, double[] f, boolean forward) {
        if (forward) {
            for (int i = 0; i < nx; i++) {
                for (int j = 0; j < ny; j++) {
                    relax(i, j, u, f);
                }
            }
        } else {
            for (int i = nx - 1; i >= 0; i--) {
                for (int j = ny - 1; j >= 0; j--) {
                    relax(i, j, u, f);
                }
            }
        }
    }

    private void relax(int i, int j, double[] u, double[] f) {
        int p = i * ny + j;
        double diag = s[9 * p + 4];
        double off = rowDot(i, j, u) - diag * u[p];
        u[p] = (f[p] - off) / diag;
    }
}
