package org.opforge.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opforge.api.OpForge;
import org.opforge.api.data.Dataset;
import org.opforge.api.data.DatasetSource;
import org.opforge.cli.bench.OperatorRun;
import org.opforge.cli.bench.RunConfig;
import org.opforge.solvers.generate.DataGeneration;
import org.opforge.solvers.generate.GeneratedData;

/**
 * Against the packaged application jar (bundles/spark/opforge-spark-app.jar, without Spark): real
 * executor JVMs (local-cluster, which needs SPARK_HOME with Spark's jars and SPARK_SCALA_VERSION), and
 * the spark-submit entry point.
 */
class SparkClusterIT {
    @TempDir static Path dir;
    static Path app;

    @BeforeAll
    static void setUp() {
        app = Path.of(System.getProperty("opforge.spark.app"));
        assertTrue(Files.isRegularFile(app), "application jar " + app);
        assertTrue(System.getenv("SPARK_HOME") != null, "SPARK_HOME");
    }

    @Test
    void dataParallelTrainingAcrossExecutorJvms() {
        System.setProperty("spark.driver.host", "127.0.0.1");
        System.setProperty("spark.jars", app.toUri().toString());
        // executors that cannot start fail the test within a minute instead of Spark's ten
        System.setProperty("spark.scheduler.barrier.maxConcurrentTasksCheck.interval", "5s");
        System.setProperty("spark.scheduler.barrier.maxConcurrentTasksCheck.maxFailures", "12");
        try {
            Path train = TestData.darcy(dir.resolve("train.h5"), 24, 1);
            Map<String, Object> config = RunConfig.parseSets(List.of("modes=4", "width=8", "layers=2", "projection_channels=16", "batch_size=12",
                    "epochs=2", "data.input=a", "data.target=u"));
            OperatorRun.Spec spec = new OperatorRun.Spec("fno", List.of(new RunConfig.Layer("test", config)), train, 0, Optional.empty(),
                    List.of(OperatorRun.TestInput.of(train)), 3, null, null, 0);
            OperatorRun.Prepared p = OperatorRun.prepare(spec, OpForge.operator("fno"));
            StringWriter log = new StringWriter();
            OperatorRun.Outcome o = new SparkScaleOut().train("local-cluster[2,1,1024]", 2, p, dir.resolve("fno.h5"), new PrintWriter(log));
            assertTrue(o.ok(), o.reason());
            assertTrue(log.toString().contains("2 replicas, 4 steps") && log.toString().contains("bit-identical"), log.toString());
            assertEquals(2, o.history().size());
        } finally {
            System.clearProperty("spark.jars");
            System.clearProperty("spark.scheduler.barrier.maxConcurrentTasksCheck.interval");
            System.clearProperty("spark.scheduler.barrier.maxConcurrentTasksCheck.maxFailures");
        }
    }

    @Test
    void sparkSubmitRunsTheApplicationJar() throws Exception {
        Path manifest = dir.resolve("submit/darcy.json");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(Arrays.asList(System.getProperty("spark.module.options").trim().split("\\s+")));
        cmd.addAll(List.of("-cp", System.getenv("SPARK_HOME") + "/jars/*", "org.apache.spark.deploy.SparkSubmit", "--master", "local[2]",
                "--conf", "spark.driver.host=127.0.0.1", "--class", "org.opforge.spark.SparkMain", app.toString(),
                "generate", "darcy", "--n", "6", "--res", "16", "--seed", "3", "--tasks", "2", "--out", manifest.toString()));
        Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("submit.log").toFile()).start();
        assertTrue(proc.waitFor(180, TimeUnit.SECONDS), "spark-submit finished");
        String out = Files.readString(dir.resolve("submit.log"));
        assertEquals(0, proc.exitValue(), out);
        assertTrue(out.contains("6 samples in 2 shards"), out);
        GeneratedData whole = DataGeneration.generate("darcy", TestData.darcy(16), 6, 3, 1, null);
        try (Dataset d = DatasetSource.find().open(manifest)) {
            for (GeneratedData.Field f : whole.fields()) assertArrayEquals(f.data(), d.readAll(f.name()).toFloatArray(), f.name());
        }
    }
}
