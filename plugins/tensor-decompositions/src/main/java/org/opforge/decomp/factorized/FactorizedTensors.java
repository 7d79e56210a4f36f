package org.opforge.decomp.factorized;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.opforge.decomp.CpTensor;
import org.opforge.decomp.DecompositionMethod;
import org.opforge.decomp.DecompositionOptions;
import org.opforge.decomp.DecompositionResult;
import org.opforge.decomp.Decompositions;
import org.opforge.decomp.DenseTensor;
import org.opforge.decomp.RankSpec;
import org.opforge.decomp.Ranks;
import org.opforge.decomp.TensorAlgebra;
import org.opforge.decomp.TtTensor;
import org.opforge.decomp.TuckerTensor;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;

/**
 * Creates factorized weights: randomly with a target standard deviation of the full tensor's entries,
 * or by decomposing a dense weight (post-hoc compression, or initializing a TFNO from a trained FNO).
 *
 * <p>A complex weight W is decomposed through the real tensor {@code S} of shape {@code (shape..., 2)}
 * holding (Re W, Im W) on a last mode (the interleaved storage of W). A decomposition of S folds back
 * into one of W of the same quality, {@code ||W - W_hat|| = ||S - S_hat||}: CP absorbs the last factor
 * row (c_0r + i c_1r) into the weights; Tucker keeps that mode at full rank 2 and contracts it into a
 * complex core; TT contracts the last core (r, 2, 1) into the one before. The factors become complex
 * leaves whose imaginary parts start at zero.
 */
public final class FactorizedTensors {
    private FactorizedTensors() {}

    /** Marks a leaf as trainable; factors must be leaves so that their gradients accumulate. */
    static Tensor trainable(Tensor t) {
        if (!t.isLeaf()) throw new IllegalArgumentException("factorized weights need leaf tensors, found the result of an op (" + t + ")");
        if (t.dtype() != DType.FLOAT32 && t.dtype() != DType.FLOAT64 && !t.dtype().isComplex()) {
            throw new IllegalArgumentException("factors must be float or complex, found " + t.dtype());
        }
        return t.requiresGrad(true);
    }

    /**
     * Random factorized weight whose full-tensor entries have mean 0 and standard deviation {@code std}
     * ({@code E|W|^2 = std^2}), as tltorch's {@code normal_}: every factor entry is N(0, s^2) (complex:
     * real and imaginary parts N(0, s^2 / 2)), with
     * CP: weights 1, {@code s = (std / sqrt(R))^(1/N)} since {@code E|W|^2 = R s^{2N}};
     * Tucker: {@code s = (std / sqrt(prod r_k))^(1/(N+1))} (core and factors);
     * TT: {@code s = (std / sqrt(prod_{k=1}^{N-1} r_k))^(1/N)}; dense: {@code s = std}.
     */
    public static FactorizedTensor random(TensorFormat format, int[] shape, RankSpec rank, DType dtype, Device device, double std, Rng rng) {
        if (!(std >= 0)) throw new IllegalArgumentException("std must be >= 0, found " + std);
        int n = shape.length;
        double c = dtype.isComplex() ? Math.sqrt(0.5) : 1;
        if (format == TensorFormat.DENSE) return new DenseFactorizedTensor(Tensor.randn(rng, dtype, device, 0, std * c, shape));
        int[] r = Ranks.resolve(format.method(), shape, rank);
        switch (format) {
            case CP: {
                double s = Math.pow(std / Math.sqrt(r[0]), 1.0 / n);
                List<Tensor> f = new ArrayList<>();
                for (int k = 0; k < n; k++) f.add(Tensor.randn(rng, dtype, device, 0, s * c, shape[k], r[0]));
                return new CpFactorizedTensor(Tensor.full(dtype, device, 1, r[0]), f);
            }
            case TUCKER: {
                double prod = 1;
                for (int q : r) prod *= q;
                double s = Math.pow(std / Math.sqrt(prod), 1.0 / (n + 1));
                Tensor core = Tensor.randn(rng, dtype, device, 0, s * c, r);
                List<Tensor> f = new ArrayList<>();
                for (int k = 0; k < n; k++) f.add(Tensor.randn(rng, dtype, device, 0, s * c, shape[k], r[k]));
                return new TuckerFactorizedTensor(core, f);
            }
            default: {
                double prod = 1;
                for (int k = 1; k < n; k++) prod *= r[k];
                double s = Math.pow(std / Math.sqrt(prod), 1.0 / n);
                List<Tensor> cores = new ArrayList<>();
                for (int k = 0; k < n; k++) cores.add(Tensor.randn(rng, dtype, device, 0, s * c, r[k], shape[k], r[k + 1]));
                return new TtFactorizedTensor(cores);
            }
        }
    }

    /** Factorized weight of {@code weight}'s dtype and device initialized by decomposing it. */
    public static FactorizedTensor fromDense(TensorFormat format, Tensor weight, RankSpec rank, DecompositionOptions options) {
        if (format == TensorFormat.DENSE) {
            // a fresh leaf, so training the copy never touches the source weight
            return new DenseFactorizedTensor(Tensor.of(weight.toDoubleArray(), weight.dtype(), weight.device(), weight.shape()));
        }
        return compress(format.method(), weight, rank, options).factorized();
    }

