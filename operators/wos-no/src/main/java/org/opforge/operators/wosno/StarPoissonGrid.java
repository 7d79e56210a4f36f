package org.opforge.operators.wosno;

import org.opforge.meshes.Star;
import org.opforge.solvers.generate.GeneratedData;
import org.opforge.solvers.wos.ManufacturedPoisson;
import org.opforge.solvers.wos.WalkOnSpheres;
import org.opforge.tensor.Tensor;

/**
 * A star-poisson data set of the grid layout ({@code opforge generate star-poisson --layout grid}) in
 * memory: per sample the {@code n x n} nodes over the box {@code [-b, b]^2} (node {@code (r, c)} at
 * {@code (x_c, y_r)}, {@code x_c = -b + 2 b c / (n - 1)}), the input channels
 * {@code x [4, n, n] = (g at the nearest boundary point, distance to it, f, mask)}, the exact solution
 * {@code u [n, n]} (0 outside), the mask {@code [n, n]} (1 inside the star, 0 outside), the star
 * {@code (c1, c2)} and the parameters of its closed-form solution. Enough to label the inside nodes by
 * Walk-on-Spheres ({@link WosLabelSource#onGrid}). Immutable.
 */
public final class StarPoissonGrid {
    /** Input channels per node. */
    public static final int CHANNELS = 4;

    private final float[] x;
    private final float[] u;
    private final float[] mask;
    private final StarInstances instances;
    private final int samples;
    private final int resolution;
    private final double box;

    /**
     * @param x input channels {@code [N, 4, n, n]}, row-major
     * @param u exact solution {@code [N, n, n]}, 0 outside
     * @param mask {@code [N, n, n]}, 1 inside, 0 outside
     * @param domain star coefficients {@code [N, 2]}
     * @param coefficients solution parameters {@code [N, 12]} (see {@link ManufacturedPoisson#toArray()})
     * @param box half-width {@code b} of the grid's box
     */
    public StarPoissonGrid(float[] x, float[] u, float[] mask, float[] domain, float[] coefficients, int samples, int resolution, double box) {
        if (samples < 1 || resolution < 2 || !(box > 0)) {
            throw new IllegalArgumentException("star-poisson grid: need samples >= 1, resolution >= 2 and box > 0, found " + samples + ", "
                    + resolution + ", " + box);
        }
        long nodes = (long) samples * resolution * resolution;
        StarInstances.checkLength("star-poisson grid", "x", x, CHANNELS * nodes);
        StarInstances.checkLength("star-poisson grid", "u", u, nodes);
        StarInstances.checkLength("star-poisson grid", "mask", mask, nodes);
        for (int k = 0; k < mask.length; k++) {
            if (mask[k] != 0 && mask[k] != 1) {
                throw new IllegalArgumentException("star-poisson grid: field 'mask' holds " + mask[k] + " at value " + k + ", expected 0 or 1");
            }
        }
        this.x = x.clone();
        this.u = u.clone();
        this.mask = mask.clone();
        this.instances = new StarInstances(domain, coefficients, samples);
        this.samples = samples;
        this.resolution = resolution;
        this.box = box;
    }

    /** From a generated star-poisson data set of the grid layout. */
    public static StarPoissonGrid of(GeneratedData d) {
        if (!d.problem().equals("star-poisson") || !"grid".equals(d.attributes().get("layout"))) {
            throw new IllegalArgumentException("expected a star-poisson data set of layout grid, found problem '" + d.problem() + "', layout '"
                    + d.attributes().get("layout") + "'");
        }
        GeneratedData.Field xf = d.field("x");
        return new StarPoissonGrid(xf.data(), d.field("u").data(), d.field("mask").data(), d.field("domain").data(),
                d.field("coefficients").data(), xf.shape()[0], xf.shape()[2], ((Number) d.attributes().get("box")).doubleValue());
    }

    public int samples() { return samples; }

    /** Nodes per axis {@code n}. */
    public int resolution() { return resolution; }

    /** Half-width {@code b} of the box {@code [-b, b]^2}. */
    public double box() { return box; }

    /** The FNO input {@code [N, 4, n, n]}. */
    public Tensor inputs() { return Tensor.of(x, samples, CHANNELS, resolution, resolution); }

    /** The exact solution {@code [N, n, n]}, 0 outside. */
    public Tensor exact() { return Tensor.of(u, samples, resolution, resolution); }

    /** The mask {@code [N, n, n]}: 1 inside, 0 outside. */
    public Tensor mask() { return Tensor.of(mask, samples, resolution, resolution); }

    /** The coordinate of node {@code k} along an axis: {@code -b + 2 b k / (n - 1)}. */
    public double coordinate(int k) {
        return -box + 2 * box * k / (resolution - 1);
    }

    /** The row-major indices {@code r n + c} of the inside nodes of sample {@code i}, ascending. */
    public int[] insideNodes(int i) {
        int per = resolution * resolution;
        int count = 0;
        for (int q = 0; q < per; q++) if (mask[i * per + q] == 1) count++;
        int[] out = new int[count];
        for (int q = 0, k = 0; q < per; q++) if (mask[i * per + q] == 1) out[k++] = q;
        return out;
    }

    /** The coordinates of the inside nodes of sample {@code i}, interleaved {@code x0, y0, ...}, in the order of {@link #insideNodes}. */
    public double[] insidePoints(int i) {
        int[] nodes = insideNodes(i);
        double[] xy = new double[2 * nodes.length];
        for (int k = 0; k < nodes.length; k++) {
            xy[2 * k] = coordinate(nodes[k] % resolution);
            xy[2 * k + 1] = coordinate(nodes[k] / resolution);
        }
        return xy;
    }

    /** The closed-form instance of sample {@code i}. */
    public ManufacturedPoisson instance(int i) { return instances.instance(i); }

    /** The star of sample {@code i}. */
    public Star domain(int i) { return instances.domain(i); }

    /** A Walk-on-Spheres solver of sample {@code i} (boundary data {@code g = u}). */
    public WalkOnSpheres solver(int i, double epsilon, int maxSteps) { return instances.solver(i, epsilon, maxSteps); }
}
