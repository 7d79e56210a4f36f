package org.opforge.operators.wosno;

import org.opforge.meshes.Star;
import org.opforge.solvers.wos.ManufacturedPoisson;
import org.opforge.solvers.wos.WalkOnSpheres;

/**
 * The instances of a star-poisson data set, whatever its layout: per sample the star {@code (c1, c2)}
 * ({@code domain [N, 2]}) and the twelve parameters of its closed-form solution
 * ({@code coefficients [N, 12]}, {@link ManufacturedPoisson#toArray()}). Immutable.
 */
final class StarInstances {
    private final float[] domain;
    private final float[] coefficients;

    StarInstances(float[] domain, float[] coefficients, int samples) {
        checkLength("star-poisson set", "domain", domain, 2L * samples);
        checkLength("star-poisson set", "coefficients", coefficients, (long) samples * ManufacturedPoisson.PARAMETERS);
        this.domain = domain.clone();
        this.coefficients = coefficients.clone();
    }

    /** Checks that a field of a star-poisson data set ({@code what}) holds {@code expected} values. */
    static void checkLength(String what, String field, float[] v, long expected) {
        if (v.length != expected) {
            throw new IllegalArgumentException(what + ": field '" + field + "' holds " + v.length + " values, expected " + expected);
        }
    }

    /** The first {@code n} instances. */
    StarInstances head(int n) {
        return new StarInstances(java.util.Arrays.copyOf(domain, 2 * n), java.util.Arrays.copyOf(coefficients, n * ManufacturedPoisson.PARAMETERS), n);
    }

    /** The closed-form instance of sample {@code i}. */
    ManufacturedPoisson instance(int i) {
        double[] p = new double[ManufacturedPoisson.PARAMETERS];
        for (int k = 0; k < p.length; k++) p[k] = coefficients[i * p.length + k];
        return ManufacturedPoisson.fromArray(p);
    }

    /** The star of sample {@code i}. */
    Star domain(int i) {
        return Star.of(domain[2 * i], domain[2 * i + 1]);
    }

    /** A Walk-on-Spheres solver of sample {@code i} (boundary data {@code g = u}). */
    WalkOnSpheres solver(int i, double epsilon, int maxSteps) {
        return instance(i).walkOnSpheres(domain(i), epsilon, maxSteps);
    }
}
