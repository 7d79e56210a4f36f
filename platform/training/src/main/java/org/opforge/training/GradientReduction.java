package org.opforge.training;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.Tensor;

/**
 * Synchronous data parallelism for {@link SupervisedTrainer}: {@code R} replicas start from the same
 * weights and draw the same global batches; replica {@code r} computes the loss and gradient of its
 * contiguous share {@code B_r} of each global batch {@code B}, and {@link #allReduceSum} sums
 * {@code (|B_r| / |B|) * g_r} over the replicas. For a loss that is a mean over samples this sum is
 * the gradient of the loss on the whole of {@code B} (up to float rounding), so every replica takes
 * the step a single process would take on {@code B}, and the replicas stay identical as long as the
 * sum gives every replica the same bits.
 *
 * <p>A trainer finds the reduction of its thread through {@link #current()}; {@link #run} installs
 * one for the duration of a call (an operator's {@code train}), so nothing in the operators' API changes.
 */
public interface GradientReduction {
    /** This replica's index, {@code 0 <= rank < replicas}. */
    int rank();

    /** Number of replicas R. */
    int replicas();

    /**
     * Replaces {@code values} on every replica with the element-wise sum over all replicas; every
     * replica receives the same bits (the sum is formed in one order and then distributed).
     */
    void allReduceSum(float[] values);

    /** The contiguous share of {@code batch} (a global batch's sample indices) of this replica; may be empty. */
    default int[] share(int[] batch) {
        int n = batch.length, r = rank(), k = replicas();
        return Arrays.copyOfRange(batch, (int) ((long) n * r / k), (int) ((long) n * (r + 1) / k));
    }

    /**
     * Averages the replicas' gradients in place and returns the loss of the global batch: each
     * parameter's gradient (zero where this replica has none) is weighted by {@code shareSamples /
     * batchSamples}, summed over the replicas with the weighted loss appended, and set back.
     */
    default double reduce(Map<String, Tensor> parameters, double shareLoss, int shareSamples, int batchSamples) {
        float w = (float) shareSamples / batchSamples;
        int total = 2;
        for (Tensor p : parameters.values()) total += hostLength(p);
        float[] flat = new float[total];
        int at = 0;
        for (Tensor p : parameters.values()) {
            Tensor g = p.grad();
            int len = hostLength(p);
            if (g != null) {
                float[] v = g.to(Device.CPU).toFloatArray();
                for (int i = 0; i < len; i++) flat[at + i] = v[i] * w;
            }
            at += len;
        }
        // the loss as a float pair (high part, remainder) keeps about double precision through the float sum
        double l = shareSamples == 0 ? 0 : shareLoss * shareSamples / batchSamples;
        flat[at] = (float) l;
        flat[at + 1] = (float) (l - flat[at]);
        allReduceSum(flat);
        at = 0;
        for (Tensor p : parameters.values()) {
            int len = hostLength(p);
            p.setGrad(Tensor.of(Arrays.copyOfRange(flat, at, at + len), p.dtype(), p.device(), p.shape()));
            at += len;
        }
        return (double) flat[at] + flat[at + 1];
    }

    private static int hostLength(Tensor p) {
        DType t = p.dtype();
        if (t != DType.FLOAT32 && t != DType.COMPLEX64) {
            throw new IllegalArgumentException("data-parallel training reduces float32 and complex64 parameters; found " + t);
        }
        return Math.toIntExact(p.numel() * (t.isComplex() ? 2L : 1L));
    }

    /** The reduction installed on this thread by {@link #run}, or null for single-process training. */
    static GradientReduction current() {
        return Scope.CURRENT.get();
    }

    /** Runs {@code body} (typically {@code operator.train(...)}) with {@code reduction} installed on this thread. */
    static <T> T run(GradientReduction reduction, Supplier<T> body) {
        Objects.requireNonNull(reduction, "reduction");
        GradientReduction previous = Scope.CURRENT.get();
        Scope.CURRENT.set(reduction);
        try {
            return body.get();
        } finally {
            if (previous == null) Scope.CURRENT.remove();
            else Scope.CURRENT.set(previous);
        }
    }

    /** Holder of the per-thread reduction (an interface cannot hold a private field). */
    final class Scope {
        private static final ThreadLocal<GradientReduction> CURRENT = new ThreadLocal<>();

        private Scope() {}
    }
}
