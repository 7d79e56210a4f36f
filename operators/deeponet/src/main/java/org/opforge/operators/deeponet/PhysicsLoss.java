package org.opforge.operators.deeponet;

import org.opforge.tensor.Tensor;

/**
 * The physics part of a physics-informed DeepONet loss (Wang, Wang, Perdikaris 2021): residuals of
 * the governing equation at collocation points, computed from derivatives of the network output with
 * respect to the trunk inputs, and of its boundary conditions. No labelled outputs are needed.
 *
 * <p>{@link #residuals} returns a per-sample tensor {@code (n, k)} in the autodiff graph (built with
 * {@code createGraph = true}, so its parameter gradient exists); {@link #reduce} turns it into the scalar
 * loss. The split lets the shared training loop treat the residuals as the "prediction".
 */
public interface PhysicsLoss {
    /**
     * @param net    the network
     * @param branchInput sensor values as the branch sees them (normalized if the operator normalizes inputs), {@code (n, m)}
     * @param input  raw sensor values {@code (n, m)}
     * @param points collocation points {@code (P, d)}
     */
    Tensor residuals(DeepOnet net, Tensor branchInput, Tensor input, Tensor points);

    /** The scalar loss of residuals from {@link #residuals}. */
    Tensor reduce(Tensor residuals);
}
