package org.opforge.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opforge.api.OpForge;
import org.opforge.api.TrainableOperator;
import org.opforge.api.data.Checkpoint;
import org.opforge.api.training.EpochReport;
import org.opforge.api.training.ProgressListener;
import org.opforge.api.data.CheckpointStore;
import org.opforge.api.data.Dataset;
import org.opforge.api.data.DatasetSource;
import org.opforge.api.data.FieldInfo;
import org.opforge.api.data.ShardedDataset;
import org.opforge.cli.bench.BenchRunner;
import org.opforge.cli.bench.Json;
import org.opforge.cli.bench.OperatorCatalog;
import org.opforge.cli.bench.OperatorRun;
import org.opforge.cli.bench.RunConfig;
import org.opforge.cli.bench.Suite;
import org.opforge.cli.bench.SuiteLoader;
import org.opforge.solvers.generate.DataGeneration;
import org.opforge.solvers.generate.GeneratedData;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.cpu.CpuThreads;

/** The three flows on local[2] (one JVM), each against its single-process counterpart. */
class SparkLocalTest {
    @TempDir static Path dir;
    static Path train;
    static Path test;

    @BeforeAll
    static void data() {
        System.setProperty("spark.driver.host", "127.0.0.1");
        train = TestData.darcy(dir.resolve("train.h5"), 40, 1);
        test = TestData.darcy(dir.resolve("test.h5"), 8, 2);
    }

    @Test
    @SuppressWarnings("unchecked")
    void suiteOnSparkGivesTheLocalRunnersResultsAndResumes() throws Exception {
        Path suite = dir.resolve("suite.yaml");
        Files.writeString(suite, """
                name: tiny
                data:
                  - name: darcy
                    train: %s
                    test: [%s]
                operators:
                  - name: fno
                    factory: fno
                    config: %s
                training:
                  seed: 0
                  repetitions: 2
                metrics:
                  plot_samples: 1
                """.formatted(train, test, TestData.FNO_CONFIG.replace("}", ", epochs: 2}")));
        Path local = dir.resolve("bench-local");
        Path spark = dir.resolve("bench-spark");
        try (OperatorCatalog cat = OperatorCatalog.classPath()) {
            Suite s = SuiteLoader.load(suite, cat, Map.of());
            // Spark gives each task spark.task.cpus = 1 thread: the local run gets the same, so the sums are formed alike
            BenchRunner.Summary sum = CpuThreads.withThreads(1, () -> new BenchRunner(s, local, cat, new PrintWriter(new StringWriter()), false).run());
            assertTrue(sum.success());
        }
        StringWriter log = new StringWriter();
        BenchRunner.Summary sum = new SparkScaleOut().bench("local[2]", suite, List.of(), spark, new PrintWriter(log));
        assertTrue(sum.success(), log.toString());
        assertEquals(2, sum.planned());
        List<Map<String, Object>> a = (List<Map<String, Object>>) Json.object(Files.readString(local.resolve("results.json"))).get("runs");
        List<Map<String, Object>> b = (List<Map<String, Object>>) Json.object(Files.readString(spark.resolve("results.json"))).get("runs");
        assertEquals(2, b.size());
        for (int i = 0; i < a.size(); i++) {
            for (String k : List.of("id", "status", "config", "training", "parameters", "epochs_completed", "final_train_loss", "final_validation_loss",
                    "checkpoint", "plots")) {
                assertEquals(a.get(i).get(k), b.get(i).get(k), "run " + i + " " + k);
            }
            List<Map<String, Object>> ma = (List<Map<String, Object>>) a.get(i).get("metrics"), mb = (List<Map<String, Object>>) b.get(i).get("metrics");
            for (String k : List.of("test", "resolution", "relative_l2", "h1", "mse", "samples")) assertEquals(ma.get(0).get(k), mb.get(0).get(k), k);
        }
        for (Map<String, Object> r : b) {
            assertTrue(Files.isRegularFile(spark.resolve((String) r.get("checkpoint"))), r.get("checkpoint") + " written by the task");
            assertTrue(Files.isRegularFile(spark.resolve("runs/" + r.get("id") + ".json")));
        }
        for (String f : List.of("results.csv", "report.html")) assertTrue(Files.isRegularFile(spark.resolve(f)), f);
        String csvLocal = Files.readString(local.resolve("results.csv")), csvSpark = Files.readString(spark.resolve("results.csv"));
        assertEquals(columns(csvLocal, 0, 13), columns(csvSpark, 0, 13), "results.csv: ids, metrics and parameter counts");
        // a rerun finds every result and runs nothing
        StringWriter again = new StringWriter();
        BenchRunner.Summary second = new SparkScaleOut().bench("local[2]", suite, List.of(), spark, new PrintWriter(again));
        assertTrue(second.success());
        assertTrue(again.toString().contains("0 as Spark tasks"), again.toString());
        assertEquals(Files.readString(spark.resolve("results.csv")), csvSpark);
    }

