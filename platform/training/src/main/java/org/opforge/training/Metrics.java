package org.opforge.training;

import java.util.Arrays;
import org.opforge.tensor.GradMode;
import org.opforge.tensor.Tensor;

/**
 * Per-sample error measures on predictions and targets of shape (N, ...), computed without a graph.
 * Definitions follow the FNO paper and neuraloperator, so the figures compare with published ones:
 * <ul>
 * <li>relative L2: {@code ||p - y||_2 / ||y||_2} with sums over every non-sample axis;</li>
 * <li>H1 (neuraloperator's H1Loss defaults): {@code sqrt(S(e) / S(y))} with
 * {@code S(f) = sum f^2 + sum_d (D_d f)^2}, {@code D_d} the periodic central difference
 * {@code (f[i+1] - f[i-1]) / (2 h_d)}, {@code h_d = 1 / n_d}, over the trailing {@code d} grid axes;</li>
 * <li>MSE: mean of {@code (p - y)^2} over all elements.</li>
 * </ul>
 * With a mask {@code m} (1 where a value counts, 0 where it does not, shaped like the targets) the sums
 * run over the values where {@code m = 1} only: relative L2 {@code sqrt(sum m (p - y)^2 / sum m y^2)}
 * per sample, MSE {@code sum m (p - y)^2 / sum m}; the (finite) values where {@code m = 0} do not count.
 */
public final class Metrics {
    private Metrics() {}

    /** Relative L2 error of each sample. */
    public static double[] relativeL2(Tensor prediction, Tensor target) {
        check("relativeL2", prediction, target);
        try (GradMode.Scope s = GradMode.noGrad()) {
            double[] num = perSampleSumOfSquares(prediction.sub(target));
            double[] den = perSampleSumOfSquares(target);
            double[] r = new double[num.length];
            for (int i = 0; i < r.length; i++) r[i] = Math.sqrt(num[i]) / Math.sqrt(den[i]);
            return r;
        }
    }

    /** Relative L2 error of each sample over the values where {@code mask} is 1. */
    public static double[] relativeL2(Tensor prediction, Tensor target, Tensor mask) {
        check("relativeL2", prediction, target);
        check("relativeL2 (mask)", mask, target);
        try (GradMode.Scope s = GradMode.noGrad()) {
            return relativeL2(prediction.mul(mask), target.mul(mask));
        }
    }

    /** Mean squared error over the values where {@code mask} is 1. */
    public static double mse(Tensor prediction, Tensor target, Tensor mask) {
        check("mse", prediction, target);
        check("mse (mask)", mask, target);
        try (GradMode.Scope s = GradMode.noGrad()) {
            return prediction.sub(target).mul(mask).square().sum().item() / mask.sum().item();
        }
    }

    /** Relative H1 error of each sample over the trailing {@code gridDims} axes (periodic differences). */
    public static double[] h1(Tensor prediction, Tensor target, int gridDims) {
        check("h1", prediction, target);
        if (gridDims < 1 || gridDims > prediction.dim() - 1) {
            throw new IllegalArgumentException("h1: gridDims must be in 1.." + (prediction.dim() - 1) + ", found " + gridDims);
        }
        try (GradMode.Scope s = GradMode.noGrad()) {
            double[] num = h1SumOfSquares(prediction.sub(target), gridDims);
            double[] den = h1SumOfSquares(target, gridDims);
            double[] r = new double[num.length];
            for (int i = 0; i < r.length; i++) r[i] = Math.sqrt(num[i] / den[i]);
            return r;
        }
    }

    /** Mean squared error over all elements. */
    public static double mse(Tensor prediction, Tensor target) {
        check("mse", prediction, target);
        try (GradMode.Scope s = GradMode.noGrad()) {
            return prediction.sub(target).square().mean().item();
        }
    }

    public static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(Double.NaN);
    }

    public static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }

    private static double[] h1SumOfSquares(Tensor f, int gridDims) {
        double[] total = perSampleSumOfSquares(f);
        int rank = f.dim();
        for (int k = 0; k < gridDims; k++) {
            int axis = rank - 1 - k;
            int n = f.size(axis);
            Tensor next = Tensor.cat(axis, f.slice(axis, 1, n), f.slice(axis, 0, 1));
            Tensor prev = Tensor.cat(axis, f.slice(axis, n - 1, n), f.slice(axis, 0, n - 1));
            // central difference with h = 1/n: (f[i+1] - f[i-1]) * n / 2
            double[] d = perSampleSumOfSquares(next.sub(prev).mul(n / 2.0));
            for (int i = 0; i < total.length; i++) total[i] += d[i];
        }
        return total;
    }

    private static double[] perSampleSumOfSquares(Tensor t) {
        int n = t.size(0);
        Tensor flat = t.reshape(n, -1).to(org.opforge.tensor.DType.FLOAT64);
        return flat.square().sum(1, false).toDoubleArray();
    }

    private static void check(String what, Tensor p, Tensor y) {
        if (!Arrays.equals(p.shape(), y.shape())) {
            throw new IllegalArgumentException(what + ": prediction shape " + Arrays.toString(p.shape())
                    + " != target shape " + Arrays.toString(y.shape()));
        }
        if (p.dim() < 2) {
            throw new IllegalArgumentException(what + ": expected a sample axis and at least one more, found shape "
                    + Arrays.toString(p.shape()));
        }
    }
}
