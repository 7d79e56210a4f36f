package org.opforge.decomp;

import org.opforge.decomp.factorized.CompressionReport;
import org.opforge.decomp.factorized.FactorizedTensors;
import org.opforge.tensor.Tensor;

/**
 * Tensor decompositions as a service: registered through Declarative Services in an OSGi framework
 * and through {@code META-INF/services} for {@link java.util.ServiceLoader} without one.
 */
public interface TensorDecompositionService {

    /**
     * Decomposes a real float64 tensor. {@code rank} is explicit, a fraction of the dense parameter
     * count, or (TT only) a relative error tolerance; the result carries the factors, the relative
     * reconstruction error and both parameter counts.
     */
    DecompositionResult decompose(DecompositionMethod method, DenseTensor tensor, RankSpec rank, DecompositionOptions options);

    default DecompositionResult decompose(DecompositionMethod method, DenseTensor tensor, RankSpec rank) {
        return decompose(method, tensor, rank, DecompositionOptions.defaults());
    }

    /**
     * Post-hoc compression of a trained weight (real or complex, any float dtype): decomposes it at
     * {@code rank} and returns trainable factorized weights of the weight's dtype with the relative
     * reconstruction error and the parameter counts (complex entries count once, as in tltorch).
     */
    default CompressionReport compress(DecompositionMethod method, Tensor weight, RankSpec rank, DecompositionOptions options) {
        return FactorizedTensors.compress(method, weight, rank, options);
    }

    /** The first implementation registered with {@link java.util.ServiceLoader} (use without OSGi). */
    static TensorDecompositionService find() {
        return java.util.ServiceLoader.load(TensorDecompositionService.class, TensorDecompositionService.class.getClassLoader())
                .findFirst().orElseThrow(() -> new IllegalStateException("no " + TensorDecompositionService.class.getName()
                        + " implementation on the class path (add the opforge-tensor-decompositions jar)"));
    }
}
