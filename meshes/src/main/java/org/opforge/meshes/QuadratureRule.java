package org.opforge.meshes;

import java.util.function.ToDoubleFunction;
import org.hipparchus.analysis.integration.gauss.GaussIntegrator;
import org.hipparchus.analysis.integration.gauss.GaussIntegratorFactory;

/**
 * A quadrature rule {@code ∫ f ≈ Σ w_i f(x_i)} on a point set. Gauss-Legendre nodes come from
 * Hipparchus; tensor products combine 1-D rules; trapezoid and midpoint rules integrate data
 * sampled on uniform node- and cell-centred grids. Immutable.
 */
public final class QuadratureRule {
    private final PointSet points;
    private final double[] weights;

    private QuadratureRule(PointSet points, double[] weights) {
        if (points.size() != weights.length) {
            throw new IllegalArgumentException("quadrature has " + points.size() + " points but " + weights.length + " weights");
        }
        this.points = points;
        this.weights = weights;
    }

    /** A rule from explicit points and weights (copied). */
    public static QuadratureRule of(PointSet points, double[] weights) {
        return new QuadratureRule(points, weights.clone());
    }

    /** {@code n}-point Gauss-Legendre rule on {@code [a, b]}: exact for polynomials of degree {@code 2n - 1}. */
    public static QuadratureRule gaussLegendre(int n, double a, double b) {
        if (n < 1) {
            throw new IllegalArgumentException("Gauss-Legendre rule needs at least one point, got " + n);
        }
        if (!(b > a)) {
            throw new IllegalArgumentException("Gauss-Legendre interval needs a < b, got [" + a + ", " + b + "]");
        }
        GaussIntegrator g = new GaussIntegratorFactory().legendre(n, a, b);
        double[] x = new double[n];
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = g.getPoint(i);
            w[i] = g.getWeight(i);
        }
        return new QuadratureRule(PointSet.ofLine(x), w);
    }

    /** Tensor product of 1-D rules: a rule on the box they span, last factor varying fastest. */
    public static QuadratureRule tensor(QuadratureRule... factors) {
        if (factors.length < 1) {
            throw new IllegalArgumentException("tensor product needs at least one factor");
        }
        int n = 1;
        for (QuadratureRule f : factors) {
            if (f.points.dimensions() != 1) {
                throw new IllegalArgumentException("tensor product factors must be 1-D rules, got a " + f.points.dimensions() + "-D one");
            }
            n *= f.weights.length;
        }
        int d = factors.length;
        double[] xyz = new double[n * d];
        double[] w = new double[n];
        int[] idx = new int[d];
        for (int p = 0; p < n; p++) {
            double wp = 1;
            for (int k = 0; k < d; k++) {
                xyz[p * d + k] = factors[k].points.coordinate(idx[k], 0);
                wp *= factors[k].weights[idx[k]];
            }
            w[p] = wp;
            for (int k = d - 1; k >= 0; k--) {
                if (++idx[k] < factors[k].weights.length) {
                    break;
                }
                idx[k] = 0;
            }
        }
        return new QuadratureRule(PointSet.of(d, xyz), w);
    }

    /**
     * Weights for data on a uniform grid: the composite trapezoid rule for node-centred grids (second order,
     * end points weighted 1/2) and the midpoint rule for cell-centred grids (second order).
     */
    public static QuadratureRule onGrid(UniformGrid grid) {
        int d = grid.dimensions();
        QuadratureRule[] f = new QuadratureRule[d];
        for (int k = 0; k < d; k++) {
            int n = grid.size(k);
            double h = grid.spacing(k);
            double[] w = new double[n];
            java.util.Arrays.fill(w, h);
            if (grid.layout() == GridLayout.NODE) {
                w[0] = h / 2;
                w[n - 1] = h / 2;
            }
            f[k] = new QuadratureRule(PointSet.ofLine(grid.coordinates(k)), w);
        }
        return tensor(f);
    }

    public PointSet points() {
        return points;
    }

    /** The weights (a copy). */
    public double[] weights() {
        return weights.clone();
    }

    public int size() {
        return weights.length;
    }

    /** {@code Σ w_i f(x_i)}. */
    public double integrate(ToDoubleFunction<double[]> f) {
        double[] x = new double[points.dimensions()];
        double s = 0;
        for (int i = 0; i < weights.length; i++) {
            points.point(i, x);
            s += weights[i] * f.applyAsDouble(x);
        }
        return s;
    }

    /** {@code Σ w_i v_i} for values already sampled at the rule's points. */
    public double integrate(double[] values) {
        if (values.length != weights.length) {
            throw new IllegalArgumentException("expected " + weights.length + " values, got " + values.length);
        }
        double s = 0;
        for (int i = 0; i < weights.length; i++) {
            s += weights[i] * values[i];
        }
        return s;
    }
}
