package org.opforge.tensor.nn;

import java.util.List;
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

    @Override
    public Tensor forward(Tensor x) {
        for (int i = 0; i < size; i++) x = get(i).forward(x);
        return x;
    }
}
