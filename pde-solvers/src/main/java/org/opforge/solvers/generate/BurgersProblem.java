package org.opforge.solvers.generate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hipparchus.random.Well19937c;
import org.opforge.solvers.grf.GaussianRandomField;
import org.opforge.solvers.spectral.BurgersSolver;

/**
 * Viscous Burgers on the periodic unit interval from GRF initial conditions (FNO paper:
 * {@code u₀ ~ N(0, 625 (-Δ + 25 I)^{-2})}, i.e. σ = 25, τ = 5, α = 2), solved by
 * {@link BurgersSolver}; the target is {@code u} at {@code snapshots} evenly spaced times up to {@code time}.
 */
final class BurgersProblem implements Problem {
    @Override
    public String name() {
        return "burgers";
    }

    @Override
    public String description() {
        return "1-D viscous Burgers u_t + (u^2/2)_x = nu u_xx on the periodic unit interval";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(
                ParameterSpec.integer("resolution", 1024, 4, 1 << 20, "grid points (a power of two)"),
                ParameterSpec.real("viscosity", 0.1, 0, true, 1e6, "nu"),
                ParameterSpec.real("alpha", 2, 0, true, 100, "initial-condition GRF smoothness"),
                ParameterSpec.real("tau", 5, 0, false, 1e6, "initial-condition GRF inverse length scale"),
                ParameterSpec.real("sigma", 25, 0, true, 1e6, "initial-condition GRF amplitude"),
                ParameterSpec.real("time", 1, 0, true, 1e6, "final time"),
                ParameterSpec.integer("snapshots", 1, 1, 100000, "evenly spaced output times, the last at the final time"),
                ParameterSpec.real("cfl", 0.4, 0, true, 2, "advective Courant number of the ETDRK4 step"));
    }

    @Override
    public Prepared prepare(Parameters p) {
        int n = p.getInt("resolution");
        double nu = p.getDouble("viscosity");
        new BurgersSolver(n, nu); // resolution and viscosity checks before any work
        double alpha = p.getDouble("alpha");
        double tau = p.getDouble("tau");
        double sigma = p.getDouble("sigma");
        double time = p.getDouble("time");
        int snaps = p.getInt("snapshots");
        double cfl = p.getDouble("cfl");
        double[] times = new double[snaps];
        for (int s = 0; s < snaps; s++) {
            times[s] = time * (s + 1) / snaps;
        }
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = (double) i / n;
        }
        return new Prepared() {
            @Override
            public List<FieldSpec> fields() {
                return List.of(new FieldSpec("u0", new int[] {n}, FieldSpec.Role.INPUT),
                        new FieldSpec("u", snaps == 1 ? new int[] {n} : new int[] {snaps, n}, FieldSpec.Role.TARGET));
            }

            @Override
            public Map<String, double[]> coordinates() {
                Map<String, double[]> c = new LinkedHashMap<>();
                c.put("x", x);
                c.put("t", times);
                return c;
            }

            @Override
            public Map<String, Object> attributes() {
                Map<String, Object> a = new LinkedHashMap<>();
                a.put("equation", "u_t + (u^2/2)_x = nu u_xx, periodic on [0,1)");
                a.put("method", "Fourier pseudo-spectral (2/3 dealiasing), ETDRK4 (Kassam-Trefethen contour coefficients)");
                a.put("grf_covariance", "sigma^2 (-Laplacian + tau^2 I)^(-alpha), periodic, zero mean mode");
                return a;
            }

            @Override
            public void sample(int index, long seed, SampleOutput out) {
                double[] u0 = GaussianRandomField.periodic1d(n, alpha, tau, sigma, new Well19937c(seed));
                double[][] u = new BurgersSolver(n, nu).solve(u0, times, cfl);
                double[] flat = new double[snaps * n];
                for (int s = 0; s < snaps; s++) {
                    System.arraycopy(u[s], 0, flat, s * n, n);
                }
                out.put("u0", u0);
                out.put("u", flat);
            }
        };
    }
}
