package org.opforge.hdf5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opforge.api.data.Checkpoint;
import org.opforge.api.data.CheckpointStore;
import org.opforge.tensor.Tensor;

/**
 * Checkpoint attributes of any length: an HDF5 object-header message holds at most 65535 bytes, and
 * a 2000-epoch run's {@code history} is longer than that (a DGNO run's checkpoint became unreadable
 * at epoch 594 when it was written as one attribute).
 */
class CheckpointAttributesTest {
    @TempDir Path dir;

    /** A history-like JSON text of about {@code epochs * 110} bytes. */
    private static String history(int epochs) {
        StringBuilder b = new StringBuilder("[");
        for (int e = 1; e <= epochs; e++) {
            if (e > 1) b.append(',');
            b.append("{\"epoch\":").append(e).append(",\"train_loss\":0.0984").append(e)
                    .append(",\"validation_loss\":null,\"seconds\":5.0").append(e).append(",\"input_relative_l2\":0.16920").append(e).append('}');
        }
        return b.append(']').toString();
    }

    @Test
    void attributesLongerThanAnObjectHeaderMessageRoundTrip() {
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("operator", "dgno");
        attrs.put("history", history(2000));
        attrs.put("evaluation", "é".repeat(40_000));
        attrs.put("epoch", "2000");
        assertTrue(attrs.get("history").length() > 150_000 && attrs.get("evaluation").getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 65_535);
        Map<String, Tensor> tensors = Map.of("model/w", Tensor.of(new float[] {1, 2, 3}, 3), "optimizer/step", Tensor.of(new double[] {7}, 1));
        Path file = dir.resolve("long.h5");
        CheckpointStore.find().save(new Checkpoint(attrs, tensors), file);

        Checkpoint back = CheckpointStore.find().load(file);
        assertEquals(attrs, back.attributes());
        assertEquals(tensors.keySet(), back.tensors().keySet(), "the long attributes' group is not read as tensors");
        assertArrayEquals(new float[] {1, 2, 3}, back.tensor("model/w").toFloatArray());
        // the short attributes stay plain HDF5 attributes, readable by any HDF5 tool
        try (HdfFile h = new HdfFile(file)) {
            assertEquals("dgno", h.getAttribute("operator").getData());
            assertEquals("2000", h.getAttribute("epoch").getData());
        }
    }

    @Test
    void aTensorMayNotTakeTheLongAttributesGroup() {
        Checkpoint c = new Checkpoint(Map.of(), Map.of(Hdf5CheckpointStore.LONG_ATTRIBUTES + "/history", Tensor.of(new float[] {1}, 1)));
        Path file = dir.resolve("reserved.h5");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CheckpointStore.find().save(c, file));
        assertTrue(e.getMessage().contains("reserved"), e.getMessage());
        assertTrue(!Files.exists(file));
    }

    @Test
    void rewritingACheckpointWithAGrowingHistoryKeepsItReadable() {
        Path file = dir.resolve("growing.h5");
        for (int epochs : new int[] {100, 590, 600, 2000}) {
            CheckpointStore.find().save(new Checkpoint(Map.of("history", history(epochs)), Map.of("model/w", Tensor.of(new float[] {epochs}, 1))), file);
            Checkpoint back = CheckpointStore.find().load(file);
            assertEquals(history(epochs), back.attribute("history"), "after " + epochs + " epochs");
        }
    }
}
