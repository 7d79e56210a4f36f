package org.opforge.api.decomp;

import java.util.List;
import org.opforge.tensor.Tensor;

/**
 * Decomposes a tensor and reports how well the factorization reconstructs it. Published by a bundle
 * through Declarative Services and listed in {@code META-INF/services} for use without OSGi.
 *
 * <p>For a real tensor X and its factorization X' the reported error is the relative Frobenius
 * error {@code ||X - X'||_F / ||X||_F}. A complex tensor (a spectral weight) is decomposed as a
 * complex tensor of the same order, its entries counted once in the parameter counts.
 */
public interface DecompositionService {

    /** The methods offered, by the names {@link DecompositionRequest#method()} takes ("cp", "tucker", "tt"). */
    List<String> methods();

    /**
     * Decomposes {@code tensor} (any float dtype, real or complex, order at least 2).
     *
     * @throws IllegalArgumentException for an unknown method or option, or a rank that does not fit
     *                                  the tensor, naming what was expected and what was found
     */
    DecompositionSummary decompose(Tensor tensor, DecompositionRequest request);
}
