package org.opforge.operators.dgno.layers;

import java.util.Locale;
import java.util.stream.IntStream;
import org.opforge.tensor.Autograd;
import org.opforge.tensor.DType;
import org.opforge.tensor.GradMode;
import org.opforge.tensor.Tensor;

/**
 * The activations of the DGNO reference (Zang and Koutsourelakis 2025), each the identity plus a
 * periodic or smooth bump, with {@code s = sin(pi (z + 1))}, {@code c = cos(pi (z + 1))}:
 * <ul>
 * <li>{@link #TANH_SIN}: {@code f(z) = tanh(s) + z}</li>
 * <li>{@link #SILU_SIN}: {@code f(z) = silu(s) + z}</li>
 * <li>{@link #SILU_ID}: {@code f(z) = silu(z) + z}</li>
 * </ul>
 *
 * <p>Each is one fused element-wise op whose gradient is the next derivative, itself a fused op, up
 * to the third derivative: enough to differentiate a loss holding {@code grad_x u} (the first
 * derivative of the network) with respect to the parameters, which needs the second, and once more
 * for checking that. {@link #withSlope} returns {@code f(z)} and {@code f'(z)} from one pass, as the
 * forward-mode tangents of the shared trunk need both. float64 tensors are computed in double (sin
 * and cos of {@code pi (z + 1)} by range reduction and their Taylor polynomials, tanh and the sigmoid
 * from one exp, absolute error about 1e-16); float32 tensors of the periodic activations by the
 * vectorizable loops of {@link FloatKernels} (float rounding level). Loops split over the common pool.
 */
public enum DgnoActivation {
    TANH_SIN, SILU_SIN, SILU_ID;

    /** Highest derivative order that has its own op; its gradient would need one order more. */
    public static final int MAX_ORDER = 3;

    private static final double PI = Math.PI, PI2 = PI * PI, PI3 = PI2 * PI;

    /** The configuration name: {@code tanh_sin}, {@code silu_sin} or {@code silu_id}. */
    public String label() { return name().toLowerCase(Locale.ROOT); }

    public static DgnoActivation parse(String s) {
        for (DgnoActivation a : values()) if (a.label().equals(s.trim().toLowerCase(Locale.ROOT))) return a;
        throw new IllegalArgumentException("activation: expected tanh_sin, silu_sin or silu_id, found '" + s + "'");
    }

    /** {@code f(z)}, differentiable to any order the ops support. */
    public Tensor apply(Tensor z) {
        if (!GradMode.isEnabled() || !z.requiresGrad()) return map(z, 0, null)[0];
        return withSlope(z)[0];
    }

    /** {@code [f(z), f'(z)]} from one pass; both differentiable with respect to z. */
    public Tensor[] withSlope(Tensor z) {
        Tensor[] vs = map(z, 0, 1);
        Tensor slope = recordDerivative(vs[1], z, 1);
        Tensor value = Autograd.record(vs[0], label(), g -> new Tensor[] {g.mul(slope)}, z);
        return new Tensor[] {value, slope};
    }

    /** The k-th derivative {@code f^(k)(z)}, 1 <= k <= {@link #MAX_ORDER}. */
    public Tensor derivative(Tensor z, int k) {
        if (k < 1 || k > MAX_ORDER) {
            throw new UnsupportedOperationException(label() + ": derivative of order " + k + " requested; orders 1.." + MAX_ORDER
                    + " are implemented (enough for second-order training through grad_x u)");
        }
        return recordDerivative(map(z, k, null)[0], z, k);
    }

    private Tensor recordDerivative(Tensor raw, Tensor z, int k) {
        return Autograd.record(raw, label() + "_d" + k, g -> new Tensor[] {g.mul(derivative(z, k + 1))}, z);
    }

    /** Element-wise orders {@code k} (and {@code k2} when not null) of z, as new tensors of z's dtype and device. */
    private Tensor[] map(Tensor z, int k, Integer k2) {
        if (z.dtype().isComplex()) throw new IllegalArgumentException(label() + ": real tensors only, found " + z.dtype());
        int n = (int) z.numel();
        int[] shape = z.shape();
        int chunks = n < 16384 ? 1 : Math.min(Runtime.getRuntime().availableProcessors() * 2, n / 8192);
        int step = (n + chunks - 1) / chunks;
        if (z.dtype() == DType.FLOAT64) {
            double[] x = z.toDoubleArray(), a = new double[n], b = k2 == null ? null : new double[n];
            IntStream.range(0, chunks).parallel().forEach(c -> {
                int lo = c * step, hi = Math.min(n, lo + step);
                for (int i = lo; i < hi; i++) {
                    a[i] = eval(x[i], k);
                    if (b != null) b[i] = eval(x[i], k2);
                }
            });
            return new Tensor[] {Tensor.of(a, z.dtype(), z.device(), shape), b == null ? null : Tensor.of(b, z.dtype(), z.device(), shape)};
        }
        float[] x = z.toFloatArray(), a = new float[n], b = k2 == null ? null : new float[n];
        boolean fused = this != SILU_ID && (k2 == null || (k == 0 && k2 == 1));
        float[][] scratch = fused ? new float[][] {new float[n], new float[n], new float[n], new float[n]} : null;
        IntStream.range(0, chunks).parallel().forEach(c -> {
            int lo = c * step, hi = Math.min(n, lo + step);
            if (fused) {
                if (this == TANH_SIN) FloatKernels.tanhSin(x, k, a, b, lo, hi, scratch[0], scratch[1], scratch[2], scratch[3]);
                else FloatKernels.siluSin(x, k, a, b, lo, hi, scratch[0], scratch[1], scratch[2], scratch[3]);
            } else if (b != null && k == 0 && k2 == 1) {
                double[] vs = new double[2];
                for (int i = lo; i < hi; i++) {
                    valueAndSlope(x[i], vs);
                    a[i] = (float) vs[0];
                    b[i] = (float) vs[1];
                }
            } else {
                for (int i = lo; i < hi; i++) {
                    a[i] = (float) eval(x[i], k);
                    if (b != null) b[i] = (float) eval(x[i], k2);
                }
            }
        });
        return new Tensor[] {Tensor.of(a, z.dtype(), z.device(), shape), b == null ? null : Tensor.of(b, z.dtype(), z.device(), shape)};
    }

