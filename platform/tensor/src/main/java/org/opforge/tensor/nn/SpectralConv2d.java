package org.opforge.tensor.nn;

import org.opforge.tensor.Rng;
import org.opforge.tensor.Spectral;
import org.opforge.tensor.Tensor;

/**
 * FNO SpectralConv2d: the corners {@code [:m1, :m2]} (weights1) and {@code [-m1:, :m2]} (weights2) of
 * {@code rfft2(x)} are mixed over channels, the rest of the spectrum is zero, then
 * {@code irfft2(s=(H, W))}; x (B, C_in, H, W), {@code 2 m1 <= H}, {@code m2 <= W/2 + 1}.
 */
public final class SpectralConv2d extends SpectralConv {
    public SpectralConv2d(int inChannels, int outChannels, int modes1, int modes2, Rng rng) {
        super(inChannels, outChannels, new int[] {modes1, modes2}, 2, rng);
    }

    @Override
    public Tensor forward(Tensor x) {
        return Spectral.spectralConv2d(x, param("weights1"), param("weights2"));
    }
}
