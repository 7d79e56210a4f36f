package org.opforge.tensor.nn;

import java.util.function.UnaryOperator;
import org.opforge.tensor.Tensor;

/** A module with one input and one output tensor, the element of a {@link Sequential}. */
public abstract class Layer extends Module implements UnaryOperator<Tensor> {

    /** The layer's function of {@code x}, recorded in the autodiff graph. */
    public abstract Tensor forward(Tensor x);

    /** Same as {@link #forward}. */
    @Override
    public final Tensor apply(Tensor x) {
        return forward(x);
    }
}
