package org.opforge.tensor.nn;

import java.util.Arrays;
import org.opforge.tensor.Rng;
import org.opforge.tensor.nn.init.Init;

/**
 * Base of the Fourier layers of Li et al. (2020), as their reference code: complex weights
 * {@code weights1, weights2, ...} of shape (C_in, C_out, modes...), one per kept corner of the
 * spectrum, each initialized {@code scale * U[0, 1)} for the real and the imaginary part with
 * {@code scale = 1 / (C_in * C_out)}; FFT norm 'backward'. The concrete layers are
 * {@link SpectralConv1d}, {@link SpectralConv2d} and {@link SpectralConv3d}.
 */
public abstract class SpectralConv extends Layer {
    private final int inChannels;
    private final int outChannels;
    private final int[] modes;

    SpectralConv(int inChannels, int outChannels, int[] modes, int corners, Rng rng) {
        if (inChannels <= 0 || outChannels <= 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": channels must be positive, found " + inChannels + ", " + outChannels);
        }
        for (int m : modes) {
            if (m <= 0) throw new IllegalArgumentException(getClass().getSimpleName() + ": modes must be positive, found " + Arrays.toString(modes));
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.modes = modes.clone();
        int[] shape = new int[modes.length + 2];
        shape[0] = inChannels;
        shape[1] = outChannels;
        System.arraycopy(modes, 0, shape, 2, modes.length);
        double scale = 1.0 / ((double) inChannels * outChannels);
        for (int k = 1; k <= corners; k++) registerParameter("weights" + k, Init.spectral(scale).create(rng, shape));
    }

    public int inChannels() { return inChannels; }

    public int outChannels() { return outChannels; }

    public int[] modes() { return modes.clone(); }

    @Override
    protected String extraRepr() {
        return inChannels + ", " + outChannels + ", modes=" + ConvNd.tuple(modes);
    }
}
