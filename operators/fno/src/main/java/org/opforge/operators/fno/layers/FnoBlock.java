package org.opforge.operators.fno.layers;

import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.nn.Activation;
import org.opforge.tensor.nn.Module;

/**
 * One Fourier block (neuralop's FNOBlocks, one layer):
 * <pre>
 *   v = K(x) + W x                          (spectral convolution + "linear" 1x1 skip)
 *   without channel MLP:  out = act(v)              (no activation after the last block)
 *   with channel MLP:     out = MLP(act(v)) + g ⊙ x   then act unless last (g: soft gating)
 * </pre>
 * State-dict children: {@code spectral}, {@code skip}, and with the channel MLP {@code mlp} and
 * {@code mlp_skip}.
 */
public final class FnoBlock extends Module {
    private final SpectralConvolution spectral;
    private final ChannelLinear skip;
    private final ChannelMlp mlp;
    private final SoftGating mlpSkip;
    private final Activation.Kind activation;

    public FnoBlock(SpectralConvolution spectral, int width, boolean channelMlp, double mlpExpansion, Activation.Kind activation, Rng rng) {
        this.spectral = registerModule("spectral", spectral);
        this.skip = registerModule("skip", new ChannelLinear(width, width, true, rng));
        this.activation = activation;
        if (channelMlp) {
            int hidden = Math.max(1, (int) Math.round(width * mlpExpansion));
            this.mlp = registerModule("mlp", new ChannelMlp(width, hidden, width, 2, activation, rng));
            this.mlpSkip = registerModule("mlp_skip", new SoftGating(width));
        } else {
            this.mlp = null;
            this.mlpSkip = null;
        }
    }

    public SpectralConvolution spectral() { return spectral; }

    public Tensor forward(Tensor x, boolean last) {
        Tensor v = spectral.forward(x).add(skip.forward(x));
        if (mlp == null) return last ? v : activation.apply(v, 1.0);
        Tensor y = mlp.forward(activation.apply(v, 1.0)).add(mlpSkip.forward(x));
        return last ? y : activation.apply(y, 1.0);
    }
}
