/**
 * Factorized weights for tensorized neural operators (TFNO): dense, CP, Tucker and tensor-train
 * tensors whose factors are trainable {@link org.opforge.tensor.Tensor} leaves, with a differentiable
 * reconstruction and a factor-by-factor channel contraction {@code y[b,o,m] = sum_i x[b,i,m] W[i,o,m]};
 * random initialization with a target standard deviation and initialization / post-hoc compression
 * from a dense weight. Exported at version 1.0.0 (see bnd.bnd).
 */
package org.opforge.decomp.factorized;
