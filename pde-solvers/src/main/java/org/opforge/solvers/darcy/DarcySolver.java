package org.opforge.solvers.darcy;

/**
 * Solves {@code -∇·(a ∇u) = f} on the unit square with {@code u = 0} on the boundary
 * (discretisation: {@link DarcyDiscretization}; solver: {@link MultigridSolver}).
 */
public final class DarcySolver {
    private final MultigridSolver.Method method;
    private final double tolerance;
    private final int maxIterations;

    /**
     * @param method PCG (default choice: fewest cycles) or plain multigrid
     * @param tolerance relative residual to reach (positive)
     * @param maxIterations iteration cap (positive)
     */
    public DarcySolver(MultigridSolver.Method method, double tolerance, int maxIterations) {
        if (!(tolerance > 0) || tolerance >= 1) {
            throw new IllegalArgumentException("Darcy solver tolerance must be in (0, 1), got " + tolerance);
        }
        if (maxIterations < 1) {
            throw new IllegalArgumentException("Darcy solver maxIterations must be positive, got " + maxIterations);
        }
        this.method = method;
        this.tolerance = tolerance;
        this.maxIterations = maxIterations;
    }

    /** Multigrid-preconditioned CG to a relative residual of 1e-10. */
    public static DarcySolver defaults() {
        return new DarcySolver(MultigridSolver.Method.PCG, 1e-10, 200);
    }

    /**
     * @param resolution nodes per side, boundary included
     * @param coefficient {@code a} at the nodes, row-major
     * @param source {@code f} at the nodes
     * @return the solution at all nodes (zero on the boundary) and solver statistics
     * @throws IllegalStateException when the iteration cap is reached before the tolerance
     */
    public Solution solve(int resolution, double[] coefficient, double[] source) {
        DarcyDiscretization d = new DarcyDiscretization(resolution, coefficient, source);
        MultigridSolver mg = MultigridSolver.forDarcy(d);
        double[] x = new double[d.unknowns()];
        MultigridSolver.Result r = mg.solve(d.rhs(), x, method, tolerance, maxIterations);
        if (!r.converged()) {
            throw new IllegalStateException("Darcy " + method + " solve at " + resolution + "x" + resolution + " stopped after "
                    + r.iterations() + " iterations with relative residual " + r.relativeResidual() + " > tolerance " + tolerance);
        }
        return new Solution(d.withBoundary(x), r.iterations(), r.relativeResidual());
    }

    /** Solution at all {@code N²} nodes with the iteration count and final relative residual. */
    public record Solution(double[] u, int iterations, double relativeResidual) {
    }
}
