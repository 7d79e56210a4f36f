package org.opforge.solvers.generate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hipparchus.random.Well19937c;
import org.opforge.solvers.grf.GaussianRandomField;
import org.opforge.solvers.spectral.NavierStokes2D;

/**
 * 2-D Navier-Stokes vorticity on the unit torus as in the FNO paper: {@code w₀ ~ N(0, 7^{3/2} (-Δ + 49 I)^{-2.5})}
 * (σ = 7^{3/2}, τ = 7, α = 2.5), forcing {@code 0.1 (sin 2π(x+y) + cos 2π(x+y))}, solved by {@link NavierStokes2D}.
 */
final class NavierStokesProblem implements Problem {
    @Override
    public String name() {
        return "navier-stokes";
    }

    @Override
    public String description() {
        return "2-D incompressible Navier-Stokes in vorticity form on the periodic unit torus with forcing";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(
                ParameterSpec.integer("resolution", 64, 4, 4096, "grid points per side (a power of two)"),
                ParameterSpec.real("viscosity", 1e-3, 0, true, 1e6, "nu"),
                ParameterSpec.real("alpha", 2.5, 0, true, 100, "initial vorticity GRF smoothness"),
                ParameterSpec.real("tau", 7, 0, false, 1e6, "initial vorticity GRF inverse length scale"),
                ParameterSpec.real("sigma", Math.pow(7, 1.5), 0, true, 1e6, "initial vorticity GRF amplitude"),
                ParameterSpec.real("time", 10, 0, true, 1e6, "final time"),
                ParameterSpec.real("dt", 1e-3, 0, true, 1e3, "time step (the FNO data used 1e-4)"),
                ParameterSpec.integer("snapshots", 10, 1, 1000000, "evenly spaced recorded states, the last at the final time"),
                ParameterSpec.choice("forcing", "fno", List.of("fno", "none"), "fno: 0.1 (sin 2pi(x+y) + cos 2pi(x+y))"));
    }

    @Override
    public Prepared prepare(Parameters p) {
        int n = p.getInt("resolution");
        double nu = p.getDouble("viscosity");
        double[] forcing = p.getString("forcing").equals("fno") ? NavierStokes2D.fnoForcing(n) : null;
        new NavierStokes2D(n, nu, null); // resolution and viscosity checks
        double time = p.getDouble("time");
        double dt = p.getDouble("dt");
        int snaps = p.getInt("snapshots");
        int steps = (int) Math.ceil(time / dt - 1e-9);
        if (dt > time) {
            throw new IllegalArgumentException("parameter 'dt' (" + dt + ") exceeds parameter 'time' (" + time + ")");
        }
        if (snaps > steps) {
            throw new IllegalArgumentException("parameter 'snapshots' (" + snaps + ") exceeds the " + steps + " time steps");
        }
        double alpha = p.getDouble("alpha");
        double tau = p.getDouble("tau");
        double sigma = p.getDouble("sigma");
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = (double) i / n;
        }
        double[] t = new double[snaps];
        for (int s = 0; s < snaps; s++) {
            t[s] = time * (s + 1) / snaps;
        }
        return new Prepared() {
            @Override
            public List<FieldSpec> fields() {
                return List.of(new FieldSpec("w0", new int[] {n, n}, FieldSpec.Role.INPUT),
                        new FieldSpec("w", new int[] {snaps, n, n}, FieldSpec.Role.TARGET));
            }

            @Override
            public Map<String, double[]> coordinates() {
                Map<String, double[]> c = new LinkedHashMap<>();
                c.put("x", x);
                c.put("y", x);
                c.put("t", t);
                return c;
            }

            @Override
            public Map<String, Object> attributes() {
                Map<String, Object> a = new LinkedHashMap<>();
                a.put("equation", "w_t + u.grad w = nu Laplacian w + f, -Laplacian psi = w, u = (psi_y, -psi_x), periodic on [0,1)^2");
                a.put("method", "pseudo-spectral, 2/3 dealiasing, Crank-Nicolson viscous term, explicit advection (FNO ns_2d.py)");
                a.put("grf_covariance", "sigma^2 (-Laplacian + tau^2 I)^(-alpha), periodic, zero mean mode");
                return a;
            }

            @Override
            public void sample(int index, long seed, SampleOutput out) {
                double[] w0 = GaussianRandomField.periodic2d(n, alpha, tau, sigma, new Well19937c(seed));
                double[][] w = new NavierStokes2D(n, nu, forcing).solve(w0, time, dt, snaps);
                double[] flat = new double[snaps * n * n];
                for (int s = 0; s < snaps; s++) {
                    System.arraycopy(w[s], 0, flat, s * n * n, n * n);
                }
                out.put("w0", w0);
                out.put("w", flat);
            }
        };
    }
}
