package org.opforge.operators.wosno;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opforge.api.training.ProgressListener;
import org.opforge.api.training.TrainingConfig;
import org.opforge.api.training.TrainingData;
import org.opforge.operators.deeponet.DeepOnetOperator;
import org.opforge.operators.deeponet.Family;
import org.opforge.operators.fno.models.FnoOperator;
import org.opforge.operators.fno.models.FnoVariant;
import org.opforge.operators.fno.models.GinoOperator;
import org.opforge.solvers.generate.DataGeneration;
import org.opforge.solvers.wos.WalkOnSpheres;
import org.opforge.tensor.Device;
import org.opforge.tensor.Tensor;
import org.opforge.training.Metrics;

/**
 * A small FNO on the masked grid of a fixed star, trained on online Walk-on-Spheres labels at the
 * inside nodes (running means, relative L2 over the inside nodes): its test error against the exact
 * solution, over the inside nodes, is far below the untrained network's and close to the same FNO
 * trained on the exact labels (0.31 against 0.28, untrained 0.94, when this was written).
 */
class FnoOnWosGridLabelsTest {
    private static final Map<String, Object> CONFIG = Map.of("in_channels", 4, "width", 12, "modes", 6, "layers", 2, "projection_channels", 32,
            "scheduler", "none");

    private static StarPoissonGrid grid(int n, long seed) {
        return StarPoissonGrid.of(DataGeneration.generate("star-poisson", Map.of("layout", "grid", "resolution", 16, "boundary_points", 48), n, seed,
                1, null));
    }

    @Test
    void fnoTrainsOnRunningMeansOfWalksAtTheInsideNodes() {
        StarPoissonGrid train = grid(40, 1), test = grid(16, 2);
        TrainingData data = TrainingData.of(train.inputs(), train.exact()).withMask(train.mask());
        TrainingConfig cfg = new TrainingConfig(16, 8, 5e-3, 0, "adam", Device.CPU, 0, Map.of());

        FnoOperator onWalks = FnoOperator.create(FnoVariant.FNO, CONFIG, 3);
        WosLabelSource labels = WosLabelSource.onGrid(train, 4, WalkOnSpheres.FirstStep.STRATIFIED_ANTITHETIC, 1e-3, WosLabelSource.Refresh.ACCUMULATE, 5);
        onWalks.train(data, labels, cfg, ProgressListener.NONE);
        assertEquals(4 * 16, labels.walksPerPoint(), "one refresh of the labels per epoch");
        FnoOperator exact = FnoOperator.create(FnoVariant.FNO, CONFIG, 3);
        exact.train(data, cfg, ProgressListener.NONE);

        double w = Metrics.mean(Metrics.relativeL2(onWalks.apply(test.inputs()).squeeze(1), test.exact(), test.mask()));
        double e = Metrics.mean(Metrics.relativeL2(exact.apply(test.inputs()).squeeze(1), test.exact(), test.mask()));
        // the untrained network, for scale
        double untrained = Metrics.mean(Metrics.relativeL2(FnoOperator.create(FnoVariant.FNO, CONFIG, 3).apply(test.inputs()).squeeze(1), test.exact(),
                test.mask()));
        assertTrue(w < 0.35, "WoS-trained FNO: test relative L2 over the inside nodes " + w + " (exact-trained " + e + ", untrained " + untrained + ")");
        assertTrue(w < 1.3 * e, "WoS-trained " + w + " against exact-trained " + e);
    }

    @Test
    void operatorsWithoutMaskSupportRefuseAMaskNamingDataMask() {
        StarPoissonGrid g = grid(4, 1);
        TrainingConfig cfg = new TrainingConfig(1, 2, 1e-3, 0, "adam", Device.CPU, 0, Map.of());
        // the runner refuses a mask for an operator that says it does not support them
        assertTrue(!DeepOnetOperator.create(Family.DEEPONET, Map.of(), 0).supportsMasks());
        assertTrue(FnoOperator.create(FnoVariant.FNO, CONFIG, 0).supportsMasks());
        GinoOperator gino = GinoOperator.create(Map.of(), 0);
        Tensor cloud = Tensor.zeros(org.opforge.tensor.DType.FLOAT32, Device.CPU, 4, 10, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> gino.train(TrainingData.of(cloud,
                Tensor.zeros(org.opforge.tensor.DType.FLOAT32, Device.CPU, 4, 10)).withMask(Tensor.full(org.opforge.tensor.DType.FLOAT32,
                Device.CPU, 1, 4, 10)), cfg, ProgressListener.NONE));
        assertTrue(e.getMessage().contains("data.mask"), e.getMessage());
        FnoOperator mg = FnoOperator.create(FnoVariant.MG_TFNO, Map.of("in_channels", 4, "modes", 4, "width", 4, "layers", 1), 0);
        e = assertThrows(IllegalArgumentException.class, () -> mg.train(TrainingData.of(g.inputs(), g.exact()).withMask(g.mask()), cfg,
                ProgressListener.NONE));
        assertTrue(e.getMessage().contains("data.mask") && e.getMessage().contains("mg-tfno"), e.getMessage());
        // an operator with its own loop refuses a mask from the Java API too, not only from the runner
        DeepOnetOperator deepOnet = DeepOnetOperator.create(Family.DEEPONET, Map.of(), 0);
        Tensor u = Tensor.zeros(org.opforge.tensor.DType.FLOAT32, Device.CPU, 4, 10);
        e = assertThrows(IllegalArgumentException.class, () -> deepOnet.train(new TrainingData(u, u,
                java.util.Optional.of(Tensor.zeros(org.opforge.tensor.DType.FLOAT32, Device.CPU, 10, 1)), java.util.Optional.empty(),
                java.util.Optional.of(Tensor.full(org.opforge.tensor.DType.FLOAT32, Device.CPU, 1, 4, 10))), cfg, ProgressListener.NONE));
        assertTrue(e.getMessage().contains("data.mask") && e.getMessage().contains("deeponet"), e.getMessage());
    }
}
