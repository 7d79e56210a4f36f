package org.opforge.tensor.nn.loss;

import java.util.Arrays;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.nn.Functional;

/**
 * Lp losses of the FNO papers, per sample n of the batch (axis 0), norms over all other axes:
 * <ul>
 *   <li>relative (the default; Li et al.'s {@code LpLoss(d, p).rel}):
 *       {@code ||x_n - y_n||_p / ||y_n||_p};</li>
 *   <li>absolute: {@code (prod_j h_j)^(1/p) ||x_n - y_n||_p}, the Riemann sum of the continuous
 *       Lp norm on a uniform grid, with {@code h_j = L_j / n_j} over the last {@code d} axes (the
 *       spatial ones) and domain lengths {@code L_j} (1 unless given) - neuraloperator's
 *       {@code LpLoss.abs} convention.</li>
 * </ul>
 * then the mean over the batch (FNO's size_average = True) or the sum.
 */
public final class LpLoss implements Loss {
    private final double p;
    private final int d;
    private final double[] lengths;
    private final boolean relative;
    private final Reduction reduction;

    /** Relative Lp, mean over the batch: FNO's {@code LpLoss(d, p)} called as {@code .rel} (or {@code __call__}). */
    public LpLoss(int d, double p) {
        this(d, p, null, true, Reduction.MEAN);
    }

    private LpLoss(int d, double p, double[] lengths, boolean relative, Reduction reduction) {
        if (d < 1) throw new IllegalArgumentException("LpLoss: d (number of spatial axes) must be >= 1, found " + d);
        if (!(p >= 1) || Double.isInfinite(p)) throw new IllegalArgumentException("LpLoss: p must be finite and >= 1, found " + p);
        if (lengths != null && lengths.length != d) {
            throw new IllegalArgumentException("LpLoss: " + lengths.length + " domain lengths for d = " + d + " spatial axes");
        }
        this.p = p;
        this.d = d;
        this.lengths = lengths == null ? null : lengths.clone();
        this.relative = relative;
        this.reduction = reduction;
    }

    /** The relative loss (the default). */
    public static LpLoss relative(int d, double p) {
        return new LpLoss(d, p);
    }

    /** The absolute loss with unit domain lengths. */
    public static LpLoss absolute(int d, double p) {
        return new LpLoss(d, p, null, false, Reduction.MEAN);
    }

    /** The same loss with domain lengths {@code L_j} of the last d axes (used by the absolute form only). */
    public LpLoss withLengths(double... lengths) {
        return new LpLoss(d, p, lengths, relative, reduction);
    }

    public LpLoss withReduction(Reduction r) {
        return new LpLoss(d, p, lengths, relative, r);
    }

    public boolean isRelative() { return relative; }

    @Override
    public Tensor apply(Tensor prediction, Tensor target) {
        checkShapes("LpLoss", prediction, target);
        Tensor diff = Functional.perSampleNorm(prediction.sub(target), p);
        Tensor perSample;
        if (relative) {
            perSample = diff.div(Functional.perSampleNorm(target, p));
        } else {
            if (prediction.dim() < d + 1) {
                throw new IllegalArgumentException("LpLoss: absolute norm over d = " + d + " spatial axes needs a tensor of rank >= "
                        + (d + 1) + ", found " + Arrays.toString(prediction.shape()));
            }
            double cell = 1;
            for (int j = 0; j < d; j++) {
                int n = prediction.size(prediction.dim() - d + j);
                cell *= (lengths == null ? 1.0 : lengths[j]) / n;
            }
            perSample = diff.mul(Math.pow(cell, 1 / p));
        }
        return reduction.reduce(perSample);
    }

    static void checkShapes(String loss, Tensor a, Tensor b) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException(loss + ": prediction shape " + Arrays.toString(a.shape()) + " != target shape "
                    + Arrays.toString(b.shape()));
        }
    }

    @Override
    public String toString() {
        return "LpLoss(d=" + d + ", p=" + p + ", " + (relative ? "relative" : "absolute") + ", reduction="
                + reduction.name().toLowerCase() + ")";
    }
}
