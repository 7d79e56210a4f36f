package org.opforge.spark;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.opforge.cli.Main;
import org.opforge.cli.bench.OperatorCatalog;

/**
 * The application's main class for {@code spark-submit}: the arguments are those of the
 * {@code opforge} command ({@code bench SUITE ...}, {@code generate PROBLEM ...}, {@code train ...});
 * {@code --spark} defaults to the master spark-submit was given, so
 * {@code spark-submit --master yarn --class org.opforge.spark.SparkMain opforge-spark-app.jar bench suite.yaml --out DIR}
 * runs the suite on YARN.
 */
public final class SparkMain {
    /** A deploy directory that does not exist: the catalog then starts no container. */
    static final String NO_CONTAINER = "/nonexistent/opforge-spark: operators from the application jar";

    private SparkMain() {}

    public static void main(String[] args) {
        // the operators come from this jar through ServiceLoader: no OSGi container, whatever bundles/deploy the working directory has
        if (System.getProperty(OperatorCatalog.DEPLOY_PROPERTY) == null) System.setProperty(OperatorCatalog.DEPLOY_PROPERTY, NO_CONTAINER);
        int code = Main.execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), withMaster(args));
        if (code != 0) System.exit(code);
    }

    /** Inserts {@code --spark <spark.master>} after the command name unless the arguments give one. */
    static String[] withMaster(String[] args) {
        if (args.length == 0 || Arrays.stream(args).anyMatch(a -> a.equals("--spark") || a.startsWith("--spark="))) return args;
        if (!List.of("bench", "generate", "train").contains(args[0])) return args;
        List<String> a = new ArrayList<>(Arrays.asList(args));
        a.add(1, "--spark");
        a.add(2, System.getProperty("spark.master", ""));
        return a.toArray(new String[0]);
    }
}
