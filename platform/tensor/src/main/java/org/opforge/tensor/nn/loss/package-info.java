/**
 * Training losses: MSE, the relative and absolute Lp losses of the FNO papers, and the H1 loss of
 * neuraloperator (see {@link org.opforge.tensor.nn.loss.H1Loss} for the finite-difference convention).
 */
package org.opforge.tensor.nn.loss;
