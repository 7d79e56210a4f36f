package org.opforge.solvers.ode;

import org.hipparchus.analysis.UnivariateFunction;
import org.hipparchus.analysis.interpolation.SplineInterpolator;
import org.hipparchus.ode.ODEIntegrator;
import org.hipparchus.ode.ODEState;
import org.hipparchus.ode.ODEStateAndDerivative;
import org.hipparchus.ode.OrdinaryDifferentialEquation;
import org.hipparchus.ode.nonstiff.DormandPrince853Integrator;
import org.hipparchus.ode.sampling.ODEStateInterpolator;
import org.hipparchus.ode.sampling.ODEStepHandler;

/**
 * The scalar ODE operators of the DeepONet paper: given an input function {@code u}, the solution
 * {@code s} of {@code s'(x) = F(x, s(x), u(x))}, {@code s(x₀) = s₀}, at requested points.
 * {@link #antiderivative()} is {@code F = u} (so {@code s(x) = s₀ + ∫ u}); {@link #nonlinear()} is
 * {@code F = -s² + u}. Integration is Hipparchus' adaptive Dormand-Prince 8(5,3) with dense output,
 * to tolerances far below the errors of any network trained on the data.
 */
public final class ScalarOde {
    /** Right-hand side {@code F(x, s, u)}. */
    @FunctionalInterface
    public interface Rhs {
        double value(double x, double s, double u);
    }

    private final String name;
    private final Rhs rhs;
    private final double tolerance;

    public ScalarOde(String name, Rhs rhs, double tolerance) {
        if (!(tolerance > 0)) {
            throw new IllegalArgumentException("ODE tolerance must be positive, got " + tolerance);
        }
        this.name = name;
        this.rhs = rhs;
        this.tolerance = tolerance;
    }

    /** {@code s' = u}. */
    public static ScalarOde antiderivative() {
        return new ScalarOde("antiderivative", (x, s, u) -> u, 1e-12);
    }

    /** {@code s' = -s² + u}. */
    public static ScalarOde nonlinear() {
        return new ScalarOde("nonlinear s' = -s^2 + u", (x, s, u) -> -s * s + u, 1e-12);
    }

    /**
     * Natural cubic spline through sensor values: how a function known at sensor points becomes
     * an input of the ODE (Hipparchus {@link SplineInterpolator}).
     */
    public static UnivariateFunction interpolate(double[] x, double[] u) {
        if (x.length != u.length || x.length < 3) {
            throw new IllegalArgumentException("spline needs at least 3 sensors and as many values as points, got " + x.length + " points and "
                    + u.length + " values");
        }
        return new SplineInterpolator().interpolate(x, u);
    }

    /**
     * @param u the input function
     * @param x0 start of the interval, where {@code s(x₀) = s₀}
     * @param s0 initial value
     * @param points output points, non-decreasing, none before {@code x₀}
     * @return {@code s} at the points
     */
    public double[] solve(UnivariateFunction u, double x0, double s0, double[] points) {
        for (int i = 0; i < points.length; i++) {
            if (points[i] < x0 || (i > 0 && points[i] < points[i - 1])) {
                throw new IllegalArgumentException("ODE output points must be non-decreasing and not before x0=" + x0 + ", got point " + i
                        + " = " + points[i]);
            }
        }
        double[] out = new double[points.length];
        int first = 0;
        while (first < points.length && points[first] == x0) {
            out[first++] = s0;
        }
        if (first == points.length) {
            return out;
        }
        double end = points[points.length - 1];
        OrdinaryDifferentialEquation ode = new OrdinaryDifferentialEquation() {
            @Override
            public int getDimension() {
                return 1;
            }

            @Override
            public double[] computeDerivatives(double x, double[] s) {
                return new double[] {rhs.value(x, s[0], u.value(x))};
            }
        };
        double span = end - x0;
        ODEIntegrator integrator = new DormandPrince853Integrator(1e-12 * span, span, tolerance, tolerance);
        int[] next = {first};
        integrator.addStepHandler(new ODEStepHandler() {
            @Override
            public void handleStep(ODEStateInterpolator interpolator) {
                double t1 = interpolator.getCurrentState().getTime();
                while (next[0] < points.length && points[next[0]] <= t1) {
                    out[next[0]] = interpolator.getInterpolatedState(points[next[0]]).getPrimaryState()[0];
                    next[0]++;
                }
            }
        });
        try {
            ODEStateAndDerivative last = integrator.integrate(ode, new ODEState(x0, new double[] {s0}), end);
            while (next[0] < points.length) {
                out[next[0]++] = last.getPrimaryState()[0];
            }
        } catch (RuntimeException e) {
            throw new IllegalStateException(name + " integration from x0=" + x0 + " to " + end + " failed: " + e.getMessage(), e);
        }
        for (int i = 0; i < out.length; i++) {
            if (!Double.isFinite(out[i])) {
                throw new IllegalStateException(name + " solution is not finite at x=" + points[i] + " (blow-up)");
            }
        }
        return out;
    }

    public String name() {
        return name;
    }
}
