/**
 * Dense float64 tensor decompositions with tensorly's conventions: unfolding and folding, n-mode
 * products, CP by alternating least squares, Tucker by HOSVD and HOOI, tensor trains by TT-SVD with
 * ranks or a tolerance, and ranks from a fraction of the dense parameter count. The bundle offers
 * them to the host as the API's {@code org.opforge.api.decomp.DecompositionService} (Declarative
 * Services and {@link java.util.ServiceLoader}). Exported at version 1.0.0 (see bnd.bnd).
 */
package org.opforge.decomp;
