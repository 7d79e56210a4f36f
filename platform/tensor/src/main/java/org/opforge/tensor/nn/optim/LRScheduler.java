package org.opforge.tensor.nn.optim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An epoch-indexed learning-rate schedule, as torch.optim.lr_scheduler: construction records the
 * optimizer's lr as {@code base_lr} and sets the lr for epoch 0; each {@link #step()} advances the
 * epoch counter and sets {@code lr = lrAt(epoch)}, a closed form (PyTorch's
 * {@code _get_closed_form_lr}, so no drift accumulates over long runs).
 */
public abstract class LRScheduler {
    protected final Optimizer optimizer;
    protected final double baseLr;
    private int lastEpoch;

    protected LRScheduler(Optimizer optimizer) {
        this(optimizer, optimizer.lr());
    }

    /** With an explicit base lr (OneCycleLR derives its own). */
    protected LRScheduler(Optimizer optimizer, double baseLr) {
        this.optimizer = optimizer;
        this.baseLr = baseLr;
        this.lastEpoch = 0;
    }

    /** Sets the lr of epoch 0; subclass constructors call it last, after their fields are set. */
    protected final void start() {
        apply(0);
    }

    /** The learning rate of {@code epoch} (0 is the construction epoch). */
    public abstract double lrAt(int epoch);

    /** Advances one epoch (or one batch, for per-batch schedules such as OneCycleLR). */
    public void step() {
        lastEpoch++;
        apply(lastEpoch);
    }

    /** Hook for schedules that also set momentum. */
    protected void apply(int epoch) {
        optimizer.setLr(lrAt(epoch));
    }

    public final int lastEpoch() { return lastEpoch; }

    public final double baseLr() { return baseLr; }

    /** The current lr of the optimizer. */
    public final double lr() { return optimizer.lr(); }

    /** {@code last_epoch} (for checkpoints). */
    public Map<String, Double> stateDict() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("last_epoch", (double) lastEpoch);
        return m;
    }

    /** Restores {@code last_epoch} and the lr that goes with it. */
    public void loadStateDict(Map<String, Double> state) {
        Double e = state.get("last_epoch");
        if (e == null) throw new IllegalArgumentException(getClass().getSimpleName() + ".loadStateDict: missing key 'last_epoch' (has " + state.keySet() + ")");
        lastEpoch = e.intValue();
        apply(lastEpoch);
    }
}
