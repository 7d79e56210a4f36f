package org.opforge.tensor.nn.optim;

/**
 * {@code lr = eta_min + (base_lr - eta_min) * (1 + cos(pi * epoch / T_max)) / 2}
 * (torch.optim.lr_scheduler.CosineAnnealingLR, closed form; past T_max the cosine continues, as
 * PyTorch's).
 */
public final class CosineAnnealingLR extends LRScheduler {
    private final int tMax;
    private final double etaMin;

    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin) {
        super(optimizer);
        if (tMax <= 0) throw new IllegalArgumentException("CosineAnnealingLR: T_max must be positive, found " + tMax);
        this.tMax = tMax;
        this.etaMin = etaMin;
        start();
    }

    public CosineAnnealingLR(Optimizer optimizer, int tMax) {
        this(optimizer, tMax, 0.0);
    }

    @Override
    public double lrAt(int epoch) {
        return etaMin + (baseLr - etaMin) * (1 + Math.cos(Math.PI * epoch / tMax)) / 2;
    }
}
