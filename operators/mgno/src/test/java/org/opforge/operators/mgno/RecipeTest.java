package org.opforge.operators.mgno;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opforge.operators.mgno.models.Hierarchy;
import org.opforge.operators.mgno.models.Mgno;
import org.opforge.operators.mgno.models.MgnoSpec;
import org.opforge.tensor.DType;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.golden.HdfGoldenFile;
import org.opforge.tensor.nn.loss.HsLoss;
import org.opforge.tensor.nn.optim.LRScheduler;
import org.opforge.tensor.nn.optim.Optimizer;
import org.opforge.training.Optimizers;
import org.opforge.training.UnitGaussianNormalizer;

/**
 * The reference's Darcy training recipe composed from the engine's pieces, against the PyTorch peer on
 * the same initial weights and fixed batches ({@code golden/mgno2d_train_steps.h5}, made by
 * {@code make_mgno_train_steps.py}): scalar target normalization with the input raw, the spectral H1 loss
 * on decoded predictions summed over the batch, Adam with L2 weight decay under the one-cycle schedule
 * that cycles beta1, stepped per epoch. Every step's loss and the final weights must match, in float64
 * (the peer ran in float64), so a wrong sign, reduction, bias correction or schedule step shows.
 */
class RecipeTest {
    @Test
    void sixStepsOfTheReferenceRecipeMatchThePeer() throws Exception {
        HdfGoldenFile f = HdfGoldenFile.open(Path.of(RecipeTest.class.getResource("/golden/mgno2d_train_steps.h5").toURI()));
        int n = f.specInt("n");
        MgnoSpec spec = new MgnoSpec(MgnoSpec.Variant.DARCY, 1, 1, f.specInt("width"), f.specInt("layers"), Hierarchy.of(n, n, f.specInt("levels")),
                f.specInts("pre"), f.specInts("post"), f.specString("padding_mode"));
        Mgno net = new Mgno(spec, new Rng(0));
        Map<String, Tensor> init = new LinkedHashMap<>();
        for (String k : f.paramNames()) init.put(k, f.param(k).detach().to(DType.FLOAT64));
        net.to(DType.FLOAT64);
        net.loadStateDict(init);
        Tensor x = f.input("x").detach().to(DType.FLOAT64), y = f.input("y").detach().to(DType.FLOAT64);
        UnitGaussianNormalizer target = UnitGaussianNormalizer.fit(y, UnitGaussianNormalizer.Mode.CHANNEL);
        HsLoss loss = new HsLoss(2);
        int epochs = f.specInt("epochs");
        Optimizer opt = Optimizers.create("adam", net.namedParameters(), f.specDouble("lr"), f.specDouble("weight_decay"));
        LRScheduler schedule = Optimizers.schedule(f.specString("scheduler"), opt, epochs);
        @SuppressWarnings("unchecked")
        List<List<Number>> batches = (List<List<Number>>) f.spec().get("batches");
        double[] expected = f.expectedOutput("loss").toDoubleArray();
        int step = 0;
        for (int e = 0; e < epochs; e++) {
            for (List<Number> b : batches) {
                int[] idx = b.stream().mapToInt(Number::intValue).toArray();
                opt.zeroGrad();
                Tensor p = target.decode(net.forward(x.indexSelect(0, idx).unsqueeze(1)).squeeze(1));
                Tensor l = loss.apply(p, y.indexSelect(0, idx));
                l.backward();
                opt.step();
                assertEquals(expected[step], l.item(), 1e-5 * Math.abs(expected[step]), "loss of step " + (step + 1));
                step++;
            }
            schedule.step();
        }
        assertEquals(expected.length, step);
        for (Map.Entry<String, Tensor> e : net.namedParameters().entrySet()) {
            double[] want = f.expectedOutput("final." + e.getKey()).toDoubleArray(), got = e.getValue().toDoubleArray();
            double scale = 0, err = 0;
            for (int i = 0; i < want.length; i++) {
                scale = Math.max(scale, Math.abs(want[i]));
                err = Math.max(err, Math.abs(want[i] - got[i]));
            }
            assertTrue(err <= 1e-5 * scale, e.getKey() + ": max |error| " + err + " > 1e-5 * " + scale);
        }
    }
}
