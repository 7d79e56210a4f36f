package org.opforge.solvers.generate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hipparchus.random.Well19937c;
import org.opforge.meshes.UniformGrid;
import org.opforge.solvers.darcy.DarcySolver;
import org.opforge.solvers.darcy.MultigridSolver;
import org.opforge.solvers.grf.GaussianRandomField;

/**
 * Darcy flow {@code -∇·(a ∇u) = f} on the unit square, {@code u = 0} on the boundary, on an
 * {@code R x R} node grid including the boundary. Coefficients follow the FNO paper's recipe
 * ({@code a = a_plus} where a Neumann GRF with covariance {@code (-Δ + τ²)^{-α}} is {@code >= 0},
 * {@code a_minus} elsewhere), or are smooth log-normal fields {@code a = exp(g)}, or are given
 * ({@code coefficients}, shape {@code [N, R, R]}). The source is a constant, or with
 * {@code source_field = grf} a smooth field per sample, {@code f = source + source_sigma g_f} with g_f a
 * GRF of the coefficient's covariance drawn from a second stream of the sample's seed; then the input is
 * {@code af [N, 2, R, R]} (the coefficient, then f, as a physics-informed operator reads both) and
 * {@code a}, {@code f} are kept beside it.
 *
 * <p>With {@code subsample = S} the problem is solved on the {@code R x R} grid and every S-th node
 * is kept in each direction, giving {@code (R-1)/S + 1} nodes per side: the FNO paper's recipe
 * (solve at 421, keep every r-th point), which makes data at several coarse resolutions hold point
 * values of the same accurately solved fields. S must divide {@code R - 1} so both boundaries stay.
 */
final class DarcyProblem implements Problem {
    /** Mixed into a sample's seed for its source field. */
    private static final long SOURCE_STREAM = 0x736f75726365L;

    @Override
    public String name() {
        return "darcy";
    }

    @Override
    public String description() {
        return "2-D Darcy flow -div(a grad u) = f on the unit square, zero Dirichlet boundary, second-order finite differences";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(
                ParameterSpec.integer("resolution", 64, 3, 4097, "grid nodes per side of the solve, boundary included"),
                ParameterSpec.integer("subsample", 1, 1, 4096, "keep every S-th node of the solve grid per side; S must divide resolution-1"),
                ParameterSpec.choice("coefficient", "fno", List.of("fno", "lognormal"),
                        "fno: piecewise constant a_plus/a_minus from the sign of a GRF; lognormal: exp(GRF)"),
                ParameterSpec.real("alpha", 2, 0, true, 100, "GRF smoothness: covariance (-Laplacian + tau^2)^(-alpha)"),
                ParameterSpec.real("tau", 3, 0, false, 1e6, "GRF inverse length scale"),
                ParameterSpec.real("sigma", 1, 0, true, 1e6, "log-normal amplitude (the FNO recipe uses tau^(alpha-1); only its sign matters)"),
                ParameterSpec.real("a_plus", 12, 0, true, 1e12, "coefficient where the GRF is non-negative (fno recipe)"),
                ParameterSpec.real("a_minus", 3, 0, true, 1e12, "coefficient where the GRF is negative (fno recipe)"),
                ParameterSpec.real("source", 1, -1e12, false, 1e12, "constant right-hand side f, or the mean of a varying one"),
                ParameterSpec.choice("source_field", "constant", List.of("constant", "grf"),
                        "constant: f = source; grf: f = source + source_sigma g, g a GRF of the same covariance as the coefficient's, "
                        + "drawn per sample (fields f and af = [a, f], the input, are added)"),
                ParameterSpec.real("source_sigma", 1, 0, true, 1e12, "source_field=grf: amplitude of the source's GRF"),
                ParameterSpec.choice("solver", "pcg", List.of("pcg", "multigrid"), "multigrid-preconditioned CG or V-cycle iteration"),
                ParameterSpec.real("tolerance", 1e-10, 0, true, 0.1, "relative residual of the linear solve"),
                ParameterSpec.array("coefficients", "given coefficient fields [N, R, R] instead of sampled ones"));
    }

