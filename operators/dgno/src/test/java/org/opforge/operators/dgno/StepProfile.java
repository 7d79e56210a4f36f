package org.opforge.operators.dgno;

import io.jhdf.HdfFile;
import org.opforge.operators.dgno.models.Dgno;
import org.opforge.operators.dgno.models.DgnoLoss;
import org.opforge.operators.dgno.models.InputModel;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.nn.optim.Adam;
import org.opforge.training.physics.DarcyWeakResidual;
import org.opforge.training.physics.WendlandQuadrature;

/** Not a test: times the recipe's training step (batch 25, 29x29) for profiling. Run with exec/java by hand. */
public final class StepProfile {
    public static void main(String[] args) throws Exception {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Dgno.GradientMode mode = args.length > 1 ? Dgno.GradientMode.parse(args[1]) : Dgno.GradientMode.SHARED;
        float[][][] x;
        try (HdfFile h = new HdfFile(java.nio.file.Path.of("../../../shared/data/darcy_pwc_train_29.h5"))) {
            x = (float[][][]) h.getDatasetByPath("x").getData();
        }
        int n = 29, b = 25;
        float[] flat = new float[b * n * n];
        for (int s = 0; s < b; s++) for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) flat[(s * n + i) * n + j] = x[s][i][j];
        Tensor a = Tensor.of(flat, b, n, n);
        Tensor norm = a.sub(7.5).div(2.5);
        Dgno net = new Dgno(new Dgno.Spec(n, 128, new int[] {512, 256}, 100, 256, 5, 4), new Rng(0));
        DarcyWeakResidual r = new DarcyWeakResidual(new WendlandQuadrature(7), 1e-4, 100, 10);
        DgnoLoss loss = new DgnoLoss(r, new InputModel.Bernoulli(5, 10), 0.125, 1, mode);
        Adam opt = new Adam(net.namedParameters(), 5e-4, 0.9, 0.999, 1e-8, 1e-4, false);
        Tensor nodes = Dgno.gridPoints(n, DType.FLOAT32, Device.CPU);
        Rng rng = new Rng(1);
        for (int k = 0; k < steps; k++) {
            long t0 = System.nanoTime();
            opt.zeroGrad();
            DgnoLoss.Terms t = loss.compute(net, a, norm, nodes, rng);
            long t1 = System.nanoTime();
            t.total().backward();
            long t2 = System.nanoTime();
            opt.step();
            long t3 = System.nanoTime();
            System.out.printf("step %d: forward %.1f ms, backward %.1f ms, adam %.1f ms, loss %.5f pde %.5f%n", k, (t1 - t0) / 1e6, (t2 - t1) / 1e6,
                    (t3 - t2) / 1e6, t.total().item(), t.pde().item());
        }
    }
}
