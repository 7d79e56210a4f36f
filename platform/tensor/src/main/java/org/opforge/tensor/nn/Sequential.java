package org.opforge.tensor.nn;

import java.util.List;
import org.opforge.tensor.Temporaries;
import org.opforge.tensor.Tensor;

/**
 * Layers applied in order; child {@code i} is registered under the name {@code "i"}, so its
 * parameters have the keys {@code 0.weight}, {@code 2.bias}, ... of torch.nn.Sequential.
 */
public class Sequential extends Layer {
    private int size;

    public Sequential(Layer... layers) {
        for (Layer l : layers) add(l);
    }

    public Sequential(List<? extends Layer> layers) {
        for (Layer l : layers) add(l);
    }

    /** Appends a layer under the next index and returns this. */
    public final Sequential add(Layer layer) {
        registerModule(Integer.toString(size++), layer);
        return this;
    }

    /** Layer {@code i}. */
    public final Layer get(int i) {
        if (i < 0 || i >= size) throw new IndexOutOfBoundsException("Sequential: index " + i + " for " + size + " layers");
        return (Layer) child(Integer.toString(i));
    }

    public final int size() {
        return size;
    }

    /**
     * The layers in order. A {@link Linear} followed by an {@link Activation} runs as one op where the
     * activation allows ({@link Linear#forward(Tensor, Activation)}); without a graph, each intermediate
     * goes back to the backend once the next layer has read it ({@link Temporaries}).
     */
    @Override
    public Tensor forward(Tensor x) {
        Temporaries temporaries = Temporaries.begin(x);
        for (int i = 0; i < size; i++) {
            Layer layer = get(i);
            Tensor next;
            if (layer instanceof Linear linear && i + 1 < size && get(i + 1) instanceof Activation then) {
                next = linear.forward(x, then);
                i++;
            } else {
                next = layer.forward(x);
            }
            temporaries.drop(x, next);
            x = next;
        }
        return x;
    }
}
