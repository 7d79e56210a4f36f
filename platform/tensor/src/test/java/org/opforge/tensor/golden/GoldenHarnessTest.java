package org.opforge.tensor.golden;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.opforge.tensor.Tensor;

/** The harness itself: it must reject a slightly wrong forward or gradient and accept the right one. */
class GoldenHarnessTest {

    private static HdfGoldenFile fileOfCase(String caseName) throws IOException {
        Path dir = GoldenTest.goldenDir();
        assumeTrue(Files.isDirectory(dir), "golden directory " + dir + " missing (GoldenTest reports it)");
        try (Stream<Path> s = Files.list(dir)) {
            Optional<HdfGoldenFile> f = s.filter(p -> p.toString().endsWith(".h5")).sorted().map(HdfGoldenFile::open)
                    .filter(g -> g.caseName().equals(caseName)).findFirst();
            assumeTrue(f.isPresent(), "no file of case " + caseName + " in " + dir);
            return f.get();
        }
    }

    private static GoldenCase handler(java.util.function.Function<GoldenFile, Tensor> body) {
        return new GoldenCase() {
            @Override public Set<String> cases() { return Set.of("matmul"); }

            @Override public Map<String, Tensor> run(GoldenFile f) { return Map.of(f.outputNames().get(0), body.apply(f)); }
        };
    }

    @Test
    void acceptsTheRightComputation() throws IOException {
        HdfGoldenFile g = fileOfCase("matmul");
        assertDoesNotThrow(() -> GoldenComparison.run(g, handler(f -> f.input("a").matmul(f.input("b")))));
    }

    @Test
    void rejectsAWrongForwardAndNamesTheDataset() throws IOException {
        HdfGoldenFile g = fileOfCase("matmul");
        AssertionError e = assertThrows(AssertionError.class,
                () -> GoldenComparison.run(g, handler(f -> f.input("a").matmul(f.input("b")).mul(1.001))));
        assertTrue(e.getMessage().contains("outputs/y"), e.getMessage());
        assertTrue(e.getMessage().contains(g.path().getFileName().toString()), e.getMessage());
    }

    @Test
    void rejectsAWrongGradientWithTheRightForward() throws IOException {
        HdfGoldenFile g = fileOfCase("matmul");
        // forward value a@b, but the gradient flowing to b is halved
        AssertionError e = assertThrows(AssertionError.class, () -> GoldenComparison.run(g, handler(f -> {
            Tensor a = f.input("a"), b = f.input("b");
            Tensor half = a.matmul(b).mul(0.5);
            return half.add(a.matmul(b.detach()).mul(0.5));
        })));
        assertTrue(e.getMessage().contains("grads/inputs/b"), e.getMessage());
        assertTrue(!e.getMessage().contains("outputs/y"), e.getMessage());
    }
}
