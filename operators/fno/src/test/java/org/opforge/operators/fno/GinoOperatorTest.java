package org.opforge.operators.fno;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.opforge.api.NeuralOperator;
import org.opforge.api.OperatorFactory;
import org.opforge.api.TrainableOperator;
import org.opforge.api.training.ProgressListener;
import org.opforge.api.training.TrainingConfig;
import org.opforge.api.training.TrainingData;
import org.opforge.api.training.TrainingResult;
import org.opforge.operators.fno.models.GinoOperator;
import org.opforge.solvers.generate.DataGeneration;
import org.opforge.solvers.generate.GeneratedData;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.Tensor;

class GinoOperatorTest {
    /** A small GINO (the architecture of the peer, narrower) and a star-poisson set of 12 samples, 16 + 24 points. */
    private static final Map<String, Object> SMALL = Map.of("width", 8, "modes", 3, "latent", 12, "gno_channels", 4, "kernel_hidden", 8,
            "projection_channels", 16, "radius", 0.35, "layers", 2);

    private static GeneratedData data(long seed) {
        return DataGeneration.generate("star-poisson", Map.of("boundary_points", 16, "interior_points", 24), 12, seed, 2, null);
    }

    private static Tensor field(GeneratedData d, String name) {
        GeneratedData.Field f = d.field(name);
        return Tensor.of(f.data(), f.shape());
    }

    private static OperatorFactory factory() {
        for (OperatorFactory f : ServiceLoader.load(OperatorFactory.class)) {
            if (f.name().equals("gino")) return f;
        }
        throw new AssertionError("no gino factory");
    }

    @Test
    void trainsEvaluatesAtQueryPointsAndRoundTripsThroughACheckpoint() {
        GeneratedData d = data(1);
        Tensor x = field(d, "x");
        Tensor u = field(d, "u");
        TrainableOperator op = factory().create(SMALL, 3);
        TrainingConfig cfg = new TrainingConfig(6, 4, 5e-3, 0, "adam", Device.CPU, 0, Map.of());
        TrainingResult r = op.train(TrainingData.of(x, u), cfg, ProgressListener.NONE);
        assertTrue(r.finalTrainLoss() < r.history().get(0).trainLoss(), "training loss should fall: " + r.history());
        Tensor atPoints = op.apply(x);
        assertArrayEquals(new int[] {12, 40}, atPoints.shape());
        // queries given explicitly at the input points give the same values
        Tensor coords = x.slice(2, 0, 2);
        assertArrayEquals(atPoints.toFloatArray(), op.apply(x, coords).toFloatArray(), 1e-6f);
        assertArrayEquals(atPoints.slice(0, 0, 1).toFloatArray(), op.apply(x.slice(0, 0, 1), coords.slice(0, 0, 1).squeeze(0)).toFloatArray(),
                1e-6f);
        NeuralOperator back = factory().load(op.toCheckpoint());
        assertArrayEquals(atPoints.toFloatArray(), back.apply(x).toFloatArray(), 0f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> op.apply(x.slice(2, 0, 4)));
        assertTrue(e.getMessage().contains("[N, P, 5]"), e.getMessage());
    }

    @Test
    void physicsInformedLossIsTheResidualAndBoundaryMisfitOfTheModel() {
        GeneratedData d = data(2);
        Tensor x = field(d, "x");
        GinoOperator op = (GinoOperator) factory().create(Map.of("width", 8, "modes", 3, "latent", 12, "gno_channels", 4, "kernel_hidden", 8,
                "projection_channels", 16, "radius", 0.35, "layers", 2, "loss", "poisson-pinn", "latent_box", 1.4), 5);
        op.network().to(DType.FLOAT64);
        Tensor batch = x.slice(0, 0, 2).to(DType.FLOAT64);
        double loss = op.physicsLoss(batch).item();
        // the same from values alone: five-point Laplacian of u at shifted queries
        double h = 1e-3;
        Tensor pts = batch.slice(2, 0, 2);
        float[] raw = batch.toFloatArray();
        double[] u0 = op.apply(batch, pts).toDoubleArray();
        double[][] shifted = new double[4][];
        double[][] dirs = {{h, 0}, {-h, 0}, {0, h}, {0, -h}};
        for (int k = 0; k < 4; k++) {
            shifted[k] = op.apply(batch, pts.add(Tensor.of(dirs[k], DType.FLOAT64, Device.CPU, 1, 1, 2))).toDoubleArray();
        }
        double res = 0, mis = 0;
        int ni = 0, nb = 0;
        for (int k = 0; k < u0.length; k++) {
            double g = raw[5 * k + 2], dist = raw[5 * k + 3], f = raw[5 * k + 4];
            if (dist == 0) {
                mis += (u0[k] - g) * (u0[k] - g);
                nb++;
            } else {
                double lap = (shifted[0][k] + shifted[1][k] + shifted[2][k] + shifted[3][k] - 4 * u0[k]) / (h * h);
                res += (-lap - f) * (-lap - f);
                ni++;
            }
        }
        assertEquals(32, nb);
        assertEquals(48, ni);
        double expected = 0.01 * res / ni + mis / nb;
        assertEquals(expected, loss, 1e-3 * expected);
        TrainingResult r = op.train(TrainingData.of(x, field(d, "u")), new TrainingConfig(4, 4, 5e-3, 0, "adam", Device.CPU, 0, Map.of()),
                ProgressListener.NONE);
        assertTrue(r.finalTrainLoss() < r.history().get(0).trainLoss(), "physics-informed loss should fall: " + r.history());
    }
}
