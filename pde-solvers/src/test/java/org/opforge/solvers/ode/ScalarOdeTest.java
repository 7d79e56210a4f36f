package org.opforge.solvers.ode;

import static org.junit.jupiter.api.Assertions.*;

import org.hipparchus.analysis.UnivariateFunction;
import org.junit.jupiter.api.Test;

class ScalarOdeTest {
    private static final double[] POINTS = {0, 0.1, 0.25, 0.5, 0.5, 0.75, 1.0};

    @Test
    void antiderivativeOfPolynomialsAndSines() {
        ScalarOde ode = ScalarOde.antiderivative();
        double[] s = ode.solve(x -> 3 * x * x - 2 * x + 0.5, 0, 1.0, POINTS);
        for (int i = 0; i < POINTS.length; i++) {
            double x = POINTS[i];
            assertEquals(1.0 + x * x * x - x * x + 0.5 * x, s[i], 1e-11);
        }
        s = ode.solve(x -> Math.sin(7 * x), 0, 0, POINTS);
        for (int i = 0; i < POINTS.length; i++) {
            assertEquals((1 - Math.cos(7 * POINTS[i])) / 7, s[i], 1e-11);
        }
    }

    @Test
    void nonlinearOdeMatchesAClosedForm() {
        // with u = 1 and s(0) = 0, s' = 1 - s² gives s = tanh x
        double[] s = ScalarOde.nonlinear().solve(x -> 1.0, 0, 0, POINTS);
        for (int i = 0; i < POINTS.length; i++) {
            assertEquals(Math.tanh(POINTS[i]), s[i], 1e-11);
        }
    }

    @Test
    void splineInputIsFourthOrderAccurate() {
        double[] x = new double[101];
        double[] u = new double[101];
        for (int i = 0; i < x.length; i++) {
            x[i] = i / 100.0;
            u[i] = Math.cos(3 * x[i]);
        }
        UnivariateFunction f = ScalarOde.interpolate(x, u);
        double[] s = ScalarOde.antiderivative().solve(f, 0, 0, new double[] {1.0});
        assertEquals(Math.sin(3.0) / 3, s[0], 1e-6);
        assertThrows(IllegalArgumentException.class, () -> ScalarOde.antiderivative().solve(f, 0.5, 0, new double[] {0.2}));
    }
}
