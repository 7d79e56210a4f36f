package org.opforge.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

/**
 * Every SIMD kernel runs float vectors of the one preferred shape. On JDK 17 a process that mixes two
 * shapes (the channel mix once ran 256-bit vectors among 512-bit kernels) compiles some kernels
 * without the constant vector class in the Vector API's shared templates: the FNO step's mode mixing
 * took 5x and its GELU about 2x as long, with the same results, so only this test notices.
 */
class SimdSpeciesTest {
    private static final List<String> KERNELS = List.of("VectorActivationKernel", "VectorBinaryKernel", "VectorChannelMixKernel",
            "VectorDirectConvKernel", "VectorFloatFft", "VectorSgemmKernel");

    @Test
    void everyKernelUsesThePreferredFloatSpecies() throws Exception {
        for (String name : KERNELS) {
            Class<?> k = Class.forName("org.opforge.tensor.cpu." + name);
            int found = 0;
            for (Field f : k.getDeclaredFields()) {
                if (!Modifier.isStatic(f.getModifiers()) || !VectorSpecies.class.isAssignableFrom(f.getType())) continue;
                f.setAccessible(true);
                VectorSpecies<?> s = (VectorSpecies<?>) f.get(null);
                if (s.elementType() == float.class) {
                    assertEquals(FloatVector.SPECIES_PREFERRED, s, name + "." + f.getName());
                    found++;
                }
            }
            assertTrue(found > 0, name + " declares no float species field");
        }
    }
}
