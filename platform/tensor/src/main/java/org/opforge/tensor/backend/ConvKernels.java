package org.opforge.tensor.backend;

/**
 * Convolution, pooling and resampling kernels of a device. The differentiable ops in
 * {@code org.opforge.tensor.Conv} call only these.
 */
public interface ConvKernels {
}