    /** Columns [from, to) of every CSV line (without quoting: the compared columns hold none). */
    private static String columns(String csv, int from, int to) {
        StringBuilder b = new StringBuilder();
        for (String line : csv.split("\n")) {
            String[] c = line.split(",", -1);
            b.append(String.join(",", java.util.Arrays.copyOfRange(c, from, Math.min(to, c.length)))).append('\n');
        }
        return b.toString();
    }

    @Test
    void generatedShardsEqualOneTaskAndTheWholeRun() {
        Map<String, Object> params = TestData.darcy(16);
        new SparkScaleOut().generate("local[2]", 3, "darcy", params, 10, 7, dir.resolve("gen3/darcy.json"), false, new PrintWriter(new StringWriter()));
        new SparkScaleOut().generate("local[2]", 1, "darcy", params, 10, 7, dir.resolve("gen1/darcy.json"), false, new PrintWriter(new StringWriter()));
        GeneratedData whole = DataGeneration.generate("darcy", params, 10, 7, 2, null);
        try (Dataset three = DatasetSource.find().open(dir.resolve("gen3/darcy.json"));
             Dataset one = DatasetSource.find().open(dir.resolve("gen1/darcy.json"))) {
            assertEquals(3, ((ShardedDataset) three).shards());
            assertEquals(10, three.samples());
            assertEquals(Map.of("input", "a", "target", "u"), Map.copyOf(three.roles()).entrySet().stream()
                    .filter(e -> !e.getKey().isEmpty()).collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
            for (FieldInfo f : one.fields()) {
                assertArrayEquals(one.readAll(f.name()).toFloatArray(), three.readAll(f.name()).toFloatArray(), f.name());
                assertArrayEquals(whole.field(f.name()).data(), three.readAll(f.name()).toFloatArray(), f.name() + " as generated whole");
                // a read across a shard boundary, out of order
                assertArrayEquals(one.read(f.name(), new int[] {9, 2, 3, 4}).toFloatArray(), three.read(f.name(), new int[] {9, 2, 3, 4}).toFloatArray());
            }
        }
        Path combined = dir.resolve("gen3/darcy-combined.h5");
        // the combining step: 'opforge data convert MANIFEST FILE.h5'
        StringWriter out = new StringWriter(), err = new StringWriter();
        assertEquals(0, org.opforge.cli.Main.execute(new PrintWriter(out), new PrintWriter(err), "data", "convert",
                dir.resolve("gen3/darcy.json").toString(), combined.toString()), err.toString());
        try (Dataset c = DatasetSource.find().open(combined)) {
            assertEquals(10, c.samples());
            for (GeneratedData.Field f : whole.fields()) assertArrayEquals(f.data(), c.readAll(f.name()).toFloatArray(), f.name());
        }
    }

    @Test
    void twoReplicasTakeTheSingleProcessSteps() {
        // 40 samples in global batches of 20: 2 steps per epoch, 20 steps in 10 epochs; each replica computes 10 samples per step
        Map<String, Object> config = RunConfig.parseSets(List.of("modes=4", "width=8", "layers=2", "projection_channels=16", "batch_size=20",
                "epochs=10", "data.input=a", "data.target=u"));
        OperatorRun.Spec spec = new OperatorRun.Spec("fno", List.of(new RunConfig.Layer("test", config)), train, 0,
                Optional.of(OperatorRun.TestInput.of(test)), List.of(OperatorRun.TestInput.of(test)), 3, null, null, 0);
        OperatorRun.Prepared p = OperatorRun.prepare(spec, OpForge.operator("fno"));
        OperatorRun.Outcome single = OperatorRun.execute(p, "fno", new PrintWriter(new StringWriter()), false, () -> false);
        StringWriter log = new StringWriter();
        Path ckpt = dir.resolve("dp/fno.h5");
        OperatorRun.Outcome dp = new SparkScaleOut().train("local[2]", 2, p, ckpt, new PrintWriter(log));
        assertTrue(dp.ok(), dp.reason());
        assertTrue(log.toString().contains("2 replicas, 20 steps") && log.toString().contains("bit-identical"), log.toString());
        assertFalse(Files.exists(SparkScaleOut.progressFile(ckpt.toAbsolutePath())), "progress checkpoint removed after success");
        assertEquals(single.history().size(), dp.history().size());
        for (int e = 0; e < single.history().size(); e++) {
            double a = single.history().get(e).trainLoss(), b = dp.history().get(e).trainLoss();
            assertEquals(a, b, 1e-4 * Math.abs(a), "epoch " + (e + 1) + " train loss");
        }
        Map<String, Tensor> wa = single.model().toCheckpoint().tensors(), wb = dp.model().toCheckpoint().tensors();
        for (String k : wa.keySet()) {
            if (!k.startsWith("model/")) continue;
            float[] x = wa.get(k).toFloatArray(), y = wb.get(k).toFloatArray();
            for (int i = 0; i < x.length; i++) assertEquals(x[i], y[i], 1e-4 + 1e-3 * Math.abs(x[i]), k + "[" + i + "]");
        }
        assertEquals(single.evaluations().get(0).relativeL2(), dp.evaluations().get(0).relativeL2(), 1e-3 * single.evaluations().get(0).relativeL2());
        assertTrue(CheckpointStore.find() != null);
    }

    @Test
    void aRestartedStageResumesFromTheProgressCheckpoint() {
        Map<String, Object> config = RunConfig.parseSets(List.of("modes=4", "width=8", "layers=2", "projection_channels=16", "batch_size=20",
                "epochs=4", "data.input=a", "data.target=u"));
        OperatorRun.Spec spec = new OperatorRun.Spec("fno", List.of(new RunConfig.Layer("test", config)), train, 0, Optional.empty(),
                List.of(OperatorRun.TestInput.of(test)), 5, null, null, 0);
        OperatorRun.Prepared p = OperatorRun.prepare(spec, OpForge.operator("fno"));
        // what rank 0 leaves behind when the stage fails after epoch 2
        TrainableOperator first = p.factory().create(p.config().values(), 5);
        first.train(p.trainData().training(Optional.empty()), p.training().withEpochs(2), ProgressListener.NONE);
        Checkpoint c = first.toCheckpoint();
        Map<String, String> attrs = new java.util.LinkedHashMap<>(c.attributes());
        attrs.put(SparkScaleOut.EPOCHS_DONE, "2");
        Path ckpt = dir.resolve("resume/fno.h5").toAbsolutePath();
        CheckpointStore.find().save(new Checkpoint(attrs, c.tensors()), SparkScaleOut.progressFile(ckpt));
        StringWriter log = new StringWriter();
        OperatorRun.Outcome o = new SparkScaleOut().train("local[2]", 2, p, ckpt, new PrintWriter(log));
        assertTrue(o.ok(), o.reason());
        assertTrue(log.toString().contains("2 replicas, 4 steps"), "epochs 3 and 4 only: " + log);
        assertEquals(List.of(3, 4), o.history().stream().map(EpochReport::epoch).toList());
        assertFalse(Files.exists(SparkScaleOut.progressFile(ckpt)));
    }
}
