package org.opforge.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opforge.api.OperatorFactory;
import org.opforge.examples.ContainerEmbedding;
import org.opforge.examples.PlainEmbedding;
import org.opforge.tensor.Tensor;

/** The two embedding examples, each with the same operator bundle jar. */
class EmbeddingTest {

    /** The operator is found through ServiceLoader. */
    @Test
    void plainClassPathFindsTheOperatorThroughServiceLoader(@TempDir Path tmp) throws Exception {
        Result r = runPlainExample(TestBundles.alpha(tmp), "alpha", "1", "-2", "0.5");
        assertEquals(0, r.exitCode, r.output);
        assertEquals(List.of("alpha: [3.0, -6.0, 1.5]"), r.output.lines().filter(l -> !l.startsWith("WARNING")).toList());
    }

    @Test
    void plainExampleNamesTheOperatorsItFoundWhenTheNameIsWrong(@TempDir Path tmp) throws Exception {
        Result r = runPlainExample(TestBundles.alpha(tmp), "fno");
        assertEquals(1, r.exitCode, r.output);
        assertTrue(r.output.contains("no operator 'fno' on the class path; found: alpha"), r.output);
    }

    private record Result(int exitCode, String output) {}

    /**
     * Runs the plain example in a fresh JVM whose class path is only the API, the tensor engine, the
     * example and the operator jar: no OSGi framework anywhere.
     */
    private static Result runPlainExample(Path operatorJar, String... args) throws Exception {
        String classPath = String.join(File.pathSeparator, TestBundles.location(OperatorFactory.class).toString(),
                TestBundles.location(Tensor.class).toString(), TestBundles.location(PlainEmbedding.class).toString(),
                operatorJar.toString());
        List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, PlainEmbedding.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the example did not finish");
        return new Result(p.exitValue(), out);
    }

    @Test
    void containerStartedInsideTheHostServesTheOperatorFromTheDeployDir(@TempDir Path tmp) throws Exception {
        Path deploy = Files.createDirectories(tmp.resolve("deploy"));
        TestBundles.deploy(TestBundles.alpha(tmp), deploy, "alpha.jar");
        Tensor out = ContainerEmbedding.run(deploy, "alpha", Tensor.of(new float[] {1, 2, 3, 4}, 1, 4));
        assertArrayEquals(new float[] {3, 6, 9, 12}, out.toFloatArray());
        assertArrayEquals(new int[] {1, 4}, out.shape());
    }
}
