package org.opforge.training.physics;

import org.opforge.tensor.DType;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;

/**
 * The physics of a physics-aware operator: the loss a PDE's residual gives to the decoded fields at
 * points the residual chooses. The PDE belongs to the problem, not to the network: the DGNO operator
 * evaluates whatever fields a residual asks for ({@link #needsFlux()}) at its points, and another
 * equation is another implementation of this interface. Implementations are immutable.
 */
public interface Residual {

    /**
     * The decoded fields at the residual's points, for a batch of B samples.
     *
     * @param coefficient the input field at the points {@code (B, P)}: data in training, the decoded input (differentiable) in inversion
     * @param u           the solution {@code (B, P)}
     * @param gradU       its gradient in x {@code (B, P, d)}, differentiable in the network's parameters
     * @param flux        the flux decoder's output {@code (B, P, d)}, or null when {@link #needsFlux()} is false
     * @param source      the right-hand side at the points {@code (B, P)} when it is a field of the data, or
     *                    null for the residual's own (e.g. a constant)
     */
    record Fields(Tensor coefficient, Tensor u, Tensor gradU, Tensor flux, Tensor source) {
        /** Fields with the residual's own right-hand side. */
        public Fields(Tensor coefficient, Tensor u, Tensor gradU, Tensor flux) {
            this(coefficient, u, gradU, flux, null);
        }
    }

    /** Short name, e.g. {@code darcy-weak}. */
    String name();

    /** Whether the loss reads {@link Fields#flux()} (a mixed form). */
    boolean needsFlux();

    /** The evaluation points of one training step {@code (P, d)}, drawn with {@code rng}. */
    Tensor samplePoints(Rng rng, DType dtype);

    /** The scalar loss of fields given at the points returned by {@link #samplePoints}. */
    Tensor loss(Fields fields);
}
