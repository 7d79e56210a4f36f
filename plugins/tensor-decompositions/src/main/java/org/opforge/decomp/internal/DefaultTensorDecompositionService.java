package org.opforge.decomp.internal;

import org.opforge.decomp.DecompositionMethod;
import org.opforge.decomp.DecompositionOptions;
import org.opforge.decomp.DecompositionResult;
import org.opforge.decomp.Decompositions;
import org.opforge.decomp.DenseTensor;
import org.opforge.decomp.RankSpec;
import org.opforge.decomp.TensorDecompositionService;
import org.osgi.service.component.annotations.Component;

/**
 * The CPU implementation: a stateless Declarative Services component, and the
 * {@link java.util.ServiceLoader} provider of the same interface for use without OSGi.
 */
@Component(service = TensorDecompositionService.class, property = {"opforge.service=tensor-decompositions", "methods=cp", "methods=tucker", "methods=tt"})
public final class DefaultTensorDecompositionService implements TensorDecompositionService {

    @Override
    public DecompositionResult decompose(DecompositionMethod method, DenseTensor tensor, RankSpec rank, DecompositionOptions options) {
        return Decompositions.decompose(method, tensor, rank, options);
    }
}
