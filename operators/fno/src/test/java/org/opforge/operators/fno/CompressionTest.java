package org.opforge.operators.fno;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opforge.api.NeuralOperator;
import org.opforge.api.OpForge;
import org.opforge.api.TrainableOperator;
import org.opforge.api.data.CheckpointStore;
import org.opforge.api.training.ProgressListener;
import org.opforge.api.training.TrainingConfig;
import org.opforge.api.training.TrainingData;
import org.opforge.tensor.Tensor;

/** Post-hoc compression of a trained dense FNO. */
class CompressionTest {

    @Test
    void compressesTrainedSpectralWeightsAndReportsTheErrorChange(@TempDir Path dir) {
        Tensor[] d = Darcy.read("darcy_train_16.h5", 100);
        Tensor[] t = Darcy.read("darcy_test_16.h5", 50);
        TrainableOperator fno = OpForge.operator("fno").create(Map.of("width", 12, "modes", "6", "layers", 2, "projection_channels", 32), 4);
        fno.train(TrainingData.of(d[0], d[1]), TrainingConfig.defaults().withEpochs(2).withBatchSize(20).withLearningRate(5e-3), ProgressListener.NONE);

        // (nearly) full Tucker rank: the weights are reproduced and the error does not move
        SpectralCompression.Result full = SpectralCompression.compress(fno, "tucker", 1.0);
        for (SpectralCompression.LayerReport r : full.layers()) assertTrue(r.relativeError() < 1e-3, "full-rank layer error " + r);
        SpectralCompression.ErrorChange same = SpectralCompression.errorChange(fno, full.compressed(), t[0], t[1]);
        assertEquals(same.before(), same.after(), 1e-3 * same.before(), "full rank: " + same);

        // low rank: fewer parameters, a measurable approximation error, still a working operator
        for (String format : new String[] {"cp", "tucker", "tt"}) {
            SpectralCompression.Result low = SpectralCompression.compress(fno, format, 0.1);
            assertEquals("tfno", low.compressed().name());
            assertTrue(low.compressedParameters() < 0.3 * low.originalParameters(), format + ": " + low.compressedParameters() + " of " + low.originalParameters());
            for (SpectralCompression.LayerReport r : low.layers()) {
                assertTrue(r.relativeError() > 1e-3 && r.relativeError() < 1, format + " layer error " + r);
                assertTrue(r.factorizedEntries() < 0.15 * r.denseEntries(), format + " " + r);
            }
            SpectralCompression.ErrorChange change = SpectralCompression.errorChange(fno, low.compressed(), t[0], t[1]);
            assertTrue(Double.isFinite(change.after()) && change.after() > 0, format + ": " + change);
            // the compressed model saves and loads like any tfno
            Path file = dir.resolve(format + ".h5");
            CheckpointStore.find().save(low.compressed().toCheckpoint(), file);
            NeuralOperator back = OpForge.load(CheckpointStore.find().load(file));
            assertEquals(low.compressedParameters(), back.parameterCount());
            assertTrue(java.util.Arrays.equals(low.compressed().apply(t[0]).toFloatArray(), back.apply(t[0]).toFloatArray()), format + " reload");
        }
        assertThrows(IllegalArgumentException.class, () -> SpectralCompression.compress(fno, "dense", 0.5));
    }
}
