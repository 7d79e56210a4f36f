package org.opforge.tensor;

/**
 * Normalization of a discrete Fourier transform pair over N points, as numpy and PyTorch name it:
 * the forward transform is multiplied by {@link #forwardScale}, the inverse by {@link #inverseScale},
 * and their product is always 1/N.
 */
public enum FftNorm {
    /** Forward unscaled, inverse 1/N (the default of numpy and PyTorch). */
    BACKWARD,
    /** Forward 1/N, inverse unscaled (neuralop's spectral convolutions). */
    FORWARD,
    /** Both 1/sqrt(N): the transform is unitary. */
    ORTHO;

    public double forwardScale(long n) {
        return switch (this) {
            case BACKWARD -> 1.0;
            case FORWARD -> 1.0 / n;
            case ORTHO -> 1.0 / Math.sqrt(n);
        };
    }

    public double inverseScale(long n) {
        return switch (this) {
            case BACKWARD -> 1.0 / n;
            case FORWARD -> 1.0;
            case ORTHO -> 1.0 / Math.sqrt(n);
        };
    }

    /** Parses numpy's names "backward", "forward", "ortho" (case-insensitive; null means backward). */
    public static FftNorm parse(String name) {
        if (name == null) return BACKWARD;
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "backward" -> BACKWARD;
            case "forward" -> FORWARD;
            case "ortho" -> ORTHO;
            default -> throw new IllegalArgumentException("fft norm must be 'backward', 'forward' or 'ortho', found '" + name + "'");
        };
    }
}
