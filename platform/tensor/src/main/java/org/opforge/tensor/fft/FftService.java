package org.opforge.tensor.fft;

import java.util.ServiceLoader;
import org.opforge.tensor.FftNorm;
import org.opforge.tensor.Tensor;

/**
 * Discrete Fourier transforms over the last 1 to 3 axes of a tensor, on the tensor's device, as
 * numpy.fft / torch.fft define them: {@code X_k = s sum_t x_t exp(-2 pi i k t / n)} forward and
 * {@code x_t = s' sum_k X_k exp(+2 pi i k t / n)} inverse with the scales of {@link FftNorm}. Results
 * are differentiable when the inputs require gradients.
 *
 * <p>Obtain one with {@link #get()} (ServiceLoader, falling back to the built-in provider) or from an
 * OSGi service registry; every method takes and returns {@link Tensor}s, so a caller with plain arrays
 * wraps them with {@code Tensor.of}.
 */
public interface FftService {

    /** Complex transform over the last {@code dims} axes; a real input is promoted to complex. */
    Tensor fft(Tensor x, int dims, FftNorm norm);

    /** Inverse complex transform over the last {@code dims} axes. */
    Tensor ifft(Tensor x, int dims, FftNorm norm);

    /** One-sided transform of a real tensor: last axis n to n/2+1 bins, full transforms on the other axes. */
    Tensor rfft(Tensor x, int dims, FftNorm norm);

    /**
     * Real inverse over the last {@code sizes.length} axes with output sizes {@code sizes}
     * (torch.fft.irfftn(x, s=sizes)); the imaginary parts of bin 0 and (even n) bin n/2 of the last
     * axis are ignored.
     */
    Tensor irfft(Tensor x, int[] sizes, FftNorm norm);

    /** Short description of the implementation. */
    String describe();

    /** The first provider found by {@link ServiceLoader}, or the built-in one. */
    static FftService get() {
        for (FftService s : ServiceLoader.load(FftService.class, FftService.class.getClassLoader())) return s;
        return new TensorFftService();
    }
}
