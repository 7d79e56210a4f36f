/**
 * Dense float64 tensor decompositions with tensorly's conventions: unfolding and folding, n-mode
 * products, CP by alternating least squares, Tucker by HOSVD and HOOI, tensor trains by TT-SVD with
 * ranks or a tolerance, ranks from a fraction of the dense parameter count, and the
 * {@link org.opforge.decomp.TensorDecompositionService} that exposes them (Declarative Services and
 * {@link java.util.ServiceLoader}). Exported at version 1.0.0 (see bnd.bnd).
 */
package org.opforge.decomp;
