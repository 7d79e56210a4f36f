package org.opforge.operators.fno.models;

import java.util.Arrays;
import java.util.List;
import org.opforge.api.config.Config;
import org.opforge.decomp.factorized.TensorFormat;
import org.opforge.operators.fno.FnoSchemas;
import org.opforge.operators.fno.layers.DomainPadding;
import org.opforge.operators.fno.layers.SpectralWeights;
import org.opforge.tensor.nn.Activation;

/**
 * The architecture of an FNO, read from a resolved configuration.
 *
 * @param inChannels channels the network itself sees (for MG-TFNO, see {@link #forPatches})
 */
public record FnoSpec(int dims, int inChannels, int outChannels, int width, int[] modes, int layers, int liftingChannels,
                      int projectionChannels, Activation.Kind activation, boolean positionalEmbedding, boolean channelMlp,
                      double channelMlpExpansion, double domainPadding, DomainPadding.Mode paddingMode, SpectralWeights weights) {

    public FnoSpec {
        if (dims < 1 || dims > 3) throw new IllegalArgumentException("dims: expected 1, 2 or 3, found " + dims);
        if (inChannels < 1 || outChannels < 1 || width < 1 || layers < 1 || projectionChannels < 1 || liftingChannels < 0) {
            throw new IllegalArgumentException("in_channels, out_channels, width, layers and projection_channels must be >= 1 and"
                    + " lifting_channels >= 0; found " + inChannels + ", " + outChannels + ", " + width + ", " + layers + ", "
                    + projectionChannels + ", " + liftingChannels);
        }
        if (modes.length != dims) throw new IllegalArgumentException("modes: expected " + dims + " values, found " + Arrays.toString(modes));
        for (int m : modes) if (m < 1) throw new IllegalArgumentException("modes: expected values >= 1, found " + Arrays.toString(modes));
        modes = modes.clone();
    }

    @Override public int[] modes() { return modes.clone(); }

    /** From a resolved FNO-family config. */
    public static FnoSpec from(Config c) {
        int dims = c.getInt(FnoSchemas.DIMS);
        List<Integer> m = c.getIntList(FnoSchemas.MODES);
        int[] modes = new int[dims];
        if (m.size() == 1) Arrays.fill(modes, m.get(0));
        else if (m.size() == dims) for (int k = 0; k < dims; k++) modes[k] = m.get(k);
        else throw new IllegalArgumentException("modes: give one value or " + dims + " (one per axis), found " + m);
        SpectralWeights w = SpectralWeights.dense();
        if (c.values().containsKey(FnoSchemas.FACTORIZATION)) {
            w = new SpectralWeights(TensorFormat.parse(c.getString(FnoSchemas.FACTORIZATION)), c.getDouble(FnoSchemas.RANK),
                    SpectralWeights.Implementation.parse(c.getString(FnoSchemas.IMPLEMENTATION)));
        }
        return new FnoSpec(dims, c.getInt(FnoSchemas.IN_CHANNELS), c.getInt(FnoSchemas.OUT_CHANNELS), c.getInt(FnoSchemas.WIDTH),
                modes, c.getInt(FnoSchemas.LAYERS), c.getInt(FnoSchemas.LIFTING_CHANNELS), c.getInt(FnoSchemas.PROJECTION_CHANNELS),
                Activation.Kind.parse(c.getString(FnoSchemas.ACTIVATION)), c.getBoolean(FnoSchemas.POSITIONAL_EMBEDDING),
                c.getBoolean(FnoSchemas.CHANNEL_MLP), c.getDouble(FnoSchemas.CHANNEL_MLP_EXPANSION), c.getDouble(FnoSchemas.DOMAIN_PADDING),
                DomainPadding.Mode.parse(c.getString(FnoSchemas.DOMAIN_PADDING_MODE)), w);
    }

    /**
     * The network of MG-TFNO with {@code levels} multigrid levels: the grid coordinates (when the
     * positional embedding is on) are appended to the whole field before it is cut into patches, so
     * every level of a patch carries the global coordinates of its points and the network itself adds
     * none: {@code (C_in + d) (L + 1)} input channels.
     */
    public FnoSpec forPatches(int levels) {
        int fieldChannels = inChannels + (positionalEmbedding ? dims : 0);
        return new FnoSpec(dims, fieldChannels * (levels + 1), outChannels, width, modes, layers, liftingChannels, projectionChannels,
                activation, false, channelMlp, channelMlpExpansion, domainPadding, paddingMode, weights);
    }

    public FnoSpec withWeights(SpectralWeights w) {
        return new FnoSpec(dims, inChannels, outChannels, width, modes, layers, liftingChannels, projectionChannels, activation,
                positionalEmbedding, channelMlp, channelMlpExpansion, domainPadding, paddingMode, w);
    }
}
