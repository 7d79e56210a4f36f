package org.opforge.tensor.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.nn.optim.Adam;
import org.opforge.tensor.nn.optim.CosineAnnealingLR;
import org.opforge.tensor.nn.optim.OneCycleLR;
import org.opforge.tensor.nn.optim.ReduceLROnPlateau;
import org.opforge.tensor.nn.optim.SGD;
import org.opforge.tensor.nn.optim.StepLR;

/** Learning-rate schedules against PyTorch's formulas, stepped as a training loop steps them. */
class SchedulerTest {
    private static SGD sgd(double lr) {
        return new SGD(Map.of("p", Tensor.zeros(1).requiresGrad(true)), lr, 0.9, 0, 0, false);
    }

    @Test
    void stepLrDecaysEveryStepSizeEpochs() {
        SGD opt = sgd(0.5);
        StepLR s = new StepLR(opt, 3, 0.1);
        double[] expected = {0.5, 0.5, 0.5, 0.05, 0.05, 0.05, 0.005, 0.005};
        for (int e = 0; e < expected.length; e++) {
            assertEquals(expected[e], opt.lr(), 1e-15, "epoch " + e);
            s.step();
        }
    }

    @Test
    void cosineAnnealingMatchesPyTorchsRecursiveForm() {
        double base = 0.5, etaMin = 0.01;
        int tMax = 7;
        SGD opt = sgd(base);
        CosineAnnealingLR s = new CosineAnnealingLR(opt, tMax, etaMin);
        // PyTorch's CosineAnnealingLR.get_lr, which step() uses: a recursion on the previous lr
        double lr = base;
        for (int e = 0; e < 3 * tMax; e++) {
            if (e == 0) lr = base;
            else if ((e - 1 - tMax) % (2 * tMax) == 0) lr = lr + (base - etaMin) * (1 - Math.cos(Math.PI / tMax)) / 2;
            else lr = (1 + Math.cos(Math.PI * e / tMax)) / (1 + Math.cos(Math.PI * (e - 1) / tMax)) * (lr - etaMin) + etaMin;
            assertEquals(lr, opt.lr(), 1e-12, "epoch " + e);
            s.step();
        }
        assertEquals(etaMin, s.lrAt(tMax), 1e-15);
    }

    @Test
    void oneCycleTwoPhaseCosine() {
        SGD opt = sgd(123.0);
        int total = 20;
        OneCycleLR s = new OneCycleLR(opt, 1.0, total, 0.25, true, true, 0.85, 0.95, 25, 1e4, false);
        double initial = 1.0 / 25, min = initial / 1e4, peak = 0.25 * total - 1;
        for (int t = 0; t < total; t++) {
            double lr, mom;
            if (t <= peak) {
                double pct = t / peak;
                lr = 1.0 + (initial - 1.0) / 2 * (Math.cos(Math.PI * pct) + 1);
                mom = 0.85 + (0.95 - 0.85) / 2 * (Math.cos(Math.PI * pct) + 1);
            } else {
                double pct = (t - peak) / (total - 1 - peak);
                lr = min + (1.0 - min) / 2 * (Math.cos(Math.PI * pct) + 1);
                mom = 0.95 + (0.85 - 0.95) / 2 * (Math.cos(Math.PI * pct) + 1);
            }
            assertEquals(lr, opt.lr(), 1e-12, "lr at step " + t);
            assertEquals(mom, opt.momentum(), 1e-12, "momentum at step " + t);
            if (t < total - 1) s.step();
        }
        assertEquals(1.0, s.lrAt(4), 1e-15);
        assertEquals(4e-6, s.lrAt(total - 1), 1e-18);
        s.step();
        assertThrows(IllegalStateException.class, s::step, "stepping past total_steps is an error, as in PyTorch");
    }

    /** pct_start * total = 1 makes the warm-up a single point: it starts at the initial lr (torch 1.13 divides by zero there). */
    @Test
    void oneCycleWarmUpOfZeroLength() {
        Adam opt = new Adam(Map.of("p", Tensor.zeros(1).requiresGrad(true)), 1.0);
        OneCycleLR s = new OneCycleLR(opt, 1.0, 5, 0.2, true, true, 0.85, 0.95, 2, 100, false);
        assertEquals(0.5, opt.lr(), 1e-15);
        assertEquals(0.95, opt.momentum(), 1e-15);
        s.step();
        // second phase from step 0 to 4: pct 1/4 of the cosine from 1 down to 0.005
        assertEquals(0.005 + (1 - 0.005) / 2 * (Math.cos(Math.PI / 4) + 1), opt.lr(), 1e-12);
    }

    @Test
    void oneCycleThreePhaseLinearWithAdamBeta1() {
        Adam opt = new Adam(Map.of("p", Tensor.zeros(1).requiresGrad(true)), 1.0);
        int total = 20;
        OneCycleLR s = new OneCycleLR(opt, 1.0, total, 0.3, false, true, 0.85, 0.95, 25, 1e4, true);
        // phase ends 5, 10, 19: 0.04 -> 1 -> 0.04 -> 4e-6 linearly; beta1 0.95 -> 0.85 -> 0.95 -> 0.95
        double[][] points = {{0, 0.04, 0.95}, {1, 0.232, 0.93}, {5, 1.0, 0.85}, {7, 0.616, 0.89}, {10, 0.04, 0.95},
            {11, 0.04 - (0.04 - 4e-6) / 9, 0.95}, {19, 4e-6, 0.95}};
        int t = 0;
        for (double[] pt : points) {
            while (t < pt[0]) {
                s.step();
                t++;
            }
            assertEquals(pt[1], opt.lr(), 1e-12, "lr at step " + t);
            assertEquals(pt[2], opt.momentum(), 1e-12, "beta1 at step " + t);
        }
    }

    @Test
    void reduceOnPlateauWithPatienceAndCooldown() {
        SGD opt = sgd(0.5);
        ReduceLROnPlateau s = new ReduceLROnPlateau(opt, false, 0.5, 2, 1e-4, true, 1, 0.04, 1e-8);
        // hand trace: best 5 then 4 (epochs 1, 2); bad epochs 3, 4, 5 -> the third exceeds patience 2: cut at epoch 5;
        // epoch 6 is in cooldown (count held at 0); 3.9999 is not better than 4 by the relative threshold 1e-4
        double[] metrics = {5, 4, 4, 4, 4, 4, 3.9999, 4, 4, 4, 4, 4, 4, 4, 4, 4};
        double[] lr = {0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.25, 0.125, 0.125, 0.125, 0.125, 0.0625, 0.0625, 0.0625, 0.0625};
        for (int e = 0; e < metrics.length; e++) {
            s.step(metrics[e]);
            assertEquals(lr[e], opt.lr(), 1e-15, "after epoch " + (e + 1));
        }
        for (int e = 0; e < 4; e++) s.step(4);
        assertEquals(0.04, opt.lr(), 1e-15, "min_lr floors the cut");
        assertEquals(4.0, s.best());
    }

    @Test
    void schedulerStateRestoresTheEpoch() {
        SGD a = sgd(0.5), b = sgd(0.5);
        CosineAnnealingLR sa = new CosineAnnealingLR(a, 10);
        for (int i = 0; i < 4; i++) sa.step();
        CosineAnnealingLR sb = new CosineAnnealingLR(b, 10);
        sb.loadStateDict(sa.stateDict());
        assertEquals(a.lr(), b.lr(), 0);
        sa.step();
        sb.step();
        assertEquals(a.lr(), b.lr(), 0);
    }
}
