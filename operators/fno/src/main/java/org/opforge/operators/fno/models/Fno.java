package org.opforge.operators.fno.models;

import java.util.Arrays;
import java.util.function.IntFunction;
import org.opforge.decomp.factorized.FactorizedTensor;
import org.opforge.operators.fno.layers.ChannelMlp;
import org.opforge.operators.fno.layers.DomainPadding;
import org.opforge.operators.fno.layers.FnoBlock;
import org.opforge.operators.fno.layers.GridEmbedding;
import org.opforge.operators.fno.layers.SpectralConvolution;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.nn.Module;
import org.opforge.tensor.nn.ModuleList;

/**
 * Fourier neural operator (Li et al. 2020; neuralop's FNO / TFNO) on fields {@code (B, C_in, n_1..n_d)}:
 * <pre>
 *   v = lifting([x, grid])               channel MLP (one linear layer by default), grid = linspace(0,1) per axis
 *   v = pad(v)                           domain padding (fraction of each axis, zeros)
 *   v = block_l(v), l = 1..L             act(K_l v + W_l v), no activation after the last block
 *   y = projection(unpad(v))             Linear(width, P) -> act -> Linear(P, C_out), pointwise
 * </pre>
 * State-dict keys: {@code lifting.fcs.k.*}, {@code blocks.l.spectral.*}, {@code blocks.l.skip.*},
 * {@code projection.fcs.k.*}.
 */
public final class Fno extends Module {
    private final FnoSpec spec;
    private final ChannelMlp lifting;
    private final ModuleList<FnoBlock> blocks;
    private final ChannelMlp projection;
    private final DomainPadding padding;

    public Fno(FnoSpec spec, Rng rng) {
        this(spec, null, rng);
    }

    /** With given factorized spectral weights per block (null entries or a null function draw them). */
    public Fno(FnoSpec spec, IntFunction<FactorizedTensor> spectralWeights, Rng rng) {
        this.spec = spec;
        int lifted = spec.inChannels() + (spec.positionalEmbedding() ? spec.dims() : 0);
        int liftLayers = spec.liftingChannels() > 0 ? 2 : 1;
        lifting = registerModule("lifting", new ChannelMlp(lifted, spec.liftingChannels(), spec.width(), liftLayers, spec.activation(), rng));
        blocks = registerModule("blocks", new ModuleList<>());
        for (int l = 0; l < spec.layers(); l++) {
            FactorizedTensor initial = spectralWeights == null ? null : spectralWeights.apply(l);
            SpectralConvolution k = new SpectralConvolution(spec.width(), spec.width(), spec.modes(), spec.weights(), initial, rng);
            blocks.add(new FnoBlock(k, spec.width(), spec.channelMlp(), spec.channelMlpExpansion(), spec.activation(), rng));
        }
        projection = registerModule("projection",
                new ChannelMlp(spec.width(), spec.projectionChannels(), spec.outChannels(), 2, spec.activation(), rng));
        padding = new DomainPadding(spec.domainPadding(), spec.paddingMode());
    }

    public FnoSpec spec() { return spec; }

    public SpectralConvolution spectral(int layer) { return blocks.get(layer).spectral(); }

    /** Fails with a message naming the modes and the resolution when a grid cannot hold the kept modes. */
    public void checkResolution(int[] grid) {
        int[] padded = padding.padded(grid);
        String where = Arrays.equals(padded, grid) ? "" : "grid " + Arrays.toString(grid) + " with domain padding";
        spectral(0).checkResolution(padded, where);
    }

    public Tensor forward(Tensor x) {
        int d = spec.dims();
        if (x.dim() != d + 2 || x.size(1) != spec.inChannels()) {
            throw new IllegalArgumentException("FNO: expected input (B, " + spec.inChannels() + ", " + d + " grid axes), found "
                    + Arrays.toString(x.shape()));
        }
        int[] grid = Arrays.copyOfRange(x.shape(), 2, d + 2);
        checkResolution(grid);
        Tensor v = lifting.forward(spec.positionalEmbedding() ? GridEmbedding.append(x, d) : x);
        v = padding.pad(v);
        for (int l = 0; l < blocks.size(); l++) v = blocks.get(l).forward(v, l == blocks.size() - 1);
        return projection.forward(padding.unpad(v, grid));
    }
}
