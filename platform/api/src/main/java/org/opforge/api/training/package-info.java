/**
 * The value types of {@link org.opforge.api.TrainableOperator#train}: what to train on, how, what
 * came out, and a listener for progress.
 */
package org.opforge.api.training;
