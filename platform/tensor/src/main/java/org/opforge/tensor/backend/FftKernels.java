package org.opforge.tensor.backend;

/**
 * FFT kernels of a device: batched, any length. Filled in by the FFT work; the differentiable
 * transforms in {@code org.opforge.tensor.Spectral} call only these.
 */
public interface FftKernels {
}
