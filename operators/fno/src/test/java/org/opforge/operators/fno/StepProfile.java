package org.opforge.operators.fno;

import java.util.Locale;
import java.util.Map;
import org.opforge.operators.fno.models.FnoOperator;
import org.opforge.operators.fno.models.FnoVariant;
import org.opforge.tensor.Rng;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.nn.loss.LpLoss;
import org.opforge.training.Optimizers;

/** Times forward, backward and optimizer step of one default FNO training step (a profiling aid, not a test). */
public final class StepProfile {
    public static void main(String[] args) {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 32;
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        String variant = args.length > 3 ? args[3] : "fno";
        FnoOperator op = FnoOperator.create(FnoVariant.of(variant), Map.of(), 0);
        var net = op.network();
        net.train(true);
        Rng rng = new Rng(1);
        Tensor x = Tensor.randn(rng, DType.FLOAT32, Device.CPU, 0, 1, batch, 1, n, n);
        Tensor y = Tensor.randn(rng, DType.FLOAT32, Device.CPU, 0, 1, batch, 1, n, n);
        var opt = Optimizers.create("adam", net.namedParameters(), 1e-3, 1e-4);
        LpLoss loss = LpLoss.relative(2, 2);
        for (int s = 0; s < steps; s++) {
            long t0 = System.nanoTime();
            opt.zeroGrad();
            Tensor l = loss.apply(net.forward(x), y);
            l.item();
            long t1 = System.nanoTime();
            l.backward();
            long t2 = System.nanoTime();
            opt.step();
            long t3 = System.nanoTime();
            System.out.printf(Locale.ROOT, "step %d: forward %.1f ms, backward %.1f ms, optimizer %.1f ms%n", s, (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6);
        }
    }
}
