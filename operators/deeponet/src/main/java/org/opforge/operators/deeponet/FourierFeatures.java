package org.opforge.operators.deeponet;

import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.nn.Layer;

/**
 * Random Fourier feature expansion of the trunk input (Tancik et al. 2020; used for DeepONets by
 * Wang, Wang and Perdikaris): {@code y (.., d) -> [y, cos(2 pi y B), sin(2 pi y B)]} with a fixed
 * matrix {@code B (d, k)} drawn once from N(0, sigma^2) and saved as the buffer {@code B}. The
 * expansion acts on each point separately, so derivatives of the output with respect to a point
 * involve that point only.
 */
public final class FourierFeatures extends Layer {
    private final int in;
    private final int features;
    private final boolean keepInput;

    /**
     * @param in        coordinate dimension d
     * @param features  number k of frequencies (the output has {@code 2k} or {@code d + 2k} columns)
     * @param sigma     standard deviation of the frequencies
     * @param keepInput whether the raw coordinates are kept as the first d columns
     */
    public FourierFeatures(int in, int features, double sigma, boolean keepInput, Rng rng) {
        if (in <= 0 || features <= 0) {
            throw new IllegalArgumentException("Fourier features: coordinate dimension and feature count must be positive, found " + in + ", " + features);
        }
        if (!(sigma > 0)) throw new IllegalArgumentException("Fourier features: scale must be > 0, found " + sigma);
        this.in = in;
        this.features = features;
        this.keepInput = keepInput;
        registerBuffer("B", Tensor.randn(rng, DType.FLOAT32, Device.CPU, 0, sigma, in, features));
    }

    /** Columns of the output. */
    public int outFeatures() {
        return (keepInput ? in : 0) + 2 * features;
    }

    @Override
    public Tensor forward(Tensor y) {
        Tensor b = buffer("B");
        Tensor z = y.reshape(-1, in).matmul(b.to(y.dtype())).mul(2 * Math.PI);
        Tensor out = keepInput ? Tensor.cat(1, y.reshape(-1, in), z.cos(), z.sin()) : Tensor.cat(1, z.cos(), z.sin());
        int[] shape = y.shape();
        shape[shape.length - 1] = outFeatures();
        return out.reshape(shape);
    }

    @Override
    protected String extraRepr() {
        return "in=" + in + ", features=" + features + ", keep_input=" + keepInput;
    }
}
