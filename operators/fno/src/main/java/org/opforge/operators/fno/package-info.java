/**
 * The FNO family as OpForge operators: {@link org.opforge.operators.fno.FnoFactory} ("fno", Li et al.
 * 2020, 1-3 dimensions), {@link org.opforge.operators.fno.TfnoFactory} ("tfno", CP / Tucker / TT
 * factorized spectral weights) and {@link org.opforge.operators.fno.MgTfnoFactory} ("mg-tfno",
 * multigrid patching of Kossaifi et al.), their configuration ({@link org.opforge.operators.fno.FnoSchemas}),
 * the patching data processor ({@link org.opforge.operators.fno.MultigridPatching}) and post-hoc
 * compression of trained models ({@link org.opforge.operators.fno.SpectralCompression}).
 * Exported at version 1.0.0; layers and models are private to the bundle.
 */
package org.opforge.operators.fno;
