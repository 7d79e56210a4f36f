package org.opforge.solvers.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.opforge.api.OpForge;
import org.opforge.api.data.DatasetContent;
import org.opforge.api.pde.DataGenerator;
import org.opforge.api.pde.DataGeneratorProvider;
import org.opforge.api.pde.GeneratorParameter;
import org.opforge.api.training.ProgressListener;
import org.opforge.solvers.generate.DataGeneration;
import org.opforge.solvers.generate.GeneratedData;
import org.opforge.tensor.Tensor;

/** The problems as the host reaches them without OSGi: one DataGeneratorProvider found by ServiceLoader. */
class ProblemGeneratorsTest {

    private static DataGenerator generator(String name) {
        List<DataGeneratorProvider> providers = OpForge.services(DataGeneratorProvider.class, ProblemGeneratorsTest.class.getClassLoader());
        assertEquals(1, providers.size(), "ServiceLoader providers of DataGeneratorProvider");
        for (DataGenerator g : providers.get(0).generators()) if (g.name().equals(name)) return g;
        throw new AssertionError("no generator " + name);
    }

    @Test
    void everyProblemOfTheListIsOffered() {
        List<String> names = new ArrayList<>();
        OpForge.services(DataGeneratorProvider.class, getClass().getClassLoader()).get(0).generators().forEach(g -> names.add(g.name()));
        assertEquals(new ArrayList<>(DataGeneration.problems().keySet()), names);
    }

    @Test
    void generatesWhatTheProblemGeneratesWithItsAttributesAndProgress() {
        DataGenerator g = generator("antiderivative");
        assertEquals(3, g.check(Map.of("resolution", "30"), 3));
        AtomicLong steps = new AtomicLong();
        DatasetContent c = g.generate(Map.of("resolution", "30"), 3, 7, 2, new ProgressListener() {
            @Override public void onStep(long done, long total) {
                steps.incrementAndGet();
                assertEquals(3, total);
            }
        });
        assertEquals(3, steps.get(), "one progress call per sample");
        GeneratedData ref = DataGeneration.generate("antiderivative", Map.of("resolution", 30), 3, 7, 1, null);
        for (GeneratedData.Field f : ref.fields()) {
            Tensor t = c.fields().get(f.name());
            assertArrayEquals(f.shape(), t.shape(), f.name());
            assertArrayEquals(f.data(), t.toFloatArray(), f.name() + ": same seed, same data, any thread count");
        }
        assertEquals(ref.attributes(), c.attributes());
        assertEquals("u", c.attributes().get("input"));
    }

    @Test
    void arrayParameterTakesATensorAndFixesTheSampleCount() {
        DataGenerator darcy = generator("darcy");
        GeneratorParameter coefficients = darcy.parameters().stream().filter(p -> p.name().equals("coefficients")).findFirst().orElseThrow();
        assertEquals("array", coefficients.type());
        assertNull(coefficients.defaultValue());
        float[] a = new float[2 * 9 * 9];
        for (int i = 0; i < a.length; i++) a[i] = i % 3 == 0 ? 12 : 3;
        Map<String, Object> params = Map.of("resolution", 9, "coefficients", Tensor.of(a, 2, 9, 9));
        assertEquals(2, darcy.check(params, 0));
        DatasetContent c = darcy.generate(params, 0, 1, 1, null);
        assertEquals(2, c.fields().values().iterator().next().shape()[0]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> darcy.check(Map.of("viscosity", 1), 2));
        assertTrue(e.getMessage().contains("'viscosity'"), e.getMessage());
    }
}
