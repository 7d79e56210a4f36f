/**
 * Neural-network building blocks on the tensor engine, laid out as torch.nn.
 *
 * <ul>
 *   <li>{@link org.opforge.tensor.nn.Module}: named parameters, buffers and children with PyTorch's
 *       state-dict keys, strict state-dict loading with precise errors, train/eval, device and dtype
 *       moves, parameter count (complex counts twice). {@link org.opforge.tensor.nn.Layer} is a module
 *       with one input; {@link org.opforge.tensor.nn.Sequential} chains layers under the names 0, 1, ...</li>
 *   <li>Layers: {@link org.opforge.tensor.nn.Linear}, {@link org.opforge.tensor.nn.MLP},
 *       {@link org.opforge.tensor.nn.Activation}, convolutions ({@code Conv1d/2d/3d},
 *       {@code ConvTranspose1d/2d/3d}), Fourier layers ({@code SpectralConv1d/2d/3d}, weights
 *       {@code weights1, weights2, ...} as the FNO reference code), normalizations ({@code LayerNorm},
 *       {@code GroupNorm}, {@code InstanceNorm}, {@code BatchNorm}) and {@code Dropout}.</li>
 *   <li>{@link org.opforge.tensor.nn.Functional}: the differentiable functions behind them (one-GEMM
 *       linear, transposed matrix products, safe vector norms, activations by name).</li>
 *   <li>Sub-packages: {@code init} (PyTorch's initializers from a seeded generator), {@code optim}
 *       (SGD, Adam, AdamW, clipping, LR schedules), {@code loss} (MSE, relative and absolute Lp, H1).</li>
 * </ul>
 */
package org.opforge.tensor.nn;
