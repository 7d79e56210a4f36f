package org.opforge.solvers.generate;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.opforge.solvers.Seeds;
import org.junit.jupiter.api.Test;

/** A sample that fails is named, with its seed, so that one field in thousands can be found and made again. */
class SampleFailureTest {

    /** One field of four values per sample; sample {@code bad} fails with {@code failure}. */
    private static Problem failingAt(int bad, RuntimeException failure) {
        return new Problem() {
            @Override public String name() { return "stub"; }

            @Override public String description() { return "fails at sample " + bad; }

            @Override public List<ParameterSpec> parameters() { return List.of(); }

            @Override public Prepared prepare(Parameters parameters) {
                return new Prepared() {
                    @Override public List<FieldSpec> fields() { return List.of(new FieldSpec("a", new int[] {4}, FieldSpec.Role.INPUT)); }

                    @Override public Map<String, double[]> coordinates() { return Map.of(); }

                    @Override public Map<String, Object> attributes() { return Map.of(); }

                    @Override public void sample(int index, long seed, SampleOutput out) {
                        if (index == bad) throw failure;
                        out.put("a", new double[] {index, index, index, index});
                    }
                };
            }
        };
    }

    @Test void aSolverFailureNamesTheSampleAndItsSeed() {
        RuntimeException cause = new ArithmeticException("non symmetric matrix");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> DataGeneration.generate(failingAt(3, cause), Map.of(), 0, 6, 11, 2, null));
        String expected = "stub sample 3 (seed " + Seeds.derive(11, 3) + ") failed: non symmetric matrix";
        assertTrue(e.getMessage().equals(expected), e.getMessage());
        assertSame(cause, e.getCause());
    }

    @Test void badInputFoundWhileSamplingStaysAnArgumentError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DataGeneration.generate(failingAt(5, new IllegalArgumentException("a is negative")), Map.of(), 2, 6, 0, 1, null));
        assertTrue(e.getMessage().startsWith("stub sample 5 (seed "), e.getMessage());
        assertTrue(e.getMessage().endsWith("): a is negative"), e.getMessage());
    }
}
