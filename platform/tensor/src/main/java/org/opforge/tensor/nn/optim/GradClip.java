package org.opforge.tensor.nn.optim;

import java.util.ArrayList;
import java.util.List;
import org.opforge.tensor.GradMode;
import org.opforge.tensor.Tensor;

/**
 * Gradient clipping as torch.nn.utils.clip_grad_norm_ and clip_grad_value_. Parameters without a
 * gradient are ignored. A complex gradient counts its real and imaginary parts as separate values.
 */
public final class GradClip {
    private GradClip() {}

    /**
     * Scales all gradients by {@code min(1, maxNorm / (total + 1e-6))}, where {@code total} is the
     * p-norm of all gradients taken together ({@code normType} >= 1, or infinity for the largest
     * absolute value). Returns {@code total} (before clipping).
     */
    public static double clipGradNorm(Iterable<Tensor> params, double maxNorm, double normType) {
        if (!(maxNorm >= 0)) throw new IllegalArgumentException("clipGradNorm: maxNorm must be >= 0, found " + maxNorm);
        if (!(normType >= 1)) throw new IllegalArgumentException("clipGradNorm: normType must be >= 1 or infinity, found " + normType);
        List<Tensor> withGrad = new ArrayList<>();
        for (Tensor p : params) if (p.grad() != null) withGrad.add(p);
        if (withGrad.isEmpty()) return 0.0;
        double total;
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            double acc = 0;
            for (Tensor p : withGrad) {
                for (Tensor part : realParts(p.grad())) {
                    Tensor a = part.abs();
                    if (Double.isInfinite(normType)) {
                        acc = Math.max(acc, a.max(allAxes(a), false).item());
                    } else {
                        acc += (normType == 2 ? a.square() : a.pow(normType)).sum().item();
                    }
                }
            }
            total = Double.isInfinite(normType) ? acc : Math.pow(acc, 1 / normType);
            double coef = Math.min(1.0, maxNorm / (total + 1e-6));
            if (coef < 1.0) {
                for (Tensor p : withGrad) p.setGrad(p.grad().mul(coef));
            }
        }
        return total;
    }

    /** Euclidean-norm clipping ({@code normType = 2}). */
    public static double clipGradNorm(Iterable<Tensor> params, double maxNorm) {
        return clipGradNorm(params, maxNorm, 2.0);
    }

    /** Clamps every gradient value (each part of a complex one) to [-clipValue, clipValue]. */
    public static void clipGradValue(Iterable<Tensor> params, double clipValue) {
        if (!(clipValue >= 0)) throw new IllegalArgumentException("clipGradValue: clipValue must be >= 0, found " + clipValue);
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            for (Tensor p : params) {
                Tensor g = p.grad();
                if (g == null) continue;
                if (g.dtype().isComplex()) p.setGrad(Tensor.complex(clamp(g.real(), clipValue), clamp(g.imag(), clipValue)));
                else p.setGrad(clamp(g, clipValue));
            }
        }
    }

    private static Tensor clamp(Tensor x, double c) {
        return x.clampMin(-c).neg().clampMin(-c).neg();
    }

    private static Tensor[] realParts(Tensor g) {
        return g.dtype().isComplex() ? new Tensor[] {g.real(), g.imag()} : new Tensor[] {g};
    }

    private static int[] allAxes(Tensor t) {
        int[] a = new int[t.dim()];
        for (int i = 0; i < a.length; i++) a[i] = i;
        return a;
    }
}
