package org.opforge.training;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.opforge.tensor.Conv;
import org.opforge.tensor.GradMode;
import org.opforge.tensor.Tensor;

/**
 * Unit-Gaussian normalization {@code (v - mean) / (std + eps)} fitted on a training field of shape
 * (N, *grid), as the FNO reference code: {@code std} is the unbiased sample standard deviation.
 * <ul>
 * <li>{@link Mode#POINTWISE}: one mean and std per grid point, shape (1, *grid). On a field of another
 * resolution both are resampled (multi-)linearly on the node grid of [0,1]^d with aligned corners,
 * so a model trained at one resolution evaluates at another.</li>
 * <li>{@link Mode#CHANNEL}: one scalar mean and std.</li>
 * </ul>
 * Immutable. {@link #decode} is differentiable so a loss on decoded predictions trains the model.
 */
public final class UnitGaussianNormalizer {
    public enum Mode { POINTWISE, CHANNEL }

    public static final double EPS = 1e-5;

    private final Mode mode;
    private final Tensor mean;
    private final Tensor std;

    private UnitGaussianNormalizer(Mode mode, Tensor mean, Tensor std) {
        this.mode = mode;
        this.mean = mean;
        this.std = std;
    }

    /** Fits on {@code data} of shape (N, *grid), N >= 2. */
    public static UnitGaussianNormalizer fit(Tensor data, Mode mode) {
        if (data.dim() < 2 || data.size(0) < 2) {
            throw new IllegalArgumentException("normalizer: need at least 2 samples and a grid, found shape " + Arrays.toString(data.shape()));
        }
        try (GradMode.Scope s = GradMode.noGrad()) {
            Tensor d = data.detach();
            int n = mode == Mode.POINTWISE ? d.size(0) : (int) d.numel();
            Tensor flat = mode == Mode.POINTWISE ? d : d.reshape(-1, 1);
            Tensor m = flat.mean(0, true);
            Tensor var = flat.sub(m).square().sum(0, true).div(n - 1);
            Tensor sd = var.sqrt();
            if (mode == Mode.CHANNEL) {
                m = m.reshape(new int[0]);
                sd = sd.reshape(new int[0]);
            }
            return new UnitGaussianNormalizer(mode, m, sd);
        }
    }

    /** Rebuilds from {@link #toTensors()}. */
    public static UnitGaussianNormalizer fromTensors(Map<String, Tensor> tensors) {
        Tensor m = tensors.get("mean"), s = tensors.get("std");
        if (m == null || s == null) {
            throw new IllegalArgumentException("normalizer: expected tensors 'mean' and 'std', found " + tensors.keySet());
        }
        if (!Arrays.equals(m.shape(), s.shape())) {
            throw new IllegalArgumentException("normalizer: mean shape " + Arrays.toString(m.shape()) + " != std shape " + Arrays.toString(s.shape()));
        }
        return new UnitGaussianNormalizer(m.dim() == 0 ? Mode.CHANNEL : Mode.POINTWISE, m, s);
    }

    public Map<String, Tensor> toTensors() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("mean", mean);
        m.put("std", std);
        return m;
    }

    public Mode mode() { return mode; }

    public Tensor encode(Tensor x) {
        Tensor[] ms = statsFor(x);
        return x.sub(ms[0]).div(ms[1].add(EPS));
    }

    public Tensor decode(Tensor y) {
        Tensor[] a = decodeAffine(y);
        return y.mul(a[1]).add(a[0]);
    }

    /**
     * {@code (offset, scale)} with {@code decode(y) = y * scale + offset} elementwise for fields shaped
     * like {@code like}: the mean and {@code std + EPS} on its grid, {@code (1, *grid)} pointwise
     * (resampled when the grid differs from the fitted one), scalars per channel. For callers that
     * decode parts of a field (patches) with the matching parts of these.
     */
    public Tensor[] decodeAffine(Tensor like) {
        Tensor[] ms = statsFor(like);
        return new Tensor[] {ms[0], ms[1].add(EPS)};
    }

    /** Mean and std on the grid of {@code x} (N, *grid), resampled when its grid differs from the fitted one. */
    private Tensor[] statsFor(Tensor x) {
        if (mode == Mode.CHANNEL) return new Tensor[] {mean.to(x.device()), std.to(x.device())};
        int[] grid = Arrays.copyOfRange(x.shape(), 1, x.dim());
        int[] fitted = Arrays.copyOfRange(mean.shape(), 1, mean.dim());
        if (Arrays.equals(grid, fitted)) return new Tensor[] {mean.to(x.device()), std.to(x.device())};
        if (grid.length != fitted.length || grid.length < 1 || grid.length > 3) {
            throw new IllegalArgumentException("normalizer: fitted on grid " + Arrays.toString(fitted)
                    + ", cannot apply to a field with grid " + Arrays.toString(grid));
        }
        String modeName = switch (grid.length) { case 1 -> "linear"; case 2 -> "bilinear"; default -> "trilinear"; };
        try (GradMode.Scope s = GradMode.noGrad()) {
            Tensor m = Conv.interpolate(mean.to(x.device()).unsqueeze(0), grid, modeName, true).squeeze(0);
            Tensor sd = Conv.interpolate(std.to(x.device()).unsqueeze(0), grid, modeName, true).squeeze(0);
            return new Tensor[] {m, sd};
        }
    }
}
