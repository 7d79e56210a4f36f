package org.opforge.operators.wosno;

import java.util.Arrays;
import org.opforge.api.data.DataFormatException;
import org.opforge.api.data.Dataset;
import org.opforge.meshes.Star;
import org.opforge.solvers.generate.GeneratedData;
import org.opforge.solvers.wos.ManufacturedPoisson;
import org.opforge.solvers.wos.WalkOnSpheres;
import org.opforge.tensor.Tensor;

/**
 * A star-poisson data set ({@code opforge generate star-poisson}) in memory: per sample the point
 * cloud with its features {@code x [P, 5] = (x, y, g at the nearest boundary point, distance to it, f)},
 * the exact solution {@code u [P]}, the star {@code (c1, c2)} and the twelve parameters of its
 * closed-form solution; the first {@code boundaryPoints} points of every sample lie on the boundary.
 * Enough to rebuild every instance's Walk-on-Spheres solver. Immutable.
 */
public final class StarPoissonSet {
    private final float[] x;
    private final float[] u;
    private final StarInstances instances;
    private final int samples;
    private final int points;
    private final int boundaryPoints;

    /**
     * @param x features {@code [N, P, 5]}, row-major
     * @param u exact solution {@code [N, P]}
     * @param domain star coefficients {@code [N, 2]}
     * @param coefficients solution parameters {@code [N, 12]} (see {@link ManufacturedPoisson#toArray()})
     */
    public StarPoissonSet(float[] x, float[] u, float[] domain, float[] coefficients, int samples, int points, int boundaryPoints) {
        if (samples < 1 || points < 1 || boundaryPoints < 0 || boundaryPoints >= points) {
            throw new IllegalArgumentException("star-poisson set: need samples >= 1 and 0 <= boundary points < points, found " + samples + ", "
                    + boundaryPoints + ", " + points);
        }
        StarInstances.checkLength("star-poisson set", "x", x, (long) samples * points * 5);
        StarInstances.checkLength("star-poisson set", "u", u, (long) samples * points);
        this.x = x.clone();
        this.u = u.clone();
        this.instances = new StarInstances(domain, coefficients, samples);
        this.samples = samples;
        this.points = points;
        this.boundaryPoints = boundaryPoints;
    }

    private StarPoissonSet(float[] x, float[] u, StarInstances instances, int samples, int points, int boundaryPoints) {
        this.x = x;
        this.u = u;
        this.instances = instances;
        this.samples = samples;
        this.points = points;
        this.boundaryPoints = boundaryPoints;
    }

    /** From a generated star-poisson data set. */
    public static StarPoissonSet of(GeneratedData d) {
        if (!d.problem().equals("star-poisson")) {
            throw new IllegalArgumentException("expected a star-poisson data set, found problem '" + d.problem() + "'");
        }
        if ("grid".equals(d.attributes().get("layout"))) {
            throw new IllegalArgumentException("expected a star-poisson data set of layout points, found layout grid (read it with StarPoissonGrid)");
        }
        GeneratedData.Field xf = d.field("x");
        return new StarPoissonSet(xf.data(), d.field("u").data(), d.field("domain").data(), d.field("coefficients").data(), xf.shape()[0],
                xf.shape()[1], ((Number) d.attributes().get("n_boundary")).intValue());
    }

    /**
     * The first {@code count} samples of a star-poisson data set of the point layout as stored (fields {@code x},
     * {@code u}, {@code domain}, {@code coefficients}, attribute {@code n_boundary}), whoever generated it.
     */
    public static StarPoissonSet read(Dataset data, int count) {
        if (!(data.attributes().get("n_boundary") instanceof Number nb)) {
            throw new DataFormatException(data.file(), "n_boundary", "a star-poisson data set (attribute n_boundary)", "no such attribute");
        }
        return new StarPoissonSet(data.read("x", 0, count).toFloatArray(), data.read("u", 0, count).toFloatArray(),
                data.read("domain", 0, count).toFloatArray(), data.read("coefficients", 0, count).toFloatArray(), count,
                data.field("x").shape()[1], nb.intValue());
    }

    public int samples() { return samples; }

    public int points() { return points; }

    public int boundaryPoints() { return boundaryPoints; }

    /** The GINO input {@code [N, P, 5]}. */
    public Tensor inputs() { return Tensor.of(x, samples, points, 5); }

    /** The exact solution {@code [N, P]}. */
    public Tensor exact() { return Tensor.of(u, samples, points); }

    /** Feature {@code c} of point {@code p} of sample {@code i}. */
    public double feature(int i, int p, int c) { return x[(i * points + p) * 5 + c]; }

    /** The interior points of sample {@code i}, interleaved {@code x0, y0, ...}. */
    public double[] interiorPoints(int i) {
        double[] xy = new double[2 * (points - boundaryPoints)];
        for (int p = boundaryPoints; p < points; p++) {
            xy[2 * (p - boundaryPoints)] = feature(i, p, 0);
            xy[2 * (p - boundaryPoints) + 1] = feature(i, p, 1);
        }
        return xy;
    }

    /** The closed-form instance of sample {@code i}. */
    public ManufacturedPoisson instance(int i) {
        return instances.instance(i);
    }

    /** The star of sample {@code i}. */
    public Star domain(int i) {
        return instances.domain(i);
    }

    /** A Walk-on-Spheres solver of sample {@code i} (boundary data {@code g = u}). */
    public WalkOnSpheres solver(int i, double epsilon, int maxSteps) {
        return instances.solver(i, epsilon, maxSteps);
    }

    /** The first {@code n} samples. */
    public StarPoissonSet head(int n) {
        if (n < 1 || n > samples) throw new IllegalArgumentException("head: expected 1.." + samples + " samples, found " + n);
        return new StarPoissonSet(Arrays.copyOf(x, n * points * 5), Arrays.copyOf(u, n * points), instances.head(n), n, points, boundaryPoints);
    }
}
