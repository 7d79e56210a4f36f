package org.opforge.tensor.nn.optim;

/**
 * An optimizer whose momentum a scheduler may cycle ({@link OneCycleLR}): SGD's {@code momentum}, or
 * Adam's {@code beta1}.
 */
public interface MomentumControl {
    double momentum();

    void setMomentum(double momentum);
}
