package org.opforge.spark;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** The Spark context of one OpForge job, from {@code --spark MASTER} or from what spark-submit set. */
final class SparkJobs {
    private SparkJobs() {}

    /**
     * A context on {@code master} (or, when it is null or empty, the {@code spark.master} that
     * spark-submit passes as a system property). Run from the command line rather than spark-submit,
     * the add-on's application jar is shipped to the executors ({@code spark.jars}).
     */
    static JavaSparkContext open(String master, String appName) {
        SparkConf conf = new SparkConf();
        if (master != null && !master.isBlank()) conf.setMaster(master);
        if (!conf.contains("spark.master")) {
            throw new IllegalArgumentException("no Spark master: give --spark MASTER (local[4], spark://host:7077, yarn, k8s://...) "
                    + "or run through spark-submit --master");
        }
        conf.setIfMissing("spark.app.name", appName);
        conf.setIfMissing("spark.ui.showConsoleProgress", "false");
        Path self = applicationJar();
        if (self != null && !conf.contains("spark.jars")) conf.set("spark.jars", self.toUri().toString());
        JavaSparkContext sc = new JavaSparkContext(conf);
        sc.setLogLevel(System.getProperty("opforge.spark.log", "WARN"));
        return sc;
    }

    /** The jar this class was loaded from, or null when it runs from a classes folder (tests). */
    static Path applicationJar() {
        try {
            var src = SparkJobs.class.getProtectionDomain().getCodeSource();
            if (src == null) return null;
            Path p = Path.of(src.getLocation().toURI());
            return Files.isRegularFile(p) && p.getFileName().toString().endsWith(".jar") ? p : null;
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }
}
