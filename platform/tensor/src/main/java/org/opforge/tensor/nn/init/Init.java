package org.opforge.tensor.nn.init;

import java.util.Locale;
import org.opforge.tensor.GradMode;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Shapes;
import org.opforge.tensor.Tensor;

/**
 * Parameter initializers with PyTorch's formulas (torch.nn.init), drawn from {@link Rng} so that one
 * seed gives one model on any device and thread count. Fans follow
 * {@code _calculate_fan_in_and_fan_out}: for a weight of shape (d0, d1, k...),
 * {@code fan_in = d1 * prod(k)} and {@code fan_out = d0 * prod(k)}.
 */
public final class Init {
    private Init() {}

    /** Which fan scales a Kaiming initializer. */
    public enum FanMode { FAN_IN, FAN_OUT }

    // ---- fans and gains ---------------------------------------------------------------------------

    public static long fanIn(int[] shape) {
        checkFanShape(shape);
        return (long) shape[1] * receptiveField(shape);
    }

    public static long fanOut(int[] shape) {
        checkFanShape(shape);
        return (long) shape[0] * receptiveField(shape);
    }

    private static long receptiveField(int[] shape) {
        long r = 1;
        for (int i = 2; i < shape.length; i++) r *= shape[i];
        return r;
    }

    private static void checkFanShape(int[] shape) {
        if (shape.length < 2) {
            throw new IllegalArgumentException("fan in and fan out need a tensor of rank >= 2, found shape " + Shapes.str(shape));
        }
    }

    /**
     * torch.nn.init.calculate_gain: 1 for linear, conv*, sigmoid and identity; 5/3 for tanh;
     * sqrt(2) for relu; sqrt(2 / (1 + a^2)) for leaky_relu with slope {@code param}; 3/4 for selu.
     */
    public static double gain(String nonlinearity, double param) {
        String n = nonlinearity.toLowerCase(Locale.ROOT);
        return switch (n) {
            case "linear", "identity", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
                 "conv_transpose3d", "sigmoid" -> 1.0;
            case "tanh" -> 5.0 / 3.0;
            case "relu" -> Math.sqrt(2.0);
            case "leaky_relu" -> Math.sqrt(2.0 / (1 + param * param));
            case "selu" -> 0.75;
            default -> throw new IllegalArgumentException("gain: unknown nonlinearity '" + nonlinearity
                    + "' (linear, conv1d/2d/3d, conv_transpose1d/2d/3d, sigmoid, tanh, relu, leaky_relu, selu)");
        };
    }

    // ---- initializers -----------------------------------------------------------------------------

    /** U[low, high) (for a complex dtype, real and imaginary parts independently). */
    public static Initializer uniform(double low, double high) {
        return (rng, dtype, device, shape) -> Tensor.rand(rng, dtype, device, low, high, shape);
    }

    /** N(mean, std^2). */
    public static Initializer normal(double mean, double std) {
        return (rng, dtype, device, shape) -> Tensor.randn(rng, dtype, device, mean, std, shape);
    }

    public static Initializer constant(double value) {
        return (rng, dtype, device, shape) -> Tensor.full(dtype, device, value, shape);
    }

    public static Initializer zeros() {
        return constant(0);
    }

    public static Initializer ones() {
        return constant(1);
    }

    /**
     * PyTorch's default weight init of Linear and Conv ({@code kaiming_uniform_(a=sqrt(5))}):
     * U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
     */
    public static Initializer defaultWeight() {
        return (rng, dtype, device, shape) -> {
            double bound = boundFor(fanIn(shape));
            return Tensor.rand(rng, dtype, device, -bound, bound, shape);
        };
    }

    /** PyTorch's default bias init of Linear and Conv: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) of the weight's fan_in. */
    public static Initializer defaultBias(long fanIn) {
        double bound = boundFor(fanIn);
        return uniform(-bound, bound);
    }

    private static double boundFor(long fanIn) {
        return fanIn > 0 ? 1.0 / Math.sqrt(fanIn) : 0.0;
    }

    /** Glorot: U(-a, a) with a = gain sqrt(6 / (fan_in + fan_out)). */
    public static Initializer xavierUniform(double gain) {
        return (rng, dtype, device, shape) -> {
            double a = gain * Math.sqrt(6.0 / (fanIn(shape) + fanOut(shape)));
            return Tensor.rand(rng, dtype, device, -a, a, shape);
        };
    }

    /** Glorot: N(0, std^2) with std = gain sqrt(2 / (fan_in + fan_out)). */
    public static Initializer xavierNormal(double gain) {
        return (rng, dtype, device, shape) -> {
            double std = gain * Math.sqrt(2.0 / (fanIn(shape) + fanOut(shape)));
            return Tensor.randn(rng, dtype, device, 0, std, shape);
        };
    }

    /** He: U(-b, b) with b = sqrt(3) gain(nonlinearity, a) / sqrt(fan). */
    public static Initializer kaimingUniform(double a, FanMode mode, String nonlinearity) {
        return (rng, dtype, device, shape) -> {
            double bound = Math.sqrt(3.0) * gain(nonlinearity, a) / Math.sqrt(fan(shape, mode));
            return Tensor.rand(rng, dtype, device, -bound, bound, shape);
        };
    }

    /** He: N(0, std^2) with std = gain(nonlinearity, a) / sqrt(fan). */
    public static Initializer kaimingNormal(double a, FanMode mode, String nonlinearity) {
        return (rng, dtype, device, shape) -> {
            double std = gain(nonlinearity, a) / Math.sqrt(fan(shape, mode));
            return Tensor.randn(rng, dtype, device, 0, std, shape);
        };
    }

    private static long fan(int[] shape, FanMode mode) {
        return mode == FanMode.FAN_IN ? fanIn(shape) : fanOut(shape);
    }

    /**
     * The FNO spectral weight init of Li et al.: a complex tensor with real and imaginary parts each
     * {@code scale * U[0, 1)}; the reference code takes {@code scale = 1 / (C_in * C_out)}. The dtype
     * given is made complex.
     */
    public static Initializer spectral(double scale) {
        return (rng, dtype, device, shape) -> Tensor.rand(rng, dtype.toComplex(), device, 0, scale, shape);
    }

    /** Replaces the values of an existing parameter (shape, dtype and device kept), as the in-place {@code nn.init.*_}. */
    public static Tensor reset(Tensor param, Initializer init, Rng rng) {
        try (GradMode.Scope ignored = GradMode.noGrad()) {
            param.assign(init.create(rng, param.dtype(), param.device(), param.shape()));
        }
        return param;
    }
}
