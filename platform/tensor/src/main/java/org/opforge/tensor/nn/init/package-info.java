/**
 * Parameter initializers with torch.nn.init's formulas (PyTorch's Linear/Conv default, Xavier,
 * Kaiming, constants, the FNO spectral init), drawn from {@link org.opforge.tensor.Rng} so that one seed
 * gives one model.
 */
package org.opforge.tensor.nn.init;
