package org.opforge.tensor.nn;

import org.opforge.tensor.Rng;
import org.opforge.tensor.Spectral;
import org.opforge.tensor.Tensor;

/**
 * FNO SpectralConv3d: the four corners {@code [:m1, :m2, :m3]}, {@code [-m1:, :m2, :m3]},
 * {@code [:m1, -m2:, :m3]}, {@code [-m1:, -m2:, :m3]} (weights1..4) of {@code rfftn(x)} over the last
 * three axes are mixed, then {@code irfftn}; x (B, C_in, X, Y, Z).
 */
public final class SpectralConv3d extends SpectralConv {
    public SpectralConv3d(int inChannels, int outChannels, int modes1, int modes2, int modes3, Rng rng) {
        super(inChannels, outChannels, new int[] {modes1, modes2, modes3}, 4, rng);
    }

    @Override
    public Tensor forward(Tensor x) {
        return Spectral.spectralConv3d(x, param("weights1"), param("weights2"), param("weights3"), param("weights4"));
    }
}
