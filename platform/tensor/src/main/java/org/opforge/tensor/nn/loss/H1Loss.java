package org.opforge.tensor.nn.loss;

import java.util.Arrays;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.nn.Functional;

/**
 * The H1 (Sobolev) loss of neuraloperator's {@code H1Loss}: the function and its first partial
 * derivatives along the last {@code d} axes together.
 *
 * <p>Conventions taken (those of neuraloperator's H1Loss with its uniform quadrature):
 * <ul>
 *   <li>the last {@code d} axes are a uniform grid with spacing {@code h_j = L_j / n_j}
 *       ({@code L_j} the domain length, 1 unless given; {@code n_j} the number of points);</li>
 *   <li>derivatives are central differences {@code (u[i+1] - u[i-1]) / (2 h_j)}; on a periodic axis
 *       the indices wrap around, on a non-periodic axis the two end points use one-sided differences
 *       {@code (u[1] - u[0]) / h_j} and {@code (u[n-1] - u[n-2]) / h_j};</li>
 *   <li>per sample n (axis 0), with e = x - y and norms over all non-batch axes (channels included),
 *       relative: {@code sqrt(||e||^2 + sum_j ||D_j e||^2) / sqrt(||y||^2 + sum_j ||D_j y||^2)};
 *       absolute: {@code sqrt(prod_j h_j (||e||^2 + sum_j ||D_j e||^2))};</li>
 *   <li>then the mean over the batch (default) or the sum (neuraloperator's default reduction).</li>
 * </ul>
 * For single-channel data and the sum reduction this equals neuraloperator's {@code H1Loss(d).rel}
 * (which takes norms per channel).
 */
public final class H1Loss implements Loss {
    private final int d;
    private final double[] lengths;
    private final boolean[] periodic;
    private final boolean relative;
    private final Reduction reduction;

    /** Relative H1 over the last d axes, unit lengths, periodic, mean over the batch. */
    public H1Loss(int d) {
        this(d, filled(d, 1.0), filledBool(d, true), true, Reduction.MEAN);
    }

    private H1Loss(int d, double[] lengths, boolean[] periodic, boolean relative, Reduction reduction) {
        if (d < 1) throw new IllegalArgumentException("H1Loss: d (number of spatial axes) must be >= 1, found " + d);
        if (lengths.length != d || periodic.length != d) {
            throw new IllegalArgumentException("H1Loss: d = " + d + " but " + lengths.length + " lengths and " + periodic.length + " periodic flags");
        }
        for (double l : lengths) if (!(l > 0)) throw new IllegalArgumentException("H1Loss: domain lengths must be positive, found " + Arrays.toString(lengths));
        this.d = d;
        this.lengths = lengths.clone();
        this.periodic = periodic.clone();
        this.relative = relative;
        this.reduction = reduction;
    }

    private static double[] filled(int n, double v) {
        double[] a = new double[Math.max(n, 0)];
        Arrays.fill(a, v);
        return a;
    }

    private static boolean[] filledBool(int n, boolean v) {
        boolean[] a = new boolean[Math.max(n, 0)];
        Arrays.fill(a, v);
        return a;
    }

    /** Domain lengths of the last d axes. */
    public H1Loss withLengths(double... lengths) {
        return new H1Loss(d, lengths, periodic, relative, reduction);
    }

    /** Periodicity of each of the last d axes. */
    public H1Loss withPeriodic(boolean... periodic) {
        return new H1Loss(d, lengths, periodic, relative, reduction);
    }

    public H1Loss withReduction(Reduction r) {
        return new H1Loss(d, lengths, periodic, relative, r);
    }

    /** The absolute form. */
    public H1Loss absolute() {
        return new H1Loss(d, lengths, periodic, false, reduction);
    }

    @Override
    public Tensor apply(Tensor prediction, Tensor target) {
        LpLoss.checkShapes("H1Loss", prediction, target);
        if (prediction.dim() < d + 1) {
            throw new IllegalArgumentException("H1Loss: d = " + d + " spatial axes need a tensor of rank >= " + (d + 1) + ", found "
                    + Arrays.toString(prediction.shape()));
        }
        Tensor e = prediction.sub(target);
        Tensor err = sobolevNorm(e);
        Tensor perSample;
        if (relative) {
            perSample = err.div(sobolevNorm(target));
        } else {
            double cell = 1;
            for (int j = 0; j < d; j++) cell *= spacing(prediction, j);
            perSample = err.mul(Math.sqrt(cell));
        }
        return reduction.reduce(perSample);
    }

    /** sqrt(||u||^2 + sum_j ||D_j u||^2) per sample, shape (N). */
    private Tensor sobolevNorm(Tensor u) {
        int n = u.size(0);
        Tensor[] terms = new Tensor[d + 1];
        terms[0] = u.reshape(n, -1);
        for (int j = 0; j < d; j++) terms[j + 1] = derivative(u, j).reshape(n, -1);
        return Functional.vectorNorm(Tensor.cat(1, terms), 2, new int[] {1}, false);
    }

    private double spacing(Tensor u, int j) {
        return lengths[j] / u.size(u.dim() - d + j);
    }

    /** The finite-difference derivative along spatial axis j (see the class comment). */
    Tensor derivative(Tensor u, int j) {
        int axis = u.dim() - d + j;
        int n = u.size(axis);
        double h = spacing(u, j);
        if (periodic[j]) {
            if (n < 2) return Tensor.zerosLike(u);
            Tensor next = Tensor.cat(axis, u.slice(axis, 1, n), u.slice(axis, 0, 1));
            Tensor prev = Tensor.cat(axis, u.slice(axis, n - 1, n), u.slice(axis, 0, n - 1));
            return next.sub(prev).div(2 * h);
        }
        if (n < 2) {
            throw new IllegalArgumentException("H1Loss: a non-periodic axis needs at least 2 points, axis " + axis + " has " + n);
        }
        Tensor first = u.slice(axis, 1, 2).sub(u.slice(axis, 0, 1)).div(h);
        Tensor last = u.slice(axis, n - 1, n).sub(u.slice(axis, n - 2, n - 1)).div(h);
        if (n == 2) return Tensor.cat(axis, first, last);
        Tensor inner = u.slice(axis, 2, n).sub(u.slice(axis, 0, n - 2)).div(2 * h);
        return Tensor.cat(axis, first, inner, last);
    }

    @Override
    public String toString() {
        return "H1Loss(d=" + d + ", lengths=" + Arrays.toString(lengths) + ", periodic=" + Arrays.toString(periodic) + ", "
                + (relative ? "relative" : "absolute") + ", reduction=" + reduction.name().toLowerCase() + ")";
    }
}
