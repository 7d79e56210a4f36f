package org.opforge.api;

import org.opforge.api.data.Checkpoint;
import org.opforge.tensor.Tensor;

/**
 * A trained (or being trained) operator: a learned map between function spaces, evaluated on
 * discretized functions. Inference is pure: it records no autodiff graph and changes no state.
 */
public interface NeuralOperator {

    /** The checkpoint attribute holding {@link #name()}, so a loader can pick the factory. */
    String OPERATOR_ATTRIBUTE = "operator";

    /** The family name of the factory that made it ({@link OperatorFactory#name()}). */
    String name();

    /**
     * Evaluates the operator on a batch of input fields, sample axis first
     * ({@code [N, C, H, W]} for 2-D fields with channels, {@code [N, H, W]} without; the family
     * documents its layout). Returns the output fields, sample axis first.
     */
    Tensor apply(Tensor input);

    /** Whether {@link #apply(Tensor, Tensor)} is supported (DeepONet-like operators). */
    default boolean supportsPointQueries() { return false; }

    /**
     * Evaluates the output functions at query points: {@code input} holds the sampled input
     * functions {@code [N, ...]}, {@code points} the coordinates {@code [P, d]}; returns {@code [N, P]}
     * (or {@code [N, P, c]} for c output components).
     *
     * @throws UnsupportedOperationException when {@link #supportsPointQueries()} is false
     */
    default Tensor apply(Tensor input, Tensor points) {
        throw new UnsupportedOperationException("operator '" + name() + "' evaluates on grids only; it does not take query points");
    }

    /** Number of trainable scalars (a complex weight counts 2). */
    long parameterCount();

    /**
     * Everything needed to {@link OperatorFactory#load load} it again: architecture and weights,
     * with attribute {@value #OPERATOR_ATTRIBUTE} set to {@link #name()}.
     */
    Checkpoint toCheckpoint();
}
