package org.opforge.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.opforge.cli.bench.BenchRunner;
import org.opforge.cli.bench.OperatorCatalog;
import org.opforge.cli.bench.Resume;
import org.opforge.cli.bench.RunConfig;
import org.opforge.cli.bench.Suite;
import org.opforge.cli.bench.SuiteException;
import org.opforge.cli.bench.SuiteLoader;
import org.opforge.cli.bench.TrainingProgress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code opforge bench SUITE [--out DIR]}: validates a suite file, runs every (operator x data x
 * seed) entry and writes results.json, results.csv, checkpoints/ and report.html to DIR. Into a DIR
 * holding results of the same suite it resumes (see {@link Resume}). Exit codes as {@link Main}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a benchmark suite (YAML, see benchmark-suites/README.md) headless and write results.json, results.csv,",
                "the trained checkpoints and report.html (results table and plots) to the output directory.",
                "A failing run is recorded with its reason and the suite goes on; Ctrl-C stops after the current step",
                "and keeps the finished results. Run again into the same --out, it resumes: the runs that finished ok are kept",
                "and skipped (--overwrite starts over; results of another suite in that folder are refused).",
                "Exit code: 0 all runs ok, 1 a run failed, 2 invalid suite or call, 130 stopped by Ctrl-C (SIGINT), 143 by SIGTERM."})
public final class BenchCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin CatalogOptions catalog;

    @Parameters(index = "0", paramLabel = "SUITE", description = "suite file, e.g. benchmark-suites/quickstart.yaml")
    Path suiteFile;

    @Option(names = "--out", paramLabel = "DIR", description = "output directory (default: bench-results/<suite name>)")
    Path out;

    @Option(names = OutputFiles.OVERWRITE, description = "start over: discard the results already in --out instead of resuming")
    boolean overwrite;

    @Option(names = "--no-progress", description = "plain progress lines instead of progress bars")
    boolean noProgress;

    @Option(names = "--check", description = "validate the suite file and exit without running it")
    boolean check;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "set a config key of every operator over the suite's values (repeatable), e.g. --set epochs=1 for a smoke test")
    java.util.List<String> sets = new java.util.ArrayList<>();

    @Option(names = "--spark", paramLabel = "MASTER",
            description = "run the entries as Spark tasks on MASTER (local[4], spark://host:7077, yarn, k8s://...); needs the Spark add-on")
    String spark;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (OperatorCatalog cat = catalog.open()) {
            Suite suite;
            try {
                suite = SuiteLoader.load(suiteFile, cat, RunConfig.parseSets(sets));
            } catch (SuiteException e) {
                for (String p : e.problems()) err.println("opforge bench: " + p);
                err.flush();
                return Main.USAGE;
            }
            for (String w : suite.warnings()) err.println("opforge bench: " + w + " (this entry will be recorded as failed)");
            err.flush();
            if (check) {
                o.printf(Locale.ROOT, "%s: %s, %d runs%n", suiteFile, suite.warnings().isEmpty() ? "valid" : suite.warnings().size()
                        + " entries cannot run", suite.entries().size());
                o.flush();
                return suite.warnings().isEmpty() ? 0 : Main.FAILED;
            }
            Path dir = out != null ? out : Path.of("bench-results", suite.name());
            OutputFiles.of(spec).input("SUITE", suiteFile).checkFolder("--out", dir);
            if (spark != null) {
                // each entry's result file in the folder marks it done: a rerun resumes there
                BenchRunner.Summary s = ScaleOut.find().bench(spark, suiteFile, sets, dir, o);
                return report(s, dir, o, err);
            }
            Resume resume;
            try {
                resume = Resume.read(dir, Resume.fingerprint(suiteFile, sets), overwrite);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage(), e);
            }
            if (!resume.finished().isEmpty()) {
                o.printf(Locale.ROOT, "resuming in %s: %d run(s) finished earlier are kept%n", dir, resume.finished().size());
            }
            BenchRunner runner = new BenchRunner(suite, dir, cat, o, !noProgress && TrainingProgress.interactive(), resume);
            Thread hook = new Thread(() -> {
                runner.requestStop();
                err.println("opforge bench: stopping after the current step; finished results are kept in " + dir);
                err.flush();
                try {
                    runner.awaitFinished(Duration.ofSeconds(60));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "opforge-bench-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            BenchRunner.Summary s;
            try {
                s = runner.run();
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running: it waits for the files written above
                }
            }
            return report(s, dir, o, err);
        }
    }

    private static int report(BenchRunner.Summary s, Path dir, PrintWriter o, PrintWriter err) {
        o.printf(Locale.ROOT, "%d of %d runs ok%s; report: %s%n", s.ok(), s.planned(),
                s.interrupted() ? " (stopped early)" : "", dir.resolve("report.html"));
        o.flush();
        if (!s.success()) {
            err.printf(Locale.ROOT, "opforge bench: %d run(s) failed%s; reasons in %s%n", s.failed(),
                    s.interrupted() ? " and the suite was stopped" : "", dir.resolve("results.json"));
            err.flush();
            return Main.FAILED;
        }
        return 0;
    }
}
