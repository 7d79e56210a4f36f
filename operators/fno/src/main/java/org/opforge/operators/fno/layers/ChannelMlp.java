package org.opforge.operators.fno.layers;

import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.nn.Activation;
import org.opforge.tensor.nn.Layer;
import org.opforge.tensor.nn.ModuleList;

/**
 * neuralop's ChannelMLP: {@code n} pointwise {@link ChannelLinear} layers
 * {@code in -> hidden -> ... -> hidden -> out} with the activation between consecutive layers and
 * none after the last. One layer is a plain channel-linear map. State-dict keys
 * {@code fcs.0.weight}, {@code fcs.0.bias}, {@code fcs.1.weight}, ...
 */
public final class ChannelMlp extends Layer {
    private final ModuleList<ChannelLinear> fcs = registerModule("fcs", new ModuleList<>());
    private final Activation.Kind activation;

    public ChannelMlp(int in, int hidden, int out, int layers, Activation.Kind activation, Rng rng) {
        if (layers < 1) throw new IllegalArgumentException("ChannelMlp: layers must be >= 1, found " + layers);
        this.activation = activation;
        for (int k = 0; k < layers; k++) {
            int a = k == 0 ? in : hidden;
            int b = k == layers - 1 ? out : hidden;
            fcs.add(new ChannelLinear(a, b, true, rng));
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        for (int k = 0; k < fcs.size(); k++) {
            x = fcs.get(k).forward(x);
            if (k < fcs.size() - 1) x = activation.apply(x, 1.0);
        }
        return x;
    }
}
