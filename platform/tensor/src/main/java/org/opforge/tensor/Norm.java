package org.opforge.tensor;

import java.util.Arrays;

/**
 * Normalization layers and dropout as functions, with PyTorch's semantics. Every normalization
 * standardizes over a set of axes, {@code (x - mean) / sqrt(var + eps)} with the biased variance
 * (divide by the count), then optionally scales and shifts per feature. They are compositions of
 * differentiable {@link Tensor} ops, so derivatives of any order exist.
 */
public final class Norm {
    private Norm() {}

    /** (x - mean) / sqrt(var + eps) over {@code axes}, mean and biased variance per remaining index. */
    static Tensor standardize(Tensor x, int[] axes, double eps) {
        Tensor centered = x.sub(x.mean(axes, true));
        Tensor var = centered.square().mean(axes, true);
        return centered.mul(var.add(eps).rsqrt());
    }

    /**
     * Layer normalization over the trailing axes whose sizes are {@code normalizedShape}; {@code weight}
     * and {@code bias} (each of shape normalizedShape, or null) scale and shift element-wise.
     */
    public static Tensor layerNorm(Tensor x, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        int k = normalizedShape.length, r = x.dim();
        int[] tail = k <= r ? Arrays.copyOfRange(x.shape(), r - k, r) : null;
        if (k == 0 || !Arrays.equals(tail, normalizedShape)) {
            throw new IllegalArgumentException("layer_norm: normalized_shape " + Arrays.toString(normalizedShape)
                    + " must be the non-empty trailing shape of x " + Shapes.str(x.shape()));
        }
        checkAffine("layer_norm", "weight", weight, normalizedShape, x);
        checkAffine("layer_norm", "bias", bias, normalizedShape, x);
        checkEps("layer_norm", eps);
        int[] axes = new int[k];
        for (int i = 0; i < k; i++) axes[i] = r - k + i;
        Tensor y = standardize(x, axes, eps);
        if (weight != null) y = y.mul(weight);
        if (bias != null) y = y.add(bias);
        return y;
    }

    /**
     * Group normalization of x (N, C, spatial...): the C channels form {@code numGroups} contiguous groups,
     * each standardized per sample over its channels and all positions; {@code weight} and {@code bias} (C)
     * or null act per channel.
     */
    public static Tensor groupNorm(Tensor x, int numGroups, Tensor weight, Tensor bias, double eps) {
        if (x.dim() < 2) throw new IllegalArgumentException("group_norm: x must have shape (N, C, ...), found " + Shapes.str(x.shape()));
        int n = x.size(0), c = x.size(1);
        if (numGroups < 1 || c % numGroups != 0) {
            throw new IllegalArgumentException("group_norm: num_groups " + numGroups + " must be >= 1 and divide the " + c
                    + " channels of x " + Shapes.str(x.shape()));
        }
        checkAffine("group_norm", "weight", weight, new int[] {c}, x);
        checkAffine("group_norm", "bias", bias, new int[] {c}, x);
        checkEps("group_norm", eps);
        Tensor y = standardize(x.reshape(n, numGroups, -1), new int[] {2}, eps).reshape(x.shape());
        return channelAffine(y, weight, bias);
    }

    /**
     * Instance normalization of x (N, C, spatial...): each (sample, channel) standardized over its positions;
     * no running statistics. {@code weight} and {@code bias} (C) or null act per channel.
     */
    public static Tensor instanceNorm(Tensor x, Tensor weight, Tensor bias, double eps) {
        if (x.dim() < 3) {
            throw new IllegalArgumentException("instance_norm: x must have shape (N, C, spatial...), found " + Shapes.str(x.shape()));
        }
        checkAffine("instance_norm", "weight", weight, new int[] {x.size(1)}, x);
        checkAffine("instance_norm", "bias", bias, new int[] {x.size(1)}, x);
        checkEps("instance_norm", eps);
        int[] axes = new int[x.dim() - 2];
        for (int i = 0; i < axes.length; i++) axes[i] = i + 2;
        return channelAffine(standardize(x, axes, eps), weight, bias);
    }

