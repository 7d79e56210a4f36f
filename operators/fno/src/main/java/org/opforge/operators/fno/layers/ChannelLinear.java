package org.opforge.operators.fno.layers;

import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.nn.init.Init;

/**
 * Pointwise channel mixing of a field {@code x (B, C_in, *grid)}:
 * {@code y[b, o, p] = sum_i W[o, i] x[b, i, p] + bias[o]} at every grid point p, i.e. a 1x1
 * convolution (neuralop's {@code fno_skips} "linear", the lifting and projection layers). Stored as
 * {@code weight (C_out, C_in)} and {@code bias (C_out)}, initialized as torch.nn.Linear / Conv with
 * kernel 1: U(-1/sqrt(C_in), 1/sqrt(C_in)).
 *
 * <p>Computed as one GEMM {@code W (C_out, C_in) @ x (B, C_in, P)} broadcast over the batch, which
 * needs no transposition of the field.
 */
public final class ChannelLinear extends org.opforge.tensor.nn.Layer {
    private final int in;
    private final int out;

    public ChannelLinear(int in, int out, boolean bias, Rng rng) {
        if (in <= 0 || out <= 0) throw new IllegalArgumentException("ChannelLinear: channels must be positive, found in=" + in + ", out=" + out);
        this.in = in;
        this.out = out;
        registerParameter("weight", Init.defaultWeight().create(rng, out, in));
        if (bias) registerParameter("bias", Init.defaultBias(in).create(rng, out));
    }

    public int inChannels() { return in; }

    public int outChannels() { return out; }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() < 2 || x.size(1) != in) {
            throw new IllegalArgumentException("ChannelLinear: expected a field (B, " + in + ", grid...), found shape "
                    + java.util.Arrays.toString(x.shape()));
        }
        int[] shape = x.shape();
        int b = shape[0];
        Tensor y = param("weight").matmul(x.reshape(b, in, -1));
        if (hasParam("bias")) y = y.add(param("bias").reshape(out, 1));
        shape[1] = out;
        return y.reshape(shape);
    }

    @Override
    protected String extraRepr() {
        return in + ", " + out + ", bias=" + hasParam("bias");
    }
}
