package org.opforge.tensor.nn.optim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Cuts the lr by {@code factor} when a metric has not improved for more than {@code patience} epochs
 * (torch.optim.lr_scheduler.ReduceLROnPlateau). Improvement in mode min is {@code a < best (1 - threshold)}
 * (relative) or {@code a < best - threshold} (absolute); mode max mirrors it. After a cut, {@code cooldown}
 * epochs pass with the bad-epoch count held at zero. The new lr is {@code max(lr * factor, min_lr)},
 * applied only when it differs from the old by more than {@code eps}.
 */
public final class ReduceLROnPlateau {
    private final Optimizer optimizer;
    private final boolean maximize;
    private final double factor;
    private final int patience;
    private final double threshold;
    private final boolean relative;
    private final int cooldown;
    private final double minLr;
    private final double eps;
    private double best;
    private int numBadEpochs;
    private int cooldownCounter;
    private int lastEpoch;

    /** PyTorch's defaults: mode min, factor 0.1, patience 10, threshold 1e-4 relative, no cooldown, min_lr 0, eps 1e-8. */
    public ReduceLROnPlateau(Optimizer optimizer) {
        this(optimizer, false, 0.1, 10, 1e-4, true, 0, 0.0, 1e-8);
    }

    public ReduceLROnPlateau(Optimizer optimizer, boolean maximize, double factor, int patience, double threshold, boolean relative,
                             int cooldown, double minLr, double eps) {
        if (!(factor < 1.0)) throw new IllegalArgumentException("ReduceLROnPlateau: factor must be < 1, found " + factor);
        if (patience < 0 || cooldown < 0) {
            throw new IllegalArgumentException("ReduceLROnPlateau: patience and cooldown must be >= 0, found " + patience + ", " + cooldown);
        }
        this.optimizer = optimizer;
        this.maximize = maximize;
        this.factor = factor;
        this.patience = patience;
        this.threshold = threshold;
        this.relative = relative;
        this.cooldown = cooldown;
        this.minLr = minLr;
        this.eps = eps;
        this.best = maximize ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }

    /** Records one epoch's metric and cuts the lr when the plateau has lasted too long. */
    public void step(double metric) {
        lastEpoch++;
        if (isBetter(metric)) {
            best = metric;
            numBadEpochs = 0;
        } else {
            numBadEpochs++;
        }
        if (cooldownCounter > 0) {
            cooldownCounter--;
            numBadEpochs = 0;
        }
        if (numBadEpochs > patience) {
            double old = optimizer.lr();
            double next = Math.max(old * factor, minLr);
            if (old - next > eps) optimizer.setLr(next);
            cooldownCounter = cooldown;
            numBadEpochs = 0;
        }
    }

    private boolean isBetter(double a) {
        if (maximize) return relative ? a > best * (1 + threshold) : a > best + threshold;
        return relative ? a < best * (1 - threshold) : a < best - threshold;
    }

    public double lr() { return optimizer.lr(); }

    public double best() { return best; }

    public int numBadEpochs() { return numBadEpochs; }

    public int lastEpoch() { return lastEpoch; }

    /** best, num_bad_epochs, cooldown_counter, last_epoch (for checkpoints). */
    public Map<String, Double> stateDict() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("best", best);
        m.put("num_bad_epochs", (double) numBadEpochs);
        m.put("cooldown_counter", (double) cooldownCounter);
        m.put("last_epoch", (double) lastEpoch);
        return m;
    }

    public void loadStateDict(Map<String, Double> state) {
        for (String k : new String[] {"best", "num_bad_epochs", "cooldown_counter", "last_epoch"}) {
            if (!state.containsKey(k)) {
                throw new IllegalArgumentException("ReduceLROnPlateau.loadStateDict: missing key '" + k + "' (has " + state.keySet() + ")");
            }
        }
        best = state.get("best");
        numBadEpochs = state.get("num_bad_epochs").intValue();
        cooldownCounter = state.get("cooldown_counter").intValue();
        lastEpoch = state.get("last_epoch").intValue();
    }
}