    /**
     * Batch normalization of x (N, C, spatial...) per channel. In training, the batch's mean and biased
     * variance over (N, spatial...) normalize, and the running statistics (shape (C), when not null) are
     * updated in place as {@code r = (1 - momentum) r + momentum s}, with the unbiased variance as PyTorch
     * does. Otherwise the running statistics normalize (they are then required).
     */
    public static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias, boolean training,
                                   double momentum, double eps) {
        if (x.dim() < 2) throw new IllegalArgumentException("batch_norm: x must have shape (N, C, ...), found " + Shapes.str(x.shape()));
        int c = x.size(1);
        int[] ch = {c};
        checkAffine("batch_norm", "weight", weight, ch, x);
        checkAffine("batch_norm", "bias", bias, ch, x);
        checkAffine("batch_norm", "running_mean", runningMean, ch, x);
        checkAffine("batch_norm", "running_var", runningVar, ch, x);
        checkEps("batch_norm", eps);
        if ((runningMean == null) != (runningVar == null)) {
            throw new IllegalArgumentException("batch_norm: running_mean and running_var must be given together");
        }
        int[] axes = new int[x.dim() - 1];
        axes[0] = 0;
        for (int i = 2; i < x.dim(); i++) axes[i - 1] = i;
        int[] bshape = channelShape(x);
        Tensor y;
        if (training) {
            long count = x.numel() / Math.max(1, c);
            if (count <= 1) {
                throw new IllegalArgumentException("batch_norm: training needs more than one value per channel, x is " + Shapes.str(x.shape()));
            }
            y = standardize(x, axes, eps);
            if (runningMean != null) {
                try (GradMode.Scope ignored = GradMode.noGrad()) {
                    Tensor xd = x.detach();
                    Tensor mean = xd.mean(axes, false);
                    Tensor var = xd.sub(mean.reshape(bshape)).square().sum(axes, false).div(count - 1);
                    runningMean.assign(runningMean.mul(1 - momentum).add(mean.mul(momentum)));
                    runningVar.assign(runningVar.mul(1 - momentum).add(var.mul(momentum)));
                }
            }
        } else {
            if (runningMean == null) {
                throw new IllegalArgumentException("batch_norm: evaluation mode needs running_mean and running_var");
            }
            Tensor m = runningMean.detach().to(x.dtype()).reshape(bshape);
            Tensor v = runningVar.detach().to(x.dtype()).reshape(bshape);
            y = x.sub(m).mul(v.add(eps).rsqrt());
        }
        return channelAffine(y, weight, bias);
    }

    /**
     * Inverted dropout: in training each element is kept with probability 1 - p and scaled by 1/(1 - p),
     * else zeroed; the mask comes from {@code rng} (so a seed reproduces it on any thread count).
     * Outside training, or with p = 0, x is returned unchanged.
     */
    public static Tensor dropout(Tensor x, double p, boolean training, Rng rng) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("dropout: p must be in [0, 1], found " + p);
        if (!training || p == 0) return x;
        if (p == 1) return x.mul(0.0);
        DType real = x.dtype().toReal();
        Tensor u = Tensor.rand(rng, real, x.device(), 0, 1, x.shape());
        Tensor keep = u.ge(Tensor.scalar(p, real, x.device())).mul(1.0 / (1.0 - p));
        return x.mul(keep);
    }

    private static int[] channelShape(Tensor x) {
        int[] s = new int[x.dim()];
        Arrays.fill(s, 1);
        s[1] = x.size(1);
        return s;
    }

    private static Tensor channelAffine(Tensor y, Tensor weight, Tensor bias) {
        int[] s = channelShape(y);
        if (weight != null) y = y.mul(weight.reshape(s));
        if (bias != null) y = y.add(bias.reshape(s));
        return y;
    }

    private static void checkAffine(String op, String name, Tensor t, int[] expected, Tensor x) {
        if (t != null && !Arrays.equals(t.shape(), expected)) {
            throw new IllegalArgumentException(op + ": " + name + " must have shape " + Arrays.toString(expected) + " for x "
                    + Shapes.str(x.shape()) + ", found " + Shapes.str(t.shape()));
        }
    }

    private static void checkEps(String op, double eps) {
        if (!(eps >= 0)) throw new IllegalArgumentException(op + ": eps must be >= 0, found " + eps);
    }
}
