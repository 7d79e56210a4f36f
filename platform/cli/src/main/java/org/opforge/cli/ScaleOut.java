package org.opforge.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.opforge.cli.bench.BenchRunner;
import org.opforge.cli.bench.OperatorRun;

/**
 * What {@code --spark MASTER} hands its work to: the optional Spark add-on ({@code opforge-spark}),
 * found through {@link ServiceLoader} when its jars and Spark's are on the class path. The command
 * resolves and checks its options first; the add-on runs the work as Spark tasks.
 */
public interface ScaleOut {
    /** {@code bench SUITE --spark MASTER}: one task per suite entry; the same files as the local runner. */
    BenchRunner.Summary bench(String master, Path suite, List<String> sets, Path out, PrintWriter log);

    /**
     * {@code generate PROBLEM --spark MASTER}: samples {@code [0, samples)} in {@code tasks} ranges,
     * one HDF5 shard each beside the manifest {@code out}, which the data readers open as one data set.
     */
    void generate(String master, int tasks, String problem, Map<String, Object> parameters, int samples, long seed, Path out,
                  boolean compress, PrintWriter log);

    /**
     * {@code train --spark MASTER --replicas N}: synchronous data-parallel training of the prepared
     * run on N replicas; the outcome holds the trained model (rank 0's) evaluated on the run's test files.
     */
    OperatorRun.Outcome train(String master, int replicas, OperatorRun.Prepared run, Path checkpoint, PrintWriter log);

    /**
     * The add-on.
     *
     * @throws IllegalStateException naming what is missing when it is not on the class path
     */
    static ScaleOut find() {
        try {
            return ServiceLoader.load(ScaleOut.class, ScaleOut.class.getClassLoader()).findFirst()
                    .orElseThrow(() -> new IllegalStateException("--spark needs the Spark add-on (opforge-spark and Apache Spark 4.x jars), "
                            + "which is not on the class path: build it with 'mvn -B install' (it lands in bundles/spark) "
                            + "and give Spark's jars with SPARK_HOME, or run the application jar with spark-submit"));
        } catch (java.util.ServiceConfigurationError | NoClassDefFoundError e) {
            throw new IllegalStateException("--spark: the Spark add-on is present but cannot load (" + e.getMessage()
                    + "); SPARK_HOME must point at an Apache Spark 4.x installation built for Scala 2.13", e);
        }
    }
}
