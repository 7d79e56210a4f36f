package org.opforge.tensor.fft;

import org.opforge.tensor.FftNorm;
import org.opforge.tensor.Spectral;
import org.opforge.tensor.Tensor;

/**
 * The built-in {@link FftService}: the differentiable transforms of {@link Spectral}, which run on
 * the FFT kernels of the tensor's device backend. Registered for {@link java.util.ServiceLoader}.
 */
public final class TensorFftService implements FftService {

    @Override public Tensor fft(Tensor x, int dims, FftNorm norm) {
        return Spectral.fftn(x, dims, norm);
    }

    @Override public Tensor ifft(Tensor x, int dims, FftNorm norm) {
        return Spectral.ifftn(x, dims, norm);
    }

    @Override public Tensor rfft(Tensor x, int dims, FftNorm norm) {
        return Spectral.rfftn(x, dims, norm);
    }

    @Override public Tensor irfft(Tensor x, int[] sizes, FftNorm norm) {
        return Spectral.irfftn(x, sizes, norm);
    }

    @Override public String describe() {
        return "opforge tensor FFT (mixed radix 2/3/4/5/7/11/13 + Bluestein, on the tensor's device backend)";
    }
}
