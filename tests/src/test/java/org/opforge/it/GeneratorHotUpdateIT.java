package org.opforge.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opforge.api.data.Dataset;
import org.opforge.api.data.DatasetSource;
import org.opforge.api.pde.DataGenerator;
import org.opforge.api.pde.DataGeneratorProvider;
import org.opforge.runtime.ContainerConfig;
import org.opforge.runtime.OpForgeContainer;

/**
 * What is deployed is what runs: {@code opforge generate} reaches the data generators through their
 * services, so replacing a generator bundle changes what it generates. Runs after the distribution
 * is assembled (failsafe).
 */
class GeneratorHotUpdateIT {
    private static final Duration WITHIN = Duration.ofSeconds(3);

    @Test
    void containerHandsOutTheUpdatedGenerator(@TempDir Path tmp) throws Exception {
        Path deploy = Files.createDirectories(tmp.resolve("deploy"));
        EventLog events = new EventLog();
        try (OpForgeContainer c = OpForgeContainer.start(ContainerConfig.of(deploy).withListener(e -> events.add(e.line())))) {
            TestBundles.deploy(TestBundles.ramp(tmp.resolve("ramp-1.jar"), 1), deploy, "ramp.jar");
            events.awaitLine(0, "bundle installed: org.opforge.it.ramp 1.0.0", WITHIN);
            assertArrayEquals(new float[] {0, 1, 2, 1, 2, 3}, ramp(c).generate(Map.of("width", 3), 2, 0, 1, null).fields().get("y").toFloatArray());

            int mark = events.lines().size();
            TestBundles.deploy(TestBundles.ramp(tmp.resolve("ramp-2.jar"), 2), deploy, "ramp.jar");
            events.awaitLine(mark, "bundle updated: org.opforge.it.ramp 2.0.0 (was 1.0.0)", WITHIN);
            assertArrayEquals(new float[] {0, 2, 4, 2, 4, 6}, ramp(c).generate(Map.of("width", 3), 2, 0, 1, null).fields().get("y").toFloatArray(),
                    "after the update the container hands out version 2's generator");
        }
    }

    @Test
    void generateRunsTheDeployedGeneratorBundle(@TempDir Path tmp) throws Exception {
        Path deploy = Files.createDirectories(tmp.resolve("deploy"));
        TestBundles.deploy(TestBundles.ramp(tmp.resolve("ramp-1.jar"), 1), deploy, "ramp.jar");
        Path v1 = tmp.resolve("v1.h5");
        Launcher.run("generate", "ramp", "--n", "2", "--width", "3", "--out", v1.toString(), "--deploy", deploy.toString(), "--no-progress");
        assertArrayEquals(new float[] {0, 1, 2, 1, 2, 3}, read(v1));

        TestBundles.deploy(TestBundles.ramp(tmp.resolve("ramp-2.jar"), 2), deploy, "ramp.jar");
        Path v2 = tmp.resolve("v2.h5");
        String out = Launcher.run("generate", "ramp", "--n", "2", "--width", "3", "--out", v2.toString(), "--deploy", deploy.toString(), "--no-progress");
        assertTrue(out.contains("wrote " + v2 + ": ramp, 2 samples"), out);
        assertArrayEquals(new float[] {0, 2, 4, 2, 4, 6}, read(v2), "generate follows the bundle in the deploy directory");

        // the distribution's own solvers, which are in bundles/deploy only
        Path anti = tmp.resolve("anti.h5");
        Launcher.run("generate", "antiderivative", "--n", "2", "--res", "10", "--out", anti.toString(), "--no-progress");
        try (Dataset d = DatasetSource.find().open(anti)) {
            assertEquals(2, d.samples());
            assertEquals("antiderivative", d.attributes().get("problem"));
        }
    }

    /** The generator of the one ramp bundle, once its component is active (it registers after the install event). */
    private static DataGenerator ramp(OpForgeContainer c) throws InterruptedException {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        List<DataGeneratorProvider> providers = c.services(DataGeneratorProvider.class);
        while (providers.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            providers = c.services(DataGeneratorProvider.class);
        }
        assertEquals(1, providers.size(), "one generator bundle deployed, its provider registered within " + WITHIN);
        return providers.get(0).generators().get(0);
    }

    private static float[] read(Path file) {
        try (Dataset d = DatasetSource.find().open(file)) {
            return d.readAll("y").toFloatArray();
        }
    }
}
