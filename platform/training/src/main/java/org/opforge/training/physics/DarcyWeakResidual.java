package org.opforge.training.physics;

import java.util.Arrays;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;

/**
 * Darcy flow {@code -div(a grad u) = f} on the unit square in a weak form that needs no second
 * derivative, tested with Wendland C4 functions {@code v_c} on disks of radius R around nc centres
 * ({@code <.>} the mean over the {@link WendlandQuadrature} points mapped into the disk,
 * {@code x = c + R xi}, {@code grad v_c = grad phi(xi) / R}; f the constant {@code source}, or a field of
 * the data given at the points in {@link Residual.Fields#source()}):
 * <ul>
 * <li>{@link Form#MIXED} (DGNO's), with the flux {@code s} a separate output:
 * <pre>  L = mean_{b,c,q} |s - a grad u|^2  +  sqrt(nc) mean_{b,c} ( &lt;s . grad v_c&gt; - &lt;f v_c&gt; )^2 ;</pre></li>
 * <li>{@link Form#PRIMAL}, the Galerkin form of u alone (for networks without a flux output, e.g. a
 * physics-informed DeepONet):
 * <pre>  L = sqrt(nc) mean_{b,c} ( &lt;a grad u . grad v_c&gt; - &lt;f v_c&gt; )^2 .</pre></li>
 * </ul>
 * The nc centres of a step are a Latin hypercube sample of {@code [R, 1-R]^2} (a fresh one each step).
 * The zero Dirichlet condition is the network's (a mollified u, or a boundary penalty), not the
 * residual's. Immutable.
 */
public final class DarcyWeakResidual implements Residual {
    /** Which weak form. */
    public enum Form {
        /** flux s and u: constitutive term plus the balance of s (DGNO). */
        MIXED,
        /** u alone: the balance of a grad u. */
        PRIMAL
    }

    private final WendlandQuadrature quadrature;
    private final double radius;
    private final int centres;
    private final double source;
    private final Form form;

    /** The mixed form (DGNO's). */
    public DarcyWeakResidual(WendlandQuadrature quadrature, double radius, int centres, double source) {
        this(quadrature, radius, centres, source, Form.MIXED);
    }

    /**
     * @param radius  support radius R of the test functions, in (0, 0.5)
     * @param centres test functions per step nc
     * @param source  the constant right-hand side f (used where the fields carry none)
     */
    public DarcyWeakResidual(WendlandQuadrature quadrature, double radius, int centres, double source, Form form) {
        if (!(radius > 0 && radius < 0.5)) throw new IllegalArgumentException("radius: expected a value in (0, 0.5), found " + radius);
        if (centres < 1) throw new IllegalArgumentException("centres: expected at least 1, found " + centres);
        if (!Double.isFinite(source)) throw new IllegalArgumentException("source: expected a finite value, found " + source);
        this.quadrature = quadrature;
        this.radius = radius;
        this.centres = centres;
        this.source = source;
        this.form = java.util.Objects.requireNonNull(form, "form");
    }

    @Override public String name() { return form == Form.MIXED ? "darcy-weak" : "darcy-primal"; }

    @Override public boolean needsFlux() { return form == Form.MIXED; }

    public Form form() { return form; }

    public WendlandQuadrature quadrature() { return quadrature; }

    public double radius() { return radius; }

    public int centres() { return centres; }

    public double source() { return source; }

    @Override
    public Tensor samplePoints(Rng rng, DType dtype) {
        double[] u = latinHypercube(rng, centres, 2);
        double[] c = new double[u.length];
        for (int i = 0; i < u.length; i++) c[i] = radius + u[i] * (1 - 2 * radius);
        return pointsAt(Tensor.of(c, dtype, Device.CPU, centres, 2));
    }

    /** The quadrature points of the test functions centred at {@code centres (nc, 2)}: {@code (nc * nq, 2)}, centre-major. */
    public Tensor pointsAt(Tensor centreTensor) {
        if (centreTensor.dim() != 2 || centreTensor.size(1) != 2) {
            throw new IllegalArgumentException("centres: expected (nc, 2), found " + Arrays.toString(centreTensor.shape()));
        }
        int nc = centreTensor.size(0), nq = quadrature.size();
        Tensor xi = Tensor.of(quadrature.points(), centreTensor.dtype(), centreTensor.device(), 1, nq, 2).mul(radius);
        return centreTensor.detach().unsqueeze(1).add(xi).reshape(nc * nq, 2);
    }

    @Override
    public Tensor loss(Fields f) {
        Tensor s = f.flux(), du = f.gradU(), a = f.coefficient();
        int b = du.size(0), p = du.size(1), nq = quadrature.size();
        if (form == Form.MIXED && s == null) throw new IllegalArgumentException(name() + ": the mixed form needs the flux s");
        if (p % nq != 0) throw new IllegalArgumentException(name() + ": " + p + " points are not whole disks of " + nq + " quadrature points");
        if (du.dim() != 3 || du.size(2) != 2 || (s != null && !Arrays.equals(s.shape(), du.shape())) || a.dim() != 2 || a.size(0) != b || a.size(1) != p) {
            throw new IllegalArgumentException(name() + ": flux " + (s == null ? "none" : Arrays.toString(s.shape())) + ", grad u "
                    + Arrays.toString(du.shape()) + " and coefficient " + Arrays.toString(a.shape()) + " must be (B, P, 2), (B, P, 2) and (B, P)");
        }
        int nc = p / nq;
        Tensor aGradU = du.mul(a.unsqueeze(2));
        Tensor flux = form == Form.MIXED ? s : aGradU;
        Tensor gradV = Tensor.of(quadrature.gradPhi(), du.dtype(), du.device(), 1, 1, nq, 2).div(radius);
        Tensor left = flux.reshape(b, nc, nq, 2).mul(gradV).sum(3, false).mean(2, false);    // (B, nc)
        Tensor balance;
        if (f.source() == null) {
            balance = left.sub(source * quadrature.meanPhi()).square().mean().mul(Math.sqrt(nc));
        } else {
            if (f.source().dim() != 2 || f.source().size(0) != b || f.source().size(1) != p) {
                throw new IllegalArgumentException(name() + ": the source field at the points must be (B, P) = (" + b + ", " + p + "), found "
                        + Arrays.toString(f.source().shape()));
            }
            Tensor phi = Tensor.of(quadrature.phi(), du.dtype(), du.device(), 1, 1, nq);
            Tensor right = f.source().detach().reshape(b, nc, nq).mul(phi).mean(2, false);          // <f v_c>, (B, nc)
            balance = left.sub(right).square().mean().mul(Math.sqrt(nc));
        }
        return form == Form.MIXED ? s.sub(aGradU).square().sum(2, false).mean().add(balance) : balance;
    }

    /**
     * A Latin hypercube sample of n points in {@code [0, 1)^d} (scrambled, as scipy's default): for each
     * coordinate an independent random permutation of the n strata, jittered uniformly within each.
     * Returns {@code (n, d)} row-major.
     */
    static double[] latinHypercube(Rng rng, int n, int d) {
        double[] out = new double[n * d];
        for (int k = 0; k < d; k++) {
            int[] perm = rng.permutation(n);
            for (int i = 0; i < n; i++) out[i * d + k] = (perm[i] + rng.nextUniform()) / n;
        }
        return out;
    }

    @Override
    public String toString() {
        return name() + "(R=" + radius + ", nc=" + centres + ", f=" + source + ", quadrature " + quadrature.grid() + "x" + quadrature.grid() + ")";
    }
}
