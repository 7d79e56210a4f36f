package org.opforge.cli.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.opforge.api.data.Dataset;
import org.opforge.api.data.DatasetContent;
import org.opforge.api.data.DatasetSource;

/**
 * Runs a suite: writes generated data sets, then every (operator x data x seed) entry in order.
 * After each run it rewrites results.json, results.csv and report.html (each atomically), so a
 * crash or Ctrl-C at any moment leaves consistent files holding every finished run. A run that
 * fails (exception, non-finite loss, time budget) is recorded with its reason and the suite goes
 * on. {@link #requestStop()} (the command's shutdown hook) ends the current run at its next
 * training step, records it as interrupted and skips the rest.
 */
public final class BenchRunner {
    private final Suite suite;
    private final Path out;
    private final OperatorCatalog catalog;
    private final PrintWriter log;
    private final boolean bar;
    private final Resume resume;
    private final List<RunRecord> records = new ArrayList<>();
    private final Map<String, String> resolutionPlots = new LinkedHashMap<>();
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean stop;

    /** What a suite run produced. */
    public record Summary(int planned, int finished, int ok, int failed, boolean interrupted, Path results) {
        /** Whether every planned run finished with status ok. */
        public boolean success() { return !interrupted && failed == 0 && finished == planned; }
    }

    /**
     * @param out directory for results, checkpoints, plots and generated data (created)
     * @param log progress and per-run lines
     * @param bar draw progress bars (a terminal) instead of plain lines
     */
    public BenchRunner(Suite suite, Path out, OperatorCatalog catalog, PrintWriter log, boolean bar) {
        this(suite, out, catalog, log, bar, Resume.none());
    }

    /** As above, keeping the successful runs {@code resume} found in {@code out} instead of running them again. */
    public BenchRunner(Suite suite, Path out, OperatorCatalog catalog, PrintWriter log, boolean bar, Resume resume) {
        this.resume = resume;
        this.suite = suite;
        this.out = out;
        this.catalog = catalog;
        this.log = log;
        this.bar = bar;
    }

    /** Asks the suite to stop: the current run ends at its next step and no further run starts. */
    public void requestStop() {
        stop = true;
    }