    @Override
    public Prepared prepare(Parameters p) {
        int r = p.getInt("resolution");
        ParameterSpec.ArrayValue given = p.has("coefficients") ? p.getArray("coefficients") : null;
        if (given != null) {
            int[] s = given.shape();
            if (s.length != 3 || s[1] != s[2]) {
                throw new IllegalArgumentException("parameter 'coefficients' must have shape [N, R, R], got " + java.util.Arrays.toString(s));
            }
            if (s[1] != r) {
                throw new IllegalArgumentException("parameter 'coefficients' has " + s[1] + "x" + s[2] + " fields but resolution is " + r);
            }
            if (s[0] < 1) {
                throw new IllegalArgumentException("parameter 'coefficients' holds no samples");
            }
            for (int i = 0; i < given.values().length; i++) {
                double v = given.values()[i];
                if (!(v > 0) || !Double.isFinite(v)) {
                    int per = r * r;
                    throw new IllegalArgumentException("parameter 'coefficients': sample " + i / per + " has the non-positive or non-finite value "
                            + v + " at node (" + (i % per) / r + ", " + i % r + ")");
                }
            }
        }
        int stride = p.getInt("subsample");
        if ((r - 1) % stride != 0) {
            throw new IllegalArgumentException("parameter 'subsample' must divide resolution-1 = " + (r - 1)
                    + " so that the kept nodes include both boundaries, got " + stride);
        }
        if (given != null && stride != 1) {
            throw new IllegalArgumentException("parameter 'subsample' must be 1 with given coefficients, got " + stride);
        }
        int kept = (r - 1) / stride + 1;
        String recipe = p.getString("coefficient");
        double alpha = p.getDouble("alpha");
        double tau = p.getDouble("tau");
        double sigma = recipe.equals("fno") ? Math.pow(Math.max(tau, 1e-12), alpha - 1) : p.getDouble("sigma");
        double aPlus = p.getDouble("a_plus");
        double aMinus = p.getDouble("a_minus");
        double f = p.getDouble("source");
        DarcySolver solver = new DarcySolver(p.getString("solver").equals("pcg") ? MultigridSolver.Method.PCG : MultigridSolver.Method.MULTIGRID,
                p.getDouble("tolerance"), 500);
        UniformGrid grid = UniformGrid.unitNodes(2, r);
        double[] x = grid.coordinates(0);
        double[] keptX = new double[kept];
        for (int i = 0; i < kept; i++) {
            keptX[i] = x[i * stride];
        }
        boolean varying = p.getString("source_field").equals("grf");
        double sourceSigma = p.getDouble("source_sigma");
        double[] constantSource = new double[r * r];
        java.util.Arrays.fill(constantSource, f);
        return new Prepared() {
            @Override
            public List<FieldSpec> fields() {
                if (varying) {
                    return List.of(new FieldSpec("af", new int[] {2, kept, kept}, FieldSpec.Role.INPUT),
                            new FieldSpec("u", new int[] {kept, kept}, FieldSpec.Role.TARGET),
                            new FieldSpec("a", new int[] {kept, kept}, FieldSpec.Role.AUXILIARY),
                            new FieldSpec("f", new int[] {kept, kept}, FieldSpec.Role.AUXILIARY),
                            new FieldSpec("iterations", new int[0], FieldSpec.Role.AUXILIARY));
                }
                return List.of(new FieldSpec("a", new int[] {kept, kept}, FieldSpec.Role.INPUT),
                        new FieldSpec("u", new int[] {kept, kept}, FieldSpec.Role.TARGET),
                        new FieldSpec("iterations", new int[0], FieldSpec.Role.AUXILIARY));
            }

            @Override
            public Map<String, double[]> coordinates() {
                Map<String, double[]> c = new LinkedHashMap<>();
                c.put("x", keptX);
                c.put("y", keptX);
                return c;
            }

            @Override
            public Map<String, Object> attributes() {
                Map<String, Object> a = new LinkedHashMap<>();
                a.put("equation", "-div(a grad u) = f on (0,1)^2, u = 0 on the boundary");
                a.put("grid", stride == 1 ? "node-centred, boundary included, h = 1/(resolution-1)"
                        : "every " + stride + "-th node of the node-centred solve grid (boundary included, h = 1/(resolution-1)), "
                        + kept + " nodes per side");
                a.put("discretization", "5-point finite differences, harmonic-mean face coefficients");
                a.put("coefficient_source", given != null ? "given" : recipe);
                a.put("source_field", varying ? "source + source_sigma * GRF (field f; input af = [a, f])" : "constant");
                if (given == null) {
                    a.put("grf_covariance", "sigma^2 (-Laplacian + tau^2 I)^(-alpha), Neumann cosine basis, zero mean mode");
                    a.put("grf_sigma", sigma);
                }
                return a;
            }

            @Override
            public int fixedSamples() {
                return given == null ? -1 : given.shape()[0];
            }

            @Override
            public void sample(int index, long seed, SampleOutput out) {
                double[] a = new double[r * r];
                if (given != null) {
                    System.arraycopy(given.values(), index * r * r, a, 0, r * r);
                } else {
                    double[] g = GaussianRandomField.neumann2d(x, x, alpha, tau, sigma, new Well19937c(seed));
                    for (int k = 0; k < a.length; k++) {
                        a[k] = recipe.equals("fno") ? (g[k] >= 0 ? aPlus : aMinus) : Math.exp(g[k]);
                    }
                }
                double[] source = constantSource;
                if (varying) {
                    // a second stream of the sample's seed, so the coefficients are those of a constant-source run
                    double[] g = GaussianRandomField.neumann2d(x, x, alpha, tau, 1, new Well19937c(seed ^ SOURCE_STREAM));
                    source = new double[r * r];
                    for (int k = 0; k < source.length; k++) source[k] = f + sourceSigma * g[k];
                }
                DarcySolver.Solution s = solver.solve(r, a, source);
                out.put("a", keep(a));
                out.put("u", keep(s.u()));
                if (varying) {
                    double[] ka = keep(a), kf = keep(source), af = new double[2 * ka.length];
                    System.arraycopy(ka, 0, af, 0, ka.length);
                    System.arraycopy(kf, 0, af, ka.length, kf.length);
                    out.put("f", kf);
                    out.put("af", af);
                }
                out.put("iterations", new double[] {s.iterations()});
            }

            private double[] keep(double[] field) {
                if (stride == 1) {
                    return field;
                }
                double[] k = new double[kept * kept];
                for (int i = 0; i < kept; i++) {
                    for (int j = 0; j < kept; j++) {
                        k[i * kept + j] = field[i * stride * r + j * stride];
                    }
                }
                return k;
            }
        };
    }
}
