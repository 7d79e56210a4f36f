/**
 * DGNO (Zang and Koutsourelakis 2025): a physics-aware neural operator trained without solution
 * labels. The factory ({@link org.opforge.operators.dgno.DgnoFactory}, "dgno"), its configuration keys
 * ({@link org.opforge.operators.dgno.DgnoSchemas}), the problem interface
 * ({@link org.opforge.training.physics.Residual}: the PDE belongs to the problem, not the network) with
 * the Darcy mixed weak form ({@link org.opforge.training.physics.DarcyWeakResidual},
 * {@link org.opforge.training.physics.WendlandQuadrature}).
 */
package org.opforge.operators.dgno;
