package org.opforge.tensor;

/**
 * The gradient rule of one op: given dL/d(output), the gradients with respect to each input (null for
 * an input that needs none). It must be written with differentiable {@link Tensor} ops so that,
 * under {@code createGraph}, gradients can be differentiated again.
 */
@FunctionalInterface
public interface Backward {
    Tensor[] apply(Tensor gradOutput);
}
