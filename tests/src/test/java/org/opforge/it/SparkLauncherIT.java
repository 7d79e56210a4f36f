package org.opforge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/opforge ... --spark}: with the add-on (bundles/spark) and a Spark installation (the
 * test SPARK_HOME of platform/spark: Spark's jars from Maven) the command runs on Spark; without
 * SPARK_HOME it says what is missing.
 */
class SparkLauncherIT {
    private static final Path ROOT = Paths.get(System.getProperty("opforge.root", "..")).toAbsolutePath().normalize();

    private static Process start(Path dir, String sparkHome, String... args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(ROOT.resolve("bin/opforge").toString());
        pb.command().addAll(List.of(args));
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().remove("SPARK_HOME");
        if (sparkHome != null) pb.environment().put("SPARK_HOME", sparkHome);
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "bin/opforge finished");
        return p;
    }

    @Test
    void withoutSparkHomeTheErrorNamesIt(@TempDir Path tmp) throws Exception {
        Process p = start(tmp, null, "generate", "darcy", "--n", "4", "--out", tmp.resolve("d.json").toString(), "--spark", "local[2]");
        String err = Files.readString(tmp.resolve("err.txt"));
        assertEquals(1, p.exitValue(), err);
        assertTrue(err.contains("SPARK_HOME") && err.contains("Apache Spark 4"), err);
        assertTrue(err.lines().count() == 1, "one line: " + err);
    }

    @Test
    void generateRunsOnSparkThroughTheLauncher(@TempDir Path tmp) throws Exception {
        Path sparkHome = ROOT.resolve("platform/spark/target/spark-home");
        assertTrue(Files.isDirectory(sparkHome.resolve("jars")), sparkHome + " (built by platform/spark)");
        Process p = start(tmp, sparkHome.toString(), "generate", "darcy", "--n", "4", "--res", "16", "--tasks", "2",
                "--out", tmp.resolve("d.json").toString(), "--spark", "local[2]");
        if (Runtime.version().feature() > 21) {
            // Spark 4.0 supports Java 17 and 21: on a newer JVM (CI repeats these tests on 25) the launcher says so
            String err = Files.readString(tmp.resolve("err.txt"));
            assertEquals(1, p.exitValue(), err);
            assertTrue(err.contains("Java 17 and 21") && err.lines().count() == 1, err);
            return;
        }
        String out = Files.readString(tmp.resolve("out.txt"));
        assertEquals(0, p.exitValue(), out + Files.readString(tmp.resolve("err.txt")));
        assertTrue(out.contains("4 samples in 2 shards"), out);
        assertTrue(Files.isRegularFile(tmp.resolve("d-00001-of-00002.h5")));
    }
}
