package org.opforge.spark;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.opforge.api.OpForge;
import org.opforge.api.TrainableOperator;
import org.opforge.api.data.CheckpointStore;
import org.opforge.api.data.DatasetContent;
import org.opforge.api.data.DatasetSource;
import org.opforge.api.data.ShardedDataset;
import org.opforge.api.io.AtomicFiles;
import org.opforge.api.training.EpochReport;
import org.opforge.cli.ScaleOut;
import org.opforge.cli.bench.BenchRunner;
import org.opforge.cli.bench.Json;
import org.opforge.cli.bench.OperatorCatalog;
import org.opforge.cli.bench.OperatorRun;
import org.opforge.cli.bench.RunConfig;
import org.opforge.cli.bench.RunRecord;
import org.opforge.cli.bench.Suite;
import org.opforge.cli.bench.SuiteException;
import org.opforge.cli.bench.SuiteLoader;
import org.opforge.solvers.generate.DataGeneration;
import org.opforge.solvers.generate.GeneratedData;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.cpu.CpuThreads;
import scala.reflect.ClassTag$;

/**
 * The three flows of {@code --spark}: a suite with one task per entry, data generation with one task
 * per sample range, and synchronous data-parallel training in a barrier stage. Tasks run OpForge
 * without OSGi (factories and HDF5 I/O through {@link java.util.ServiceLoader}); only strings and
 * numbers cross the task boundary, and the files go to a folder every executor can reach.
 */
public final class SparkScaleOut implements ScaleOut {

    // =============================================================================================
    // bench
    // =============================================================================================

    @Override
    public BenchRunner.Summary bench(String master, Path suiteFile, List<String> sets, Path out, PrintWriter log) {
        String suitePath = suiteFile.toAbsolutePath().normalize().toString();
        Path dir = out.toAbsolutePath().normalize();
        try (OperatorCatalog cat = OperatorCatalog.classPath()) {
            Suite suite = loadSuite(suitePath, sets, cat);
            BenchRunner runner = new BenchRunner(suite, dir, cat, log, false);
            runner.createDirectories();
            Map<String, String> dataErrors = new LinkedHashMap<>();
            Suite s = runner.prepareData(dataErrors);
            List<Suite.Entry> entries = s.entries();
            createDirectory(dir.resolve("runs"));
            List<Integer> todo = IntStream.range(0, entries.size()).filter(i -> !Files.isRegularFile(runFile(dir, entries.get(i)))).boxed().toList();
            log.printf(Locale.ROOT, "suite %s: %d runs, %d as Spark tasks on %s (%d finished earlier) -> %s%n", s.name(), entries.size(),
                    todo.size(), master, entries.size() - todo.size(), dir);
            log.flush();
            if (!todo.isEmpty()) {
                List<String> setsCopy = List.copyOf(sets);
                String outPath = dir.toString();
                try (JavaSparkContext sc = SparkJobs.open(master, "opforge bench " + s.name())) {
                    Function<Integer, String> task = i -> benchTask(suitePath, setsCopy, outPath, i);
                    for (String line : sc.parallelize(todo, todo.size()).map(task).collect()) log.println(line);
                }
                log.flush();
            }
            List<RunRecord> records = new ArrayList<>();
            for (Suite.Entry e : entries) {
                try {
                    records.add(RunRecord.fromTransferJson(e, Files.readString(runFile(dir, e))));
                } catch (IOException ex) {
                    throw new UncheckedIOException("run " + e.id() + ": cannot read " + runFile(dir, e) + ": " + ex.getMessage(), ex);
                }
            }
            runner.addRecords(records);
            return runner.finish(s, entries.size(), false);
        }
    }

    private static Path runFile(Path dir, Suite.Entry e) {
        return dir.resolve("runs").resolve(e.id() + ".json");
    }

    private static Suite loadSuite(String suitePath, List<String> sets, OperatorCatalog cat) {
        try {
            return SuiteLoader.load(Path.of(suitePath), cat, RunConfig.parseSets(sets));
        } catch (SuiteException e) {
            throw new IllegalArgumentException(String.join("; ", e.problems()), e);
        }
    }

    /** One suite entry on an executor; its record goes to runs/ID.json (written atomically, last). */
    static String benchTask(String suitePath, List<String> sets, String out, int index) {
        Path dir = Path.of(out);
        PrintWriter log = new PrintWriter(System.out, true);
        try (OperatorCatalog cat = OperatorCatalog.classPath()) {
            Suite suite = loadSuite(suitePath, sets, cat);
            BenchRunner runner = new BenchRunner(suite, dir, cat, log, false);
            Map<String, String> dataErrors = new LinkedHashMap<>();
            // the driver wrote the generated data sets: this finds them (same generator settings) and reuses them
            Suite s = runner.prepareData(dataErrors);
            Suite.Entry e = s.entries().get(index);
            Path file = runFile(dir, e);
            if (Files.isRegularFile(file)) return e.id() + ": finished earlier";
            TaskContext ctx = TaskContext.get();
            int threads = ctx == null ? CpuThreads.threads() : Math.max(1, ctx.cpus());
            RunRecord r = CpuThreads.withThreads(threads, () -> runner.runEntry(s, e, dataErrors));
            AtomicFiles.writeString(file, r.toTransferJson());
            return String.format(Locale.ROOT, "%s: %s%s", e.id(), r.status().label(), r.reason() == null ? "" : " (" + r.reason() + ")");
        }
    }

