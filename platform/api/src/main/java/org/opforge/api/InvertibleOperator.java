package org.opforge.api;

import java.util.Map;
import org.opforge.tensor.Tensor;

/**
 * An operator that can also solve the inverse problem: recover input fields from sparse, noisy
 * observations of their outputs (DGNO, whose generative model of the input makes this a search in
 * its latent space with the decoders frozen).
 */
public interface InvertibleOperator extends NeuralOperator {

    /**
     * The recovered fields.
     *
     * @param inputs      the input fields {@code (N, *grid)} on the operator's grid
     * @param outputs     the matching outputs {@code (N, *grid)}
     * @param seconds     wall time of the whole inversion
     * @param diagnostics final loss terms and the like, by name
     */
    record Inversion(Tensor inputs, Tensor outputs, double seconds, Map<String, Double> diagnostics) {}

    /**
     * Input fields whose outputs best explain {@code observations}.
     *
     * @param points       observation points {@code (M, d)} in the operator's domain, shared by the samples
     * @param observations observed output values {@code (N, M)}
     * @param options      operator-specific settings (iterations, weights, seed) as strings; absent ones at their defaults
     * @throws IllegalArgumentException for shapes that do not fit or an unknown option, naming it
     */
    Inversion invert(Tensor points, Tensor observations, Map<String, String> options);
}
