/**
 * The DeepONet family of neural operators: {@link org.opforge.operators.deeponet.DeepOnet} (unstacked
 * and stacked DeepONet, MIONet, multi-output strategies, Fourier trunk features; Cartesian-product,
 * per-function and scattered-pair layouts), {@link org.opforge.operators.deeponet.PodDeepOnet},
 * physics-informed training through {@link org.opforge.operators.deeponet.PhysicsLoss}, and the
 * operator factories "deeponet", "pod-deeponet", "mionet", "deeponet-multitask" and "pi-deeponet"
 * ({@link org.opforge.operators.deeponet.Family}).
 */
package org.opforge.operators.deeponet;