    /**
     * Decomposes a real or complex weight at {@code rank} (explicit, fraction of the dense parameter count,
     * or TT tolerance) and returns trainable factors with the error and parameter counts.
     */
    public static CompressionReport compress(DecompositionMethod method, Tensor weight, RankSpec rank, DecompositionOptions options) {
        DType dtype = weight.dtype();
        Device device = weight.device();
        int[] shape = weight.shape();
        if (shape.length == 0) throw new IllegalArgumentException("compress: a 0-d tensor cannot be factorized");
        if (!dtype.isComplex()) {
            DecompositionResult d = Decompositions.decompose(method, DenseTensor.fromTensor(weight.detach()), rank, options);
            FactorizedTensor f = toFactorized(d, dtype, device);
            return new CompressionReport(f, d.relativeError(), d.denseParameters(), f.parameterCount(), d.iterations());
        }
        int n = shape.length;
        int[] stacked = Arrays.copyOf(shape, n + 1);
        stacked[n] = 2;
        DenseTensor s = DenseTensor.of(weight.detach().toDoubleArray(), stacked);
        RankSpec stackedRank = rank;
        if (!(rank instanceof RankSpec.Tolerance)) {
            int[] r = Ranks.resolve(method, shape, rank);
            switch (method) {
                case CP: stackedRank = rank instanceof RankSpec.Fixed ? rank : RankSpec.of(r); break;
                case TUCKER: stackedRank = RankSpec.of(append(r, 2)); break;
                default: {
                    // [1, r_1..r_{N-1}, 2, 1]: the new last internal rank is at most the size 2 of the (re, im) mode
                    int[] t = Arrays.copyOf(r, n + 2);
                    t[n] = 2;
                    t[n + 1] = 1;
                    stackedRank = RankSpec.of(t);
                }
            }
        }
        DecompositionResult d = Decompositions.decompose(method, s, stackedRank, options);
        FactorizedTensor f = foldComplex(d, shape, dtype, device);
        return new CompressionReport(f, d.relativeError(), Arrays.stream(shape).asLongStream().reduce(1, (a, b) -> a * b),
                f.parameterCount(), d.iterations());
    }

    private static FactorizedTensor toFactorized(DecompositionResult d, DType dtype, Device device) {
        switch (d.method()) {
            case CP: {
                CpTensor cp = (CpTensor) d.factorization();
                List<Tensor> f = new ArrayList<>();
                for (DenseTensor u : cp.factors()) f.add(leaf(u.data(), dtype, device, u.shape()));
                return new CpFactorizedTensor(leaf(cp.weights(), dtype, device, cp.rank()), f);
            }
            case TUCKER: {
                TuckerTensor t = (TuckerTensor) d.factorization();
                List<Tensor> f = new ArrayList<>();
                for (DenseTensor u : t.factors()) f.add(leaf(u.data(), dtype, device, u.shape()));
                return new TuckerFactorizedTensor(leaf(t.core().data(), dtype, device, t.core().shape()), f);
            }
            default: {
                TtTensor t = (TtTensor) d.factorization();
                List<Tensor> cores = new ArrayList<>();
                for (DenseTensor c : t.cores()) cores.add(leaf(c.data(), dtype, device, c.shape()));
                return new TtFactorizedTensor(cores);
            }
        }
    }

    /** Folds a decomposition of the (shape..., 2) real stack into complex factors (see the class comment). */
    private static FactorizedTensor foldComplex(DecompositionResult d, int[] shape, DType dtype, Device device) {
        int n = shape.length;
        switch (d.method()) {
            case CP: {
                CpTensor cp = (CpTensor) d.factorization();
                int rank = cp.rank();
                double[] w = cp.weights();
                double[] c = cp.factor(n).data();
                double[] z = new double[2 * rank];
                for (int r = 0; r < rank; r++) {
                    z[2 * r] = w[r] * c[r];
                    z[2 * r + 1] = w[r] * c[rank + r];
                }
                List<Tensor> f = new ArrayList<>();
                for (int k = 0; k < n; k++) f.add(leaf(realToComplex(cp.factor(k).data()), dtype, device, cp.factor(k).shape()));
                return new CpFactorizedTensor(leaf(z, dtype, device, rank), f);
            }
            case TUCKER: {
                TuckerTensor t = (TuckerTensor) d.factorization();
                // core x_N C: the last axis becomes (Re, Im), which is the interleaved complex layout
                DenseTensor core = TensorAlgebra.modeDot(t.core(), t.factor(n), n);
                int[] cs = Arrays.copyOf(core.shape(), n);
                List<Tensor> f = new ArrayList<>();
                for (int k = 0; k < n; k++) f.add(leaf(realToComplex(t.factor(k).data()), dtype, device, t.factor(k).shape()));
                return new TuckerFactorizedTensor(leaf(core.data(), dtype, device, cs), f);
            }
            default: {
                TtTensor t = (TtTensor) d.factorization();
                List<Tensor> cores = new ArrayList<>();
                for (int k = 0; k < n - 1; k++) cores.add(leaf(realToComplex(t.core(k).data()), dtype, device, t.core(k).shape()));
                DenseTensor before = t.core(n - 1), last = t.core(n);
                int[] bs = before.shape();
                int q = bs[2];
                // (r, I, q) @ (q, 2): the (Re, Im) pair of every entry of the new last core
                DenseTensor merged = TensorAlgebra.modeDotTransposed(before.reshape(bs[0] * bs[1], q, 1), last.reshape(q, 2), 1);
                cores.add(leaf(merged.data(), dtype, device, bs[0], bs[1], 1));
                return new TtFactorizedTensor(cores);
            }
        }
    }

    private static double[] realToComplex(double[] re) {
        double[] z = new double[2 * re.length];
        for (int i = 0; i < re.length; i++) z[2 * i] = re[i];
        return z;
    }

    private static Tensor leaf(double[] data, DType dtype, Device device, int... shape) {
        return Tensor.of(data, dtype, device, shape);
    }

    private static int[] append(int[] a, int v) {
        int[] b = Arrays.copyOf(a, a.length + 1);
        b[a.length] = v;
        return b;
    }
}
