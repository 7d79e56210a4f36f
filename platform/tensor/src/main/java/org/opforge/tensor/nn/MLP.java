package org.opforge.tensor.nn;

import java.util.List;
import org.opforge.tensor.Rng;

/**
 * A fully connected network: {@link Linear} layers of the given widths with an activation between
 * consecutive layers (and after the last one only when asked). It is a {@link Sequential}, so the
 * Linear layers sit at indices 0, 2, 4, ... and the state-dict keys are those of
 * {@code nn.Sequential(Linear, ReLU, Linear, ...)}: {@code 0.weight}, {@code 2.weight}, ...
 */
public class MLP extends Sequential {
    private final int[] widths;

    /** {@code widths = [in, hidden..., out]}; at least two entries. */
    public MLP(int[] widths, String activation, boolean lastActivation, Rng rng) {
        if (widths.length < 2) {
            throw new IllegalArgumentException("MLP: widths needs at least [in, out], found " + java.util.Arrays.toString(widths));
        }
        this.widths = widths.clone();
        Activation.Kind kind = Activation.Kind.parse(activation);
        for (int i = 0; i + 1 < widths.length; i++) {
            add(new Linear(widths[i], widths[i + 1], rng));
            if (i + 2 < widths.length || lastActivation) add(new Activation(kind, 1.0));
        }
    }

    public MLP(List<Integer> widths, String activation, boolean lastActivation, Rng rng) {
        this(widths.stream().mapToInt(Integer::intValue).toArray(), activation, lastActivation, rng);
    }

    /** Without an activation after the last layer. */
    public MLP(int[] widths, String activation, Rng rng) {
        this(widths, activation, false, rng);
    }

    public int[] widths() {
        return widths.clone();
    }
}
