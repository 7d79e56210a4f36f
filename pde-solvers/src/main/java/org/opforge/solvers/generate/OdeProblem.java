package org.opforge.solvers.generate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hipparchus.random.Well19937c;
import org.opforge.solvers.grf.GaussianRandomField;
import org.opforge.solvers.ode.ScalarOde;

/**
 * The DeepONet paper's ODE operators on {@code [0, 1]}: the input {@code u} is an RBF-kernel GRF
 * sampled at {@code sensors} equispaced points and interpolated by a cubic spline; the target is
 * {@code s} at the same points, {@code s(0) = s0}.
 */
final class OdeProblem implements Problem {
    private final String name;
    private final String description;
    private final ScalarOde ode;

    private OdeProblem(String name, String description, ScalarOde ode) {
        this.name = name;
        this.description = description;
        this.ode = ode;
    }

    static OdeProblem antiderivative() {
        return new OdeProblem("antiderivative", "antiderivative operator s' = u(x), s(0) = s0, on [0,1]", ScalarOde.antiderivative());
    }

    static OdeProblem nonlinear() {
        return new OdeProblem("nonlinear-ode", "nonlinear ODE operator s' = -s^2 + u(x), s(0) = s0, on [0,1]", ScalarOde.nonlinear());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(
                ParameterSpec.integer("resolution", 100, 3, 100000, "sensor (and output) points on [0,1]"),
                ParameterSpec.real("length_scale", 0.2, 0, true, 1e6, "RBF kernel length scale l"),
                ParameterSpec.real("sigma", 1, 0, true, 1e6, "RBF kernel amplitude"),
                ParameterSpec.real("s0", 0, -1e12, false, 1e12, "initial value s(0)"));
    }

    /** The RBF sampler holds the kernel matrix, its jittered copy and the Cholesky factor (twice, as matrix and as array): 4 m² doubles. */
    @Override
    public long prepareBytes(Parameters p) {
        long m = p.getInt("resolution");
        return 4 * 8 * m * m;
    }

    @Override
    public Prepared prepare(Parameters p) {
        int m = p.getInt("resolution");
        double[] x = new double[m];
        for (int i = 0; i < m; i++) {
            x[i] = (double) i / (m - 1);
        }
        GaussianRandomField.RbfSampler sampler = GaussianRandomField.rbf(x, p.getDouble("length_scale"), p.getDouble("sigma"));
        double s0 = p.getDouble("s0");
        return new Prepared() {
            @Override
            public List<FieldSpec> fields() {
                return List.of(new FieldSpec("u", new int[] {m}, FieldSpec.Role.INPUT), new FieldSpec("s", new int[] {m}, FieldSpec.Role.TARGET));
            }

            @Override
            public Map<String, double[]> coordinates() {
                return Map.of("x", x);
            }

            @Override
            public Map<String, Object> attributes() {
                Map<String, Object> a = new LinkedHashMap<>();
                a.put("equation", ode.name());
                a.put("method", "RBF GRF input, natural cubic spline between sensors, Dormand-Prince 8(5,3) (Hipparchus), tolerance 1e-12");
                return a;
            }

            @Override
            public void sample(int index, long seed, SampleOutput out) {
                double[] u = sampler.sample(new Well19937c(seed));
                out.put("u", u);
                out.put("s", ode.solve(ScalarOde.interpolate(x, u), 0, s0, x));
            }
        };
    }
}
