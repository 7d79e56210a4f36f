package org.opforge.tensor.nn.loss;

import org.opforge.tensor.Tensor;

/** {@code mean((x - y)^2)} over all elements, or the sum (torch.nn.functional.mse_loss). */
public final class MSELoss implements Loss {
    private final Reduction reduction;

    public MSELoss() {
        this(Reduction.MEAN);
    }

    public MSELoss(Reduction reduction) {
        this.reduction = reduction;
    }

    @Override
    public Tensor apply(Tensor prediction, Tensor target) {
        LpLoss.checkShapes("MSELoss", prediction, target);
        Tensor sq = prediction.sub(target).square();
        return reduction == Reduction.MEAN ? sq.mean() : sq.sum();
    }

    @Override
    public String toString() {
        return "MSELoss(reduction=" + reduction.name().toLowerCase() + ")";
    }
}
