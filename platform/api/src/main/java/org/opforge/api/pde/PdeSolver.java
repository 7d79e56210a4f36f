package org.opforge.api.pde;

import java.util.Map;
import org.opforge.tensor.Tensor;

/**
 * A data generator whose solver can also be called on given inputs, for reference solutions of
 * inputs it did not draw itself (an operator's test set at another resolution, an inverse problem).
 */
public interface PdeSolver extends DataGenerator {

    /**
     * Solves the PDE for each input sample.
     *
     * @param inputs input fields, sample axis first, laid out as the {@code "x"} field of {@link #generate}
     * @return the solutions, sample axis first, laid out as its {@code "y"} field
     * @throws IllegalArgumentException when the inputs' shape does not fit the parameters (naming both)
     */
    Tensor solve(Map<String, ?> parameters, Tensor inputs);
}