    /** f and f' sharing the transcendental functions. */
    private void valueAndSlope(double x, double[] out) {
        switch (this) {
            case TANH_SIN -> {
                double s = sinPi1(x), c = cosPi1(x), t = tanhSmall(s);
                out[0] = t + x;
                out[1] = (1 - t * t) * PI * c + 1;
            }
            case SILU_SIN -> {
                double s = sinPi1(x), c = cosPi1(x), sg = sigmoid(s);
                out[0] = s * sg + x;
                out[1] = sg * (1 + s * (1 - sg)) * PI * c + 1;
            }
            case SILU_ID -> {
                double sg = sigmoid(x);
                out[0] = x * sg + x;
                out[1] = sg * (1 + x * (1 - sg)) + 1;
            }
        }
    }

    /** (-1)^n / (2n+1)! and (-1)^n / (2n)!: Taylor series of sin and cos, exact to double rounding on [-pi/2, pi/2]. */
    private static final double[] SIN = new double[11], COS = new double[12];

    static {
        double f = 1;
        for (int n = 0; n < 12; n++) {
            if (n > 0) f *= (2 * n - 1) * (2 * n);
            COS[n] = (n % 2 == 0 ? 1 : -1) / f;
            if (n < 11) SIN[n] = (n % 2 == 0 ? 1 : -1) / (f * (2 * n + 1));
        }
    }

    /**
     * sin(pi (x + 1)) by reduction to f = x + 1 - k, |f| <= 1/2, k the nearest integer, and a
     * polynomial: Math.sin is a slow call on the JDK, and this is the inner loop of every layer.
     */
    static double sinPi1(double x) {
        double r = x + 1, k = Math.rint(r), y = PI * (r - k), y2 = y * y, p = SIN[10];
        for (int n = 9; n >= 0; n--) p = p * y2 + SIN[n];
        return (((long) k & 1) == 0 ? y : -y) * p;
    }

    /** cos(pi (x + 1)), as {@link #sinPi1}. */
    static double cosPi1(double x) {
        double r = x + 1, k = Math.rint(r), y = PI * (r - k), y2 = y * y, p = COS[11];
        for (int n = 10; n >= 0; n--) p = p * y2 + COS[n];
        return ((long) k & 1) == 0 ? p : -p;
    }

    /** tanh for |s| <= 1 (the argument here is a sine) as (e - 1)/(e + 1), e = exp(2s): absolute error ~1e-16. */
    private static double tanhSmall(double s) {
        double e = Math.exp(2 * s);
        return (e - 1) / (e + 1);
    }

    private static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }

    /**
     * Derivatives of silu(y) = y sigma(y), with sigma' = sigma (1 - sigma) =: q:
     * silu' = sigma (1 + y (1 - sigma)), silu'' = q (2 + y (1 - 2 sigma)),
     * silu''' = q (1 - 2 sigma) (2 + y (1 - 2 sigma)) + q ((1 - 2 sigma) - 2 y q).
     */
    private static double silu(double y, int k) {
        double sg = sigmoid(y), q = sg * (1 - sg), r = 1 - 2 * sg;
        return switch (k) {
            case 0 -> y * sg;
            case 1 -> sg * (1 + y * (1 - sg));
            case 2 -> q * (2 + y * r);
            default -> q * r * (2 + y * r) + q * (r - 2 * y * q);
        };
    }

    /**
     * f^(k)(x). For tanh_sin with t = tanh(s), S = 1 - t^2: f' = S pi c + 1,
     * f'' = -pi^2 S (2 t c^2 + s), f''' = -pi^3 S c (1 + 2 S c^2 - 4 t^2 c^2 - 6 t s). For silu_sin, with
     * the derivatives of silu at s: f' = pi c silu' + 1, f'' = pi^2 (c^2 silu'' - s silu'),
     * f''' = pi^3 (c^3 silu''' - 3 s c silu'' - c silu').
     */
    double eval(double x, int k) {
        switch (this) {
            case TANH_SIN -> {
                double s = sinPi1(x), c = cosPi1(x), t = tanhSmall(s), sech2 = 1 - t * t;
                return switch (k) {
                    case 0 -> t + x;
                    case 1 -> sech2 * PI * c + 1;
                    case 2 -> -PI2 * sech2 * (2 * t * c * c + s);
                    default -> -PI3 * sech2 * c * (1 + 2 * sech2 * c * c - 4 * t * t * c * c - 6 * t * s);
                };
            }
            case SILU_SIN -> {
                double s = sinPi1(x), c = cosPi1(x);
                return switch (k) {
                    case 0 -> silu(s, 0) + x;
                    case 1 -> PI * c * silu(s, 1) + 1;
                    case 2 -> PI2 * (c * c * silu(s, 2) - s * silu(s, 1));
                    default -> PI3 * (c * c * c * silu(s, 3) - 3 * s * c * silu(s, 2) - c * silu(s, 1));
                };
            }
            default -> {
                return silu(x, k) + (k == 0 ? x : k == 1 ? 1 : 0);
            }
        }
    }
}
