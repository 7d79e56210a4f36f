package org.opforge.solvers.wos;

import java.util.Arrays;
import java.util.function.DoubleSupplier;
import org.opforge.meshes.Geometry2D;

/**
 * A Poisson instance with a closed-form solution on any domain (the WoS-NO benchmark family):
 * <pre>
 *   u = H + B,   H = b₀ + (b₁ x + b₂ y + b₃ (x² - y²) + 2 b₄ x y) / 4                (harmonic)
 *                B = Σ_{j=1,2} β_j exp(-|x - μ_j|² / s²)
 *   f = -Δu = Σ_j β_j (4/s² - 4 |x - μ_j|² / s⁴) exp(-|x - μ_j|² / s²),   g = u on the boundary
 * </pre>
 * {@code H} is the harmonic extension of the reference's five-coefficient boundary family
 * {@code b₀ + (b₁ cos t + b₂ sin t + b₃ cos 2t + b₄ sin 2t) / 4} on the unit disc. Immutable and
 * thread-safe.
 *
 * @param b the five harmonic coefficients
 * @param beta the two bump amplitudes
 * @param mu the two bump centres, {@code μ₁x, μ₁y, μ₂x, μ₂y}
 * @param s the bump width
 */
public record ManufacturedPoisson(double[] b, double[] beta, double[] mu, double s) {
    /** Values per instance in {@link #toArray()}: b (5), beta (2), mu (4), s. */
    public static final int PARAMETERS = 12;

    public ManufacturedPoisson {
        if (b.length != 5 || beta.length != 2 || mu.length != 4) {
            throw new IllegalArgumentException("a manufactured Poisson instance needs 5 b, 2 beta and 4 mu values, found " + b.length + ", "
                    + beta.length + ", " + mu.length);
        }
        if (!(s > 0)) {
            throw new IllegalArgumentException("bump width s must be positive, found " + s);
        }
        b = b.clone();
        beta = beta.clone();
        mu = mu.clone();
    }

    /**
     * Draws {@code b ~ U(-1, 1)⁵}, {@code β ~ N(0, 1)²}, {@code μ ~ N(0, σ_μ² I)} (two centres).
     *
     * @param uniform independent uniform numbers on [0, 1)
     * @param gaussian independent standard normal numbers
     */
    public static ManufacturedPoisson draw(DoubleSupplier uniform, DoubleSupplier gaussian, double muStd, double s) {
        double[] b = new double[5];
        for (int i = 0; i < 5; i++) {
            b[i] = 2 * uniform.getAsDouble() - 1;
        }
        double[] beta = {gaussian.getAsDouble(), gaussian.getAsDouble()};
        double[] mu = new double[4];
        for (int i = 0; i < 4; i++) {
            mu[i] = muStd * gaussian.getAsDouble();
        }
        return new ManufacturedPoisson(b, beta, mu, s);
    }

    /** Reads the layout of {@link #toArray()}. */
    public static ManufacturedPoisson fromArray(double[] p) {
        if (p.length != PARAMETERS) {
            throw new IllegalArgumentException("a manufactured Poisson instance has " + PARAMETERS + " parameters, found " + p.length);
        }
        return new ManufacturedPoisson(Arrays.copyOfRange(p, 0, 5), Arrays.copyOfRange(p, 5, 7), Arrays.copyOfRange(p, 7, 11), p[11]);
    }

    /** {@code b₀..b₄, β₁, β₂, μ₁x, μ₁y, μ₂x, μ₂y, s}. */
    public double[] toArray() {
        double[] p = new double[PARAMETERS];
        System.arraycopy(b, 0, p, 0, 5);
        System.arraycopy(beta, 0, p, 5, 2);
        System.arraycopy(mu, 0, p, 7, 4);
        p[11] = s;
        return p;
    }

    /** The exact solution. */
    public double u(double x, double y) {
        double h = b[0] + 0.25 * (b[1] * x + b[2] * y + b[3] * (x * x - y * y) + 2 * b[4] * x * y);
        double s2 = s * s;
        double bump = 0;
        for (int j = 0; j < 2; j++) {
            double dx = x - mu[2 * j];
            double dy = y - mu[2 * j + 1];
            bump += beta[j] * Math.exp(-(dx * dx + dy * dy) / s2);
        }
        return h + bump;
    }

    /** The source {@code f = -Δu}. */
    public double f(double x, double y) {
        double s2 = s * s;
        double v = 0;
        for (int j = 0; j < 2; j++) {
            double dx = x - mu[2 * j];
            double dy = y - mu[2 * j + 1];
            double d2 = dx * dx + dy * dy;
            v += beta[j] * (4 / s2 - 4 * d2 / (s2 * s2)) * Math.exp(-d2 / s2);
        }
        return v;
    }

    /** A Walk-on-Spheres solver of this instance on {@code domain}, boundary data {@code g = u}. */
    public WalkOnSpheres walkOnSpheres(Geometry2D domain, double epsilon, int maxSteps) {
        return new WalkOnSpheres(domain, this::f, this::u, epsilon, maxSteps);
    }
}
