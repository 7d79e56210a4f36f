/**
 * Optimizers with PyTorch's exact update rules (SGD with momentum, dampening, Nesterov and weight
 * decay; Adam; AdamW; amsgrad), their checkpoint state by parameter name, gradient clipping, and the
 * learning-rate schedules StepLR, CosineAnnealingLR, OneCycleLR and ReduceLROnPlateau.
 */
package org.opforge.tensor.nn.optim;
