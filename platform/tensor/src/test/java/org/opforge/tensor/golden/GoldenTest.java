package org.opforge.tensor.golden;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.opforge.tensor.Tensor;

/**
 * Runs every {@code *.h5} file of the golden directory (system property {@code golden.dir}, default
 * {@code tests/golden} of the repository; a relative path is looked up from the working directory and then each
 * of its parents) as one dynamic test named after the file. Each file goes to the handler of its
 * {@code case}; the harness forms L = sum_k sum(out_k * upstream_k) (complex outputs:
 * sum(re*u.re + im*u.im)), runs backward, and checks every output and every gradient in
 * {@code grads/} with max|got - ref| <= tol * max|ref|.
 */
class GoldenTest {

    static Path goldenDir() {
        String prop = System.getProperty("golden.dir", "tests/golden");
        Path p = Path.of(prop);
        if (p.isAbsolute()) return p;
        for (Path base = Path.of("").toAbsolutePath(); base != null; base = base.getParent()) {
            Path candidate = base.resolve(p).normalize();
            if (Files.isDirectory(candidate)) return candidate;
        }
        return Path.of("").toAbsolutePath().resolve(p).normalize();
    }

    static Map<String, GoldenCase> handlersByCase() {
        Map<String, GoldenCase> byCase = new LinkedHashMap<>();
        for (GoldenCase h : GoldenCases.ALL) {
            for (String c : h.cases()) {
                GoldenCase prev = byCase.put(c, h);
                if (prev != null) {
                    throw new IllegalStateException("golden case '" + c + "' is claimed by both " + prev.getClass().getSimpleName()
                            + " and " + h.getClass().getSimpleName());
                }
            }
        }
        return byCase;
    }

    @TestFactory
    Stream<DynamicTest> goldenFiles() throws IOException {
        Path dir = goldenDir();
        if (!Files.isDirectory(dir)) {
            fail("golden directory " + dir + " does not exist (set -Dgolden.dir=...; property value '"
                    + System.getProperty("golden.dir") + "')");
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(f -> f.getFileName().toString().endsWith(".h5")).sorted().forEach(files::add);
        }
        if (files.isEmpty()) fail("golden directory " + dir + " holds no *.h5 file");
        Map<String, GoldenCase> handlers = handlersByCase();
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), f.toUri(), () -> check(f, handlers)));
    }

    /**
     * Cases of the golden set that no handler of this module claims yet, with the work that brings
     * their check: a file of such a case is skipped with that reason. A handler claiming the case
     * wins; a case neither claimed nor listed fails.
     */
    static final Map<String, String> PENDING = Map.of(
            "mgno2d", "MgNO layers: checked with the MgNO bundle (issue 14)",
            "onecycle_adam", "OneCycle schedule cycling Adam's beta1: comes with the MgNO bundle (issue 14)",
            "hs_loss", "spectral Sobolev loss: comes with the MgNO bundle (issue 14)",
            "multionet", "DGNO MultiONet: checked with the DGNO bundle (issue 15)",
            "weak_residual_wendland", "DGNO weak residual: checked with the DGNO bundle (issue 15)");

    /** The handler of {@code file}'s case; skips a {@link #PENDING} case with its reason and fails for an unknown one. */
    static GoldenCase handler(Path file, String caseName, Map<String, GoldenCase> handlers) {
        GoldenCase handler = handlers.get(caseName);
        if (handler != null) return handler;
        String pending = PENDING.get(caseName);
        assumeTrue(pending == null, file.getFileName() + ": case '" + caseName + "' not checked here yet: " + pending);
        return fail(file.getFileName() + ": no handler claims case '" + caseName + "' (handlers: "
                + GoldenCases.ALL.stream().map(h -> h.getClass().getSimpleName() + h.cases()).toList() + ")");
    }

    static void check(Path file, Map<String, GoldenCase> handlers) {
        HdfGoldenFile g = HdfGoldenFile.open(file);
        GoldenComparison.run(g, handler(file, g.caseName(), handlers));
    }
}
