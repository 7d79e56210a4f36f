package org.opforge.cli.bench;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opforge.api.data.FieldInfo;
import org.opforge.tensor.DType;

/** Reading a data set whole is checked against the heap before any sample is read. */
class RunDataHeapTest {
    @Test
    void fieldsTheHeapCannotHoldAreRefusedNamingFileSamplesAndHowToRaiseTheHeap() {
        FieldInfo x = new FieldInfo("x", new int[] {100_000, 1024, 1024}, DType.FLOAT32, true, "contiguous");
        FieldInfo y = new FieldInfo("y", new int[] {100_000, 1024, 1024}, DType.FLOAT32, true, "contiguous");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunData.requireHeap(Path.of("big.h5"), 100_000, List.of(x, y)));
        String m = e.getMessage();
        assertTrue(m.startsWith("big.h5 (100000 samples): reading fields [x, y] needs about 1562.5 GiB (1677721600000 bytes); the heap has "), m);
        assertTrue(m.contains("OPFORGE_JAVA_OPTS=-Xmx") && m.endsWith("or choose a smaller --train-samples / --samples"), m);
    }

    @Test
    void fieldsThatFitPass() {
        FieldInfo x = new FieldInfo("x", new int[] {10, 8, 8}, DType.FLOAT32, true, "contiguous");
        RunData.requireHeap(Path.of("small.h5"), 10, List.of(x));
    }
}
