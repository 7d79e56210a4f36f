package org.opforge.training;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.nn.optim.Optimizer;
import org.opforge.tensor.nn.optim.ReduceLROnPlateau;

class OptimizersTest {
    @Test
    void plateauSpecCutsTheRateAfterPatienceEpochsWithoutImprovement() {
        Optimizer opt = Optimizers.create("adam", Map.of("w", Tensor.zeros(2).requiresGrad(true)), 1.0, 0);
        ReduceLROnPlateau p = Optimizers.plateau("plateau:0.5:2", opt);
        assertNull(Optimizers.plateau("step:10:0.5", opt));
        p.step(1.0);
        p.step(1.0);
        p.step(1.0);
        assertEquals(1.0, opt.lr());
        p.step(1.0);
        assertEquals(0.5, opt.lr(), 1e-15);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Optimizers.plateau("plateau:2:1", opt));
        assertTrue(e.getMessage().contains("plateau:FACTOR:PATIENCE"), e.getMessage());
    }
}
