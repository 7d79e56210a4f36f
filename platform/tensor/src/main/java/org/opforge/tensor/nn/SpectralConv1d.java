package org.opforge.tensor.nn;

import org.opforge.tensor.Rng;
import org.opforge.tensor.Spectral;
import org.opforge.tensor.Tensor;

/**
 * FNO SpectralConv1d: {@code y = irfft(out_ft, n=L)} with {@code out_ft[:, :, :m] =
 * einsum('bix,iox->box', rfft(x)[:, :, :m], weights1)}; x (B, C_in, L), {@code m <= L/2 + 1}.
 */
public final class SpectralConv1d extends SpectralConv {
    public SpectralConv1d(int inChannels, int outChannels, int modes, Rng rng) {
        super(inChannels, outChannels, new int[] {modes}, 1, rng);
    }

    @Override
    public Tensor forward(Tensor x) {
        return Spectral.spectralConv1d(x, param("weights1"));
    }
}
