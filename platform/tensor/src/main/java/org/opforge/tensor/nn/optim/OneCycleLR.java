package org.opforge.tensor.nn.optim;

/**
 * The 1cycle policy (Smith; torch.optim.lr_scheduler.OneCycleLR), stepped once per batch for
 * {@code total_steps} steps. With {@code initial = max_lr / div_factor} and
 * {@code min = initial / final_div_factor}, the phases (ending at step {@code end}) are
 * <ul>
 *   <li>two-phase: initial -> max_lr until {@code pct_start * total - 1}, then max_lr -> min until {@code total - 1};</li>
 *   <li>three-phase: initial -> max_lr until {@code pct_start * total - 1}, max_lr -> initial until
 *       {@code 2 pct_start * total - 2}, initial -> min until {@code total - 1}.</li>
 * </ul>
 * Inside a phase from step s0 to s1, {@code pct = (step - s0) / (s1 - s0)} and the value is annealed by
 * cosine {@code end + (start - end) (1 + cos(pi pct)) / 2} or linearly {@code start + (end - start) pct}.
 * With {@code cycleMomentum}, the optimizer's momentum (SGD momentum or Adam beta1) runs the opposite
 * way, max_momentum -> base_momentum -> max_momentum; Adam's bias correction {@code 1 - beta1^t} then
 * uses the current beta1 (torch's Adam), which the golden case {@code onecycle_adam} checks.
 */
public final class OneCycleLR extends LRScheduler {
    private final int totalSteps;
    private final boolean cosine;
    private final boolean cycleMomentum;
    private final double baseMomentum;
    private final double maxMomentum;
    private final double[] ends;
    private final double[] startLr;
    private final double[] endLr;
    private final double[] startMom;
    private final double[] endMom;

    /** PyTorch's defaults: pct_start 0.3, cosine, cycle momentum 0.85..0.95, div 25, final div 1e4, two phases. */
    public OneCycleLR(Optimizer optimizer, double maxLr, int totalSteps) {
        this(optimizer, maxLr, totalSteps, 0.3, true, true, 0.85, 0.95, 25.0, 1e4, false);
    }

    public OneCycleLR(Optimizer optimizer, double maxLr, int totalSteps, double pctStart, boolean cosine, boolean cycleMomentum,
                      double baseMomentum, double maxMomentum, double divFactor, double finalDivFactor, boolean threePhase) {
        super(optimizer, maxLr / divFactor);
        if (totalSteps <= 0) throw new IllegalArgumentException("OneCycleLR: total_steps must be positive, found " + totalSteps);
        if (!(pctStart >= 0 && pctStart <= 1)) throw new IllegalArgumentException("OneCycleLR: pct_start must be in [0, 1], found " + pctStart);
        if (cycleMomentum && !(optimizer instanceof MomentumControl)) {
            throw new IllegalArgumentException("OneCycleLR: cycle_momentum needs an optimizer with momentum (SGD, Adam), found "
                    + optimizer.getClass().getSimpleName());
        }
        this.totalSteps = totalSteps;
        this.cosine = cosine;
        this.cycleMomentum = cycleMomentum;
        this.baseMomentum = baseMomentum;
        this.maxMomentum = maxMomentum;
        double initial = maxLr / divFactor;
        double min = initial / finalDivFactor;
        if (threePhase) {
            ends = new double[] {pctStart * totalSteps - 1, 2 * pctStart * totalSteps - 2, totalSteps - 1};
            startLr = new double[] {initial, maxLr, initial};
            endLr = new double[] {maxLr, initial, min};
            startMom = new double[] {maxMomentum, baseMomentum, maxMomentum};
            endMom = new double[] {baseMomentum, maxMomentum, maxMomentum};
        } else {
            ends = new double[] {pctStart * totalSteps - 1, totalSteps - 1};
            startLr = new double[] {initial, maxLr};
            endLr = new double[] {maxLr, min};
            startMom = new double[] {maxMomentum, baseMomentum};
            endMom = new double[] {baseMomentum, maxMomentum};
        }
        start();
    }

    public int totalSteps() { return totalSteps; }

    @Override
    public double lrAt(int epoch) {
        return schedule(epoch, startLr, endLr);
    }

    /** The momentum (or beta1) of step {@code epoch}. */
    public double momentumAt(int epoch) {
        return schedule(epoch, startMom, endMom);
    }

    private double schedule(int step, double[] from, double[] to) {
        if (step > totalSteps) {
            throw new IllegalStateException("OneCycleLR: stepped " + step + " times, more than total_steps = " + totalSteps);
        }
        double s0 = 0;
        for (int i = 0; i < ends.length; i++) {
            if (step <= ends[i] || i == ends.length - 1) {
                // a phase of zero length (pct_start * total = 1) starts at its start value; torch 1.13 divides by zero there
                double pct = ends[i] == s0 ? 0 : (step - s0) / (ends[i] - s0);
                return cosine ? to[i] + (from[i] - to[i]) / 2 * (Math.cos(Math.PI * pct) + 1) : (to[i] - from[i]) * pct + from[i];
            }
            s0 = ends[i];
        }
        throw new AssertionError("unreachable: the last phase always matches");
    }

    @Override
    protected void apply(int epoch) {
        super.apply(epoch);
        if (cycleMomentum) ((MomentumControl) optimizer).setMomentum(momentumAt(epoch));
    }
}