    /** Waits until {@link #run()} has written its last files. */
    public boolean awaitFinished(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The records of the runs finished so far. */
    public List<RunRecord> records() {
        synchronized (records) {
            return List.copyOf(records);
        }
    }

    public Summary run() {
        try {
            createDirectories();
        } catch (UncheckedIOException e) {
            finished.countDown();
            throw e;
        }
        try {
            Map<String, String> dataErrors = new LinkedHashMap<>();
            Suite s = materialize(dataErrors);
            List<Suite.Entry> entries = s.entries();
            int planned = entries.size();
            log.printf(Locale.ROOT, "suite %s: %d runs (%d operators, %d data sets, %d seeds) -> %s%n", s.name(), planned,
                    s.operators().size(), s.data().size(), s.repetitions(), out);
            log.flush();
            int i = 0;
            for (Suite.Entry e : entries) {
                if (stop) break;
                i++;
                log.printf(Locale.ROOT, "[%d/%d] %s%n", i, planned, e.id());
                log.flush();
                Map<String, Object> kept = resume.finished().get(e.id());
                RunRecord r = kept != null ? RunRecord.restored(e, kept) : runEntry(s, e, dataErrors);
                synchronized (records) {
                    records.add(r);
                }
                log.printf(Locale.ROOT, "[%d/%d] %s: %s%s%n", i, planned, e.id(), r.status().label(),
                        r.resumed() ? " (kept from the earlier invocation)" : summary(r));
                log.flush();
                writeAll(s, planned, false);
            }
            return finish(s, planned, stop);
        } finally {
            finished.countDown();
        }
    }

    /** Creates the output directory with its checkpoints/, plots/ and (for generated data) data/ folders. */
    public void createDirectories() {
        try {
            Files.createDirectories(out.resolve("checkpoints"));
            Files.createDirectories(out.resolve("plots"));
            if (suite.data().stream().anyMatch(d -> d.generator().isPresent())) Files.createDirectories(out.resolve("data"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create output directory " + out + ": " + e.getMessage(), e);
        }
    }

    /**
     * The suite with its generated data sets written (or reused: a second call, in another process
     * on the same folder, finds the files of the first), and the reason of each that failed in {@code errors}.
     */
    public Suite prepareData(Map<String, String> errors) {
        return materialize(errors);
    }

    /**
     * Runs one entry of the suite returned by {@link #prepareData} in isolation (training, evaluation,
     * checkpoint, plots), so entries can run in any order and in other processes.
     */
    public RunRecord runEntry(Suite s, Suite.Entry e, Map<String, String> dataErrors) {
        RunRecord r = e.problem() != null ? RunRecord.failedEarly(e, e.problem())
                : dataErrors.containsKey(e.data().name())
                ? RunRecord.failedEarly(e, "data set '" + e.data().name() + "' could not be generated: " + dataErrors.get(e.data().name()))
                : runOne(s, e);
        plot(r);
        return r;
    }

    /** Adds finished runs (run elsewhere with {@link #runEntry}) to the records, in the order given. */
    public void addRecords(List<RunRecord> rs) {
        synchronized (records) {
            records.addAll(rs);
        }
    }

    /** Writes results.json, results.csv and report.html of the records and returns the summary. */
    public Summary finish(Suite s, int planned, boolean interrupted) {
        writeAll(s, planned, !interrupted);
        List<RunRecord> rs = records();
        int ok = (int) rs.stream().filter(r -> r.status() == OperatorRun.Status.OK).count();
        return new Summary(planned, rs.size(), ok, rs.size() - ok, interrupted, out.resolve("results.json"));
    }

    private String summary(RunRecord r) {
        if (r.status() != OperatorRun.Status.OK) return " (" + r.reason() + ")";
        StringBuilder b = new StringBuilder();
        for (OperatorRun.Evaluation e : r.evaluations()) {
            b.append(e.ok() ? String.format(Locale.ROOT, "  %s: rel L2 %.4e", e.file(), e.relativeL2()) : "  " + e.file() + ": " + e.error());
        }
        return b.toString();
    }

    private RunRecord runOne(Suite s, Suite.Entry e) {
        Suite.DataSet d = e.data();
        OperatorRun.Spec spec = new OperatorRun.Spec(e.operator().factory(),
                List.of(new RunConfig.Layer("training", s.training()), new RunConfig.Layer("operators[" + e.operator().name() + "].config",
                        e.operator().config())),
                d.train(), d.trainSamples(), d.validation(), d.tests(), e.seed(), s.device(), s.timeBudget(), s.plotSamples());
        OperatorRun.Prepared p;
        try {
            p = OperatorRun.prepare(spec, catalog.factory(e.operator().factory()));
        } catch (RuntimeException ex) {
            return RunRecord.failedEarly(e, OperatorRun.describe(ex, new OperatorRun.Status[1]));
        }
        OperatorRun.Outcome o = OperatorRun.execute(p, catalog.labelSources(), e.id(), log, bar, () -> stop);
        String checkpoint = null;
        OperatorRun.Status status = o.status();
        String reason = o.reason();
        if (o.ok()) {
            String rel = "checkpoints/" + e.id() + ".h5";
            try {
                OperatorRun.save(OperatorRun.checkpoint(o.model(), p, o.history(), o.evaluations()), out.resolve(rel));
                checkpoint = rel;
            } catch (RuntimeException ex) {
                status = OperatorRun.Status.FAILED;
                reason = "cannot save the checkpoint: " + ex.getMessage();
            }
        }
        long params = o.model() == null ? -1 : o.model().parameterCount();
        RunRecord r = new RunRecord(e, status, reason, RunConfig.plain(p.config()), p.training(), params, o.history(), o.selectedEpoch(),
                o.trainSeconds(), o.secondsPerEpoch(), o.peakHeapBytes(), o.poolPeakBytes(), o.evaluations(), checkpoint);
        r.labelSeconds = o.labelSeconds();
        return r;
    }

    /** The run's loss curve and sample fields; a plot that cannot be drawn is logged, not fatal. */
    private void plot(RunRecord r) {
        String id = r.entry().id();
        try {
            if (Plots.loss(r.history(), "loss: " + id, out.resolve("plots/" + id + "-loss.png"))) r.plots().put("loss", "plots/" + id + "-loss.png");
            for (OperatorRun.Evaluation e : r.evaluations()) {
                if (e.ok() && e.predicted() != null) {
                    if (Plots.fields(e.predicted(), e.truth(), id + " on " + e.file(), out.resolve("plots/" + id + "-fields.png"))) {
                        r.plots().put("fields", "plots/" + id + "-fields.png");
                    }
                    break;
                }
            }
        } catch (RuntimeException | Error ex) {
            log.println("  could not draw the plots of " + id + ": " + ex);
        }
    }

    private void writeAll(Suite s, int planned, boolean complete) {
        List<RunRecord> rs = records();
        resolutionPlots(s, rs);
        Results.writeJson(out.resolve("results.json"), s, resume.fingerprint(), rs, complete, planned);
        Results.writeCsv(out.resolve("results.csv"), rs);
        Report.write(out.resolve("report.html"), s, rs, resolutionPlots, complete, planned);
    }

    /** Per data set, the first measure (mean over seeds) of each operator against the test grid's points per side. */
    private void resolutionPlots(Suite s, List<RunRecord> rs) {
        String measure = s.measures().get(0);
        for (Suite.DataSet d : s.data()) {
            Map<String, SortedMap<Integer, double[]>> acc = new LinkedHashMap<>();
            for (RunRecord r : rs) {
                if (!r.entry().data().name().equals(d.name()) || r.status() != OperatorRun.Status.OK) continue;
                for (OperatorRun.Evaluation e : r.evaluations()) {
                    if (!e.ok()) continue;
                    double v = measure.equals("relative_l2") ? e.relativeL2() : measure.equals("h1") ? e.h1() : e.mse();
                    if (!Double.isFinite(v)) continue;
                    double[] sum = acc.computeIfAbsent(r.entry().operator().name(), k -> new TreeMap<>()).computeIfAbsent(e.points(), k -> new double[2]);
                    sum[0] += v;
                    sum[1]++;
                }
            }
            if (acc.isEmpty()) continue;
            Map<String, SortedMap<Integer, Double>> series = new LinkedHashMap<>();
            acc.forEach((op, m) -> {
                SortedMap<Integer, Double> mean = new TreeMap<>();
                m.forEach((k, v) -> mean.put(k, v[0] / v[1]));
                series.put(op, mean);
            });
            String rel = "plots/" + d.name() + "-resolution.png";
            try {
                if (Plots.resolution(Report.label(measure) + " against resolution: " + d.name(), Report.label(measure), series, out.resolve(rel))) {
                    resolutionPlots.put(d.name(), rel);
                }
            } catch (RuntimeException | Error ex) {
                log.println("  could not draw " + rel + ": " + ex);
            }
        }
    }

    /**
     * Writes the generated data sets under out/data (reusing files written earlier from the same
     * generator settings) and returns the suite with their file names filled in.
     */
    private Suite materialize(Map<String, String> errors) {
        List<Suite.DataSet> data = new ArrayList<>();
        for (Suite.DataSet d : suite.data()) {
            if (d.generator().isEmpty()) {
                data.add(d);
                continue;
            }
            Suite.Generator g = d.generator().get();
            try {
                Path train = generate(d.name() + "-train.h5", g, g.parameters(), g.trainSamples(), g.seed());
                List<OperatorRun.TestInput> tests = new ArrayList<>();
                // the test sets' functions are drawn with another seed than the training set's, the same for every test set
                if (g.testParameters().isEmpty()) {
                    tests.add(OperatorRun.TestInput.of(generate(d.name() + "-test.h5", g, g.parameters(), g.testSamples(), g.seed() + 1_000_003)));
                } else {
                    for (Map<String, Object> over : g.testParameters()) {
                        Map<String, Object> params = new LinkedHashMap<>(g.parameters());
                        params.putAll(over);
                        StringBuilder name = new StringBuilder(d.name()).append("-test");
                        new TreeMap<>(over).forEach((k, v) -> name.append('-').append(k.equals("resolution") ? "" : k).append(v));
                        tests.add(OperatorRun.TestInput.of(generate(name + ".h5", g, params, g.testSamples(), g.seed() + 1_000_003)));
                    }
                }
                Optional<OperatorRun.TestInput> validation = d.validation().isPresent() ? d.validation() : Optional.of(tests.get(0));
                data.add(new Suite.DataSet(d.name(), train, tests, validation, d.trainSamples(), d.generator()));
            } catch (RuntimeException e) {
                log.println("data set " + d.name() + ": generation failed: " + e.getMessage());
                errors.put(d.name(), e.getMessage());
                data.add(d);
            }
        }
        return suite.withData(data);
    }

    private Path generate(String fileName, Suite.Generator g, Map<String, Object> params, int samples, long seed) {
        Path file = out.resolve("data").resolve(fileName);
        String key = Json.compact(List.of(g.problem(), new TreeMap<>(params), samples, seed));
        if (Files.isRegularFile(file)) {
            try (Dataset ds = DatasetSource.find().open(file)) {
                if (key.equals(String.valueOf(ds.attributes().get("suite_generator")))) {
                    log.println("data set " + file + ": reusing (same generator settings)");
                    return file;
                }
            } catch (RuntimeException e) {
                // unreadable: write it again
            }
        }
        long t0 = System.nanoTime();
        DatasetContent gd = catalog.generator(g.problem()).generate(params, samples, seed, Runtime.getRuntime().availableProcessors(), null);
        Map<String, Object> attrs = new LinkedHashMap<>(gd.attributes());
        attrs.put("generator", "opforge bench " + suite.name());
        attrs.put("suite_generator", key);
        DatasetSource.find().write(file, gd.withAttributes(attrs));
        log.printf(Locale.ROOT, "data set %s: %d samples of %s in %.1f s%n", file, samples, g.problem(), (System.nanoTime() - t0) / 1e9);
        log.flush();
        return file;
    }
}
