package org.opforge.tensor.nn;

import org.opforge.tensor.Norm;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;

/**
 * Inverted dropout (torch.nn.Dropout): in training mode each element is zeroed with probability p and
 * the rest scaled by 1/(1-p); in eval mode the identity. Masks come from the module's own generator, so
 * a seed reproduces a training run.
 */
public final class Dropout extends Layer {
    private final double p;
    private final Rng rng;

    public Dropout(double p, Rng rng) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("Dropout: p must be in [0, 1], found " + p);
        this.p = p;
        this.rng = rng;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Norm.dropout(x, p, isTraining(), rng);
    }

    @Override
    protected String extraRepr() {
        return "p=" + p;
    }
}