    private static void createDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
        }
    }

    // =============================================================================================
    // generate
    // =============================================================================================

    @Override
    public void generate(String master, int tasks, String problem, Map<String, Object> parameters, int samples, long seed, Path out,
                         boolean compress, PrintWriter log) {
        Path manifest = out.toAbsolutePath().normalize();
        createDirectory(manifest.getParent());
        int k = Math.min(tasks, samples);
        String base = manifest.getFileName().toString().replaceFirst("\\.(json|h5|hdf5)$", "");
        Map<String, String> params = new LinkedHashMap<>();
        parameters.forEach((key, v) -> params.put(key, String.valueOf(v)));
        String dir = manifest.getParent().toString();
        List<Integer> ranges = IntStream.range(0, k).boxed().toList();
        long t0 = System.nanoTime();
        List<String> shards;
        try (JavaSparkContext sc = SparkJobs.open(master, "opforge generate " + problem)) {
            Function<Integer, String> task = r -> generateTask(problem, params, samples, k, r, seed, dir, base, compress);
            shards = sc.parallelize(ranges, k).map(task).collect();
        }
        int[] counts = IntStream.range(0, k).map(r -> rangeEnd(samples, k, r) - rangeEnd(samples, k, r - 1)).toArray();
        ShardedDataset.writeManifest(manifest, shards, counts);
        log.printf(Locale.ROOT, "wrote %s: %s, %d samples in %d shards in %.2f s%n", manifest, problem, samples, k, (System.nanoTime() - t0) / 1e9);
        log.flush();
    }

    /** End (exclusive) of range {@code r} of {@code k} over {@code n} samples; -1 gives 0. */
    private static int rangeEnd(int n, int k, int r) {
        return r < 0 ? 0 : (int) ((long) n * (r + 1) / k);
    }

    /** Samples of range {@code r} as one shard file; returns its name. Seeds depend on the sample index only. */
    static String generateTask(String problem, Map<String, String> params, int samples, int k, int r, long seed, String dir, String base,
                               boolean compress) {
        int from = rangeEnd(samples, k, r - 1), to = rangeEnd(samples, k, r);
        TaskContext ctx = TaskContext.get();
        int threads = ctx == null ? 1 : Math.max(1, ctx.cpus());
        GeneratedData gd = DataGeneration.generate(problem, params, from, to - from, seed, threads, null);
        Map<String, Tensor> fields = new LinkedHashMap<>();
        for (GeneratedData.Field f : gd.fields()) fields.put(f.name(), Tensor.of(f.data(), f.shape()));
        Map<String, Tensor> coords = new LinkedHashMap<>();
        gd.coordinates().forEach((key, v) -> coords.put(key, Tensor.of(v, v.length)));
        Map<String, Object> attrs = new LinkedHashMap<>(gd.attributes());
        attrs.put("generator", "opforge generate --spark");
        String name = String.format(Locale.ROOT, "%s-%05d-of-%05d.h5", base, r, k);
        DatasetSource.find().write(Path.of(dir, name), new DatasetContent(fields, coords, attrs, compress));
        return name;
    }

    // =============================================================================================
    // train
    // =============================================================================================

    /** Attribute of the progress checkpoint: epochs trained so far. */
    static final String EPOCHS_DONE = "spark_epochs_done";
    /** Driver attempts of the barrier stage; each resumes from the last progress checkpoint. */
    static final int ATTEMPTS = Integer.getInteger("opforge.spark.train.attempts", 3);

    @Override
    public OperatorRun.Outcome train(String master, int replicas, OperatorRun.Prepared run, Path checkpoint, PrintWriter log) {
        if (replicas < 1) throw new IllegalArgumentException("--replicas must be at least 1, found " + replicas);
        Path progress = progressFile(checkpoint.toAbsolutePath().normalize());
        String spec = SpecJson.write(run.spec());
        String progressPath = progress.toString();
        List<Integer> ranks = IntStream.range(0, replicas).boxed().toList();
        List<Map<String, Object>> results = null;
        long t0 = System.nanoTime();
        try (JavaSparkContext sc = SparkJobs.open(master, "opforge train " + run.spec().operator())) {
            RuntimeException last = null;
            for (int attempt = 1; attempt <= ATTEMPTS && results == null; attempt++) {
                if (attempt > 1) {
                    log.printf(Locale.ROOT, "training stage failed (%s); attempt %d of %d resumes from %s%n", last.getMessage(), attempt, ATTEMPTS,
                            Files.isRegularFile(progress) ? progress : "the start");
                    log.flush();
                }
                try {
                    org.apache.spark.rdd.RDD<String> stage = sc.parallelize(ranks, replicas).rdd().barrier()
                            .mapPartitions(new TrainReplica(spec, progressPath), false, ClassTag$.MODULE$.apply(String.class));
                    List<Map<String, Object>> rs = new ArrayList<>();
                    for (String s : new org.apache.spark.api.java.JavaRDD<>(stage, ClassTag$.MODULE$.apply(String.class)).collect()) rs.add(Json.object(s));
                    results = rs;
                } catch (RuntimeException e) {
                    last = e;
                }
            }
            if (results == null) throw new IllegalStateException("data-parallel training failed " + ATTEMPTS + " times: " + last.getMessage(), last);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        results.sort((a, b) -> Integer.compare(((Number) a.get("rank")).intValue(), ((Number) b.get("rank")).intValue()));
        Object hash = results.get(0).get("weights_sha256");
        for (Map<String, Object> r : results) {
            if (!hash.equals(r.get("weights_sha256"))) {
                throw new IllegalStateException("replicas diverged: rank 0 and rank " + r.get("rank") + " hold different weights");
            }
        }
        Map<String, Object> r0 = results.get(0);
        long steps = ((Number) r0.get("steps")).longValue();
        if (steps > 0) {
            log.printf(Locale.ROOT, "%d replicas, %d steps: %.2f ms per step, of which all-reduce %.2f ms (%d parameters), replicas bit-identical%n",
                    replicas, steps, 1e3 * ((Number) r0.get("train_seconds")).doubleValue() / steps,
                    1e3 * ((Number) r0.get("allreduce_seconds")).doubleValue() / steps, ((Number) r0.get("parameters")).longValue());
            log.flush();
        }
        TrainableOperator model = (TrainableOperator) OpForge.load(CheckpointStore.find().load(progress));
        List<EpochReport> history = new ArrayList<>();
        int epochs = run.training().epochs();
        for (Object o : (List<?>) r0.get("history")) {
            List<?> h = (List<?>) o;
            history.add(new EpochReport(((Number) h.get(0)).intValue(), epochs, num(h.get(1)), num(h.get(2)), num(h.get(3))));
        }
        List<OperatorRun.Evaluation> evaluations = new ArrayList<>();
        OperatorRun.Status status = OperatorRun.Status.OK;
        String reason = null;
        for (OperatorRun.TestInput t : run.spec().tests()) {
            OperatorRun.Evaluation e = OperatorRun.evaluate(model, run.config(), t, Math.max(run.training().batchSize(), 32), run.spec().previewSamples());
            evaluations.add(e);
            if (e.ok() && !(Double.isFinite(e.relativeL2()) && Double.isFinite(e.mse()))) {
                status = OperatorRun.Status.DIVERGED;
                reason = "predictions on " + e.file() + " are not finite";
            }
        }
        try {
            Files.deleteIfExists(progress);
        } catch (IOException e) {
            log.println("could not remove " + progress + ": " + e.getMessage());
        }
        int selected = history.isEmpty() ? 0 : history.get(history.size() - 1).epoch();
        return new OperatorRun.Outcome(run, model, status, reason, history, selected, seconds, 0, 0, evaluations);
    }

    static Path progressFile(Path checkpoint) {
        return checkpoint.resolveSibling(checkpoint.getFileName() + ".progress.h5");
    }

    private static double num(Object v) {
        return v == null ? Double.NaN : ((Number) v).doubleValue();
    }

    /** One replica of the barrier stage (a Scala function: RDDBarrier has no Java API). */
    static final class TrainReplica extends scala.runtime.AbstractFunction1<scala.collection.Iterator<Integer>, scala.collection.Iterator<String>>
            implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        private final String spec;
        private final String progress;

        TrainReplica(String spec, String progress) {
            this.spec = spec;
            this.progress = progress;
        }

        @Override
        public scala.collection.Iterator<String> apply(scala.collection.Iterator<Integer> ignored) {
            BarrierTaskContext ctx = BarrierTaskContext.get();
            int rank = ctx.partitionId();
            ServerSocket server = RingAllReduce.listen();
            String address = ctx.getTaskInfos()[rank].address();
            String host = address.contains(":") ? address.substring(0, address.lastIndexOf(':')) : address;
            // the one rendezvous through Spark: every replica's ring address
            List<String> ring = List.of(ctx.allGather(host + ":" + server.getLocalPort()));
            try (RingAllReduce reduce = RingAllReduce.connect(rank, ring, server, 600_000)) {
                String result = CpuThreads.withThreads(Math.max(1, ctx.cpus()),
                        () -> DataParallelTraining.replica(SpecJson.read(spec), reduce, Path.of(progress)));
                return scala.jdk.javaapi.CollectionConverters.asScala(List.of(result).iterator());
            }
        }
    }
}
