package org.opforge.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opforge.api.data.CheckpointStore;

class BenchRunnerTest {
    @TempDir static Path dir;

    @BeforeAll
    static void data() {
        TestFiles.standardData(dir);
    }

    private static BenchRunner.Summary run(String suiteName, String text, Path out) {
        Suite s = SuiteLoader.load(TestFiles.write(dir.resolve(suiteName), text), OperatorCatalog.classPath());
        return new BenchRunner(s, out, OperatorCatalog.classPath(), new PrintWriter(new StringWriter()), false).run();
    }

    private static JsonNode results(Path out) throws IOException {
        return new ObjectMapper().readTree(out.resolve("results.json").toFile());
    }

    private static JsonNode byId(JsonNode results, String id) {
        for (JsonNode r : results.get("runs")) if (r.get("id").asText().equals(id)) return r;
        throw new AssertionError("no run " + id + " in " + results);
    }

    @Test
    void brokenEntriesAreRecordedWithTheirReasonAndTheOthersFinish() throws IOException {
        String text = String.join("\n",
                "name: mixed",
                "data:",
                "  - {name: lin, train: train.h5, test: [test.h5, test16.h5, {file: test16.h5, subsample: 2}]}",
                "operators:",
                "  - {name: good, factory: test-affine}",
                "  - {name: missing, factory: no-such-operator}",
                "  - {name: diverges, factory: test-affine, config: {lr: 1.0e6, optimizer: sgd}}",
                "  - {name: after, factory: test-affine, config: {init_scale: 0.3}}",
                "training: {epochs: 10, lr: 0.2}",
                "");
        Path out = dir.resolve("out-mixed");
        BenchRunner.Summary s = run("mixed.yaml", text, out);
        assertEquals(4, s.finished());
        assertEquals(2, s.ok());
        assertEquals(2, s.failed());
        assertFalse(s.success());

        JsonNode r = results(out);
        assertTrue(r.get("complete").asBoolean());
        JsonNode good = byId(r, "good__lin__s0");
        assertEquals("ok", good.get("status").asText());
        assertEquals(3, good.get("metrics").size(), "one metric record per test file and resolution");
        for (JsonNode m : good.get("metrics")) {
            assertTrue(m.get("relative_l2").asDouble() < 0.1, m.toString());
            assertTrue(m.get("h1").isNumber() && m.get("mse").isNumber());
        }
        assertEquals("8x8", good.get("metrics").get(2).get("resolution").asText(), "16x16 subsampled by 2");
        assertEquals(2, good.get("parameters").asLong());
        assertEquals(10, good.get("history").size());
        assertTrue(good.get("train_seconds").asDouble() > 0 && good.get("seconds_per_epoch").asDouble() > 0);
        assertTrue(good.get("peak_heap_mb").asDouble() > 0);
        assertTrue(Files.isRegularFile(out.resolve(good.get("checkpoint").asText())));
        assertNotNull(CheckpointStore.find().load(out.resolve(good.get("checkpoint").asText())).attribute("evaluation"));

        JsonNode missing = byId(r, "missing__lin__s0");
        assertEquals("failed", missing.get("status").asText());
        assertTrue(missing.get("reason").asText().contains("mixed.yaml:6: operators[1].factory: unknown operator 'no-such-operator'"),
                missing.get("reason").asText());

        JsonNode div = byId(r, "diverges__lin__s0");
        assertEquals("diverged", div.get("status").asText());
        assertTrue(div.get("reason").asText().contains("loss is"), div.get("reason").asText());
        assertTrue(div.get("checkpoint").isNull());

        assertEquals("ok", byId(r, "after__lin__s0").get("status").asText(), "the entry after the failures still ran");

        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertTrue(csv.get(0).startsWith("id,operator,factory,data,seed,status,reason,test,resolution,samples,relative_l2,h1,mse"));
        assertEquals(1 + 3 + 1 + 1 + 3, csv.size(), String.join("\n", csv));
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("<table>") && html.contains("diverged") && html.contains("no-such-operator"));
        for (String png : List.of("plots/good__lin__s0-loss.png", "plots/good__lin__s0-fields.png", "plots/lin-resolution.png")) {
            assertTrue(html.contains("src=\"" + png + "\""), png);
            byte[] b = Files.readAllBytes(out.resolve(png));
            assertTrue(b.length > 1000 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G', png);
        }
        try (Stream<Path> files = Files.list(out)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temporary files left");
        }
    }

    @Test
    void generatedTestSetsHoldTheSameFunctionsAtEachOfTheirResolutions() throws IOException {
        // Darcy solved on 9 x 9 nodes: trained on every 2nd node (5 x 5), tested there and on all 9 x 9
        String text = String.join("\n",
                "name: gen",
                "data:",
                "  - name: darcy",
                "    generate: {problem: darcy, parameters: {resolution: 9, subsample: 2}, train_samples: 6, test_samples: 3,",
                "               test_parameters: [{subsample: 2}, {subsample: 1}], seed: 4}",
                "operators:",
                "  - {name: lin, factory: test-affine, config: {data.input: a, data.target: u}}",
                "training: {epochs: 2}",
                "");
        Path out = dir.resolve("out-gen");
        assertTrue(run("gen.yaml", text, out).success());
        JsonNode metrics = byId(results(out), "lin__darcy__s0").get("metrics");
        assertEquals("5x5", metrics.get(0).get("resolution").asText());
        assertEquals("9x9", metrics.get(1).get("resolution").asText());
        float[] coarse, fine;
        try (var d = org.opforge.api.data.DatasetSource.find().open(out.resolve("data/darcy-test-subsample2.h5"))) {
            coarse = d.readAll("u").toFloatArray();
        }
        try (var d = org.opforge.api.data.DatasetSource.find().open(out.resolve("data/darcy-test-subsample1.h5"))) {
            fine = d.readAll("u").toFloatArray();
        }
        assertEquals(3 * 25, coarse.length);
        for (int n = 0; n < 3; n++) {
            for (int i = 0; i < 5; i++) {
                for (int j = 0; j < 5; j++) {
                    assertEquals(fine[n * 81 + 2 * i * 9 + 2 * j], coarse[n * 25 + i * 5 + j], "sample " + n + " node " + i + "," + j);
                }
            }
        }
        List<String> problems = org.junit.jupiter.api.Assertions.assertThrows(SuiteException.class, () -> SuiteLoader.load(
                TestFiles.write(dir.resolve("gen-bad.yaml"), text.replace("{subsample: 1}", "{subsample: 3}")), OperatorCatalog.classPath())).problems();
        assertTrue(problems.stream().anyMatch(p -> p.contains("test_parameters[1]") && p.contains("'subsample' must divide resolution-1 = 8")),
                problems.toString());
    }

    @Test
    void sameSuiteAndSeedTwiceGiveIdenticalMetrics() throws IOException {
        String text = String.join("\n",
                "name: twice",
                "data: [{name: lin, train: train.h5, test: [test.h5, test16.h5], train_samples: 48}]",
                "operators: [{factory: test-affine}]",
                "training: {epochs: 4, batch_size: 5, seed: 11, repetitions: 2}",
                "");
        Path a = dir.resolve("out-a"), b = dir.resolve("out-b");
        assertTrue(run("twice.yaml", text, a).success());
        assertTrue(run("twice.yaml", text, b).success());
        JsonNode ra = results(a), rb = results(b);
        assertEquals(2, ra.get("runs").size());
        for (int i = 0; i < 2; i++) {
            JsonNode x = ra.get("runs").get(i), y = rb.get("runs").get(i);
            assertEquals(x.get("metrics"), y.get("metrics"));
            assertEquals(losses(x), losses(y));
            assertEquals(x.get("config"), y.get("config"));
        }
        assertFalse(ra.get("runs").get(0).get("metrics").equals(ra.get("runs").get(1).get("metrics")),
                "another seed gives another model");
    }

    @Test
    void aRunOnALabelSourceTrainsOnItsTargetsAndRecordsItsTime() throws IOException {
        String text = String.join("\n",
                "name: labels",
                "data: [{name: lin, train: train.h5, test: [test.h5], train_samples: 48}]",
                "operators:",
                "  - {name: field, factory: test-affine}",
                "  - {name: source, factory: test-affine, config: {data.labels: test-target}}",
                "training: {epochs: 3, batch_size: 5, seed: 4}",
                "");
        Path out = dir.resolve("out-labels");
        assertTrue(run("labels.yaml", text, out).success());
        JsonNode field = byId(results(out), "field__lin__s4"), source = byId(results(out), "source__lin__s4");
        assertEquals(field.get("metrics"), source.get("metrics"), "the same targets, the same model");
        assertEquals(losses(field), losses(source));
        assertTrue(source.get("label_seconds").asDouble() > 0, source.toString());
        assertTrue(source.get("label_seconds").asDouble() <= source.get("train_seconds").asDouble());
        assertFalse(field.has("label_seconds"), "no label source, no label time");
    }

    private static List<Double> losses(JsonNode run) {
        List<Double> out = new ArrayList<>();
        for (JsonNode h : run.get("history")) {
            out.add(h.get("train_loss").asDouble());
            out.add(h.get("validation_loss").asDouble());
        }
        return out;
    }

    @Test
    void aRunOverItsTimeBudgetIsRecordedAsSuch() throws IOException {
        String text = "name: slow\ndata: [{name: lin, train: train.h5}]\noperators: [{factory: test-affine}]\n"
                + "training: {epochs: 1000000}\nlimits: {time_budget_s: 0.2}\n";
        Path out = dir.resolve("out-slow");
        BenchRunner.Summary s = run("slow.yaml", text, out);
        assertEquals(1, s.failed());
        JsonNode r = byId(results(out), "test-affine__lin__s0");
        assertEquals("time_budget", r.get("status").asText());
        assertTrue(r.get("reason").asText().contains("time budget"), r.get("reason").asText());
    }

    @Test
    void aStopRequestEndsTheCurrentRunAndKeepsTheFinishedOnes() throws Exception {
        String text = String.join("\n",
                "name: stopped",
                "data: [{name: lin, train: train.h5, test: test.h5}]",
                "operators:",
                "  - {name: quick, factory: test-affine, config: {epochs: 2}}",
                "  - {name: endless, factory: test-affine, config: {epochs: 100000000}}",
                "  - {name: never, factory: test-affine}",
                "");
        Suite s = SuiteLoader.load(TestFiles.write(dir.resolve("stopped.yaml"), text), OperatorCatalog.classPath());
        Path out = dir.resolve("out-stopped");
        StringWriter log = new StringWriter();
        BenchRunner runner = new BenchRunner(s, out, OperatorCatalog.classPath(), new PrintWriter(log, true), false);
        BenchRunner.Summary[] summary = new BenchRunner.Summary[1];
        Thread t = new Thread(() -> summary[0] = runner.run());
        t.start();
        // stop once the endless run has begun (its start line is logged), however slow the machine
        long deadline = System.nanoTime() + 60_000_000_000L;
        // stop once the endless run trains (its first epoch line), however long the first run's files take on a loaded machine
        while (!log.toString().contains("[endless__lin__s0] epoch") && System.nanoTime() < deadline) Thread.sleep(10);
        runner.requestStop();
        assertTrue(runner.awaitFinished(java.time.Duration.ofSeconds(30)));
        t.join(30_000);
        assertTrue(summary[0].interrupted());
        JsonNode r = results(out);
        assertFalse(r.get("complete").asBoolean());
        assertEquals(2, r.get("runs").size(), "the third run never started");
        assertEquals("ok", byId(r, "quick__lin__s0").get("status").asText());
        assertEquals("interrupted", byId(r, "endless__lin__s0").get("status").asText());
        assertTrue(Files.readString(out.resolve("report.html")).contains("stopped before the end"));
    }

    @Test
    void selectBestEvaluatesTheWeightsOfTheLowestValidationLoss() throws IOException {
        // trained toward y = 2x + 1, validated against y = x + 0.5: the validation loss is lowest while
        // the weights pass near (1, 0.5), long before the last epoch
        TestFiles.data(dir.resolve("other.h5"), 16, 8, 5, 1, 0.5);
        String text = String.join("\n",
                "name: best",
                "data: [{name: lin, train: train.h5, test: [other.h5], validation: other.h5}]",
                "operators:",
                "  - {name: best, factory: test-affine, config: {select_best: true}}",
                "  - {name: last, factory: test-affine}",
                "  - {name: split, factory: test-affine, config: {select_best: true, validation_split: 0.25, lr: 0.05}}",
                "training: {epochs: 30, lr: 0.01}",
                "");
        Path out = dir.resolve("out-best");
        assertTrue(run("best.yaml", text, out).success());
        JsonNode r = results(out);
        JsonNode best = byId(r, "best__lin__s0"), last = byId(r, "last__lin__s0"), split = byId(r, "split__lin__s0");
        int argmin = 0;
        JsonNode h = best.get("history");
        for (int e = 1; e < h.size(); e++) if (h.get(e).get("validation_loss").asDouble() < h.get(argmin).get("validation_loss").asDouble()) argmin = e;
        int selected = best.get("selected_epoch").asInt();
        assertEquals(argmin + 1, selected);
        assertTrue(selected > 1 && selected < 30, "best epoch inside the run: " + selected);
        double kept = best.get("selected_validation_loss").asDouble();
        assertEquals(h.get(argmin).get("validation_loss").asDouble(), kept, 0.0);
        // the test file is the validation file: its MSE is the kept epoch's validation loss, far below the last epoch's
        assertEquals(kept, best.get("metrics").get(0).get("mse").asDouble(), 1e-4 * kept);
        assertTrue(best.get("metrics").get(0).get("mse").asDouble() < 0.5 * best.get("final_validation_loss").asDouble());
        assertEquals(30, last.get("selected_epoch").asInt());
        assertEquals(last.get("final_validation_loss").asDouble(), last.get("metrics").get(0).get("mse").asDouble(),
                1e-4 * last.get("final_validation_loss").asDouble());
        assertEquals("true", best.get("training").get("options").get("select_best").asText());
        // validation_split replaces the validation file: held-out samples of y = 2x + 1, fitted ever better
        JsonNode sh = split.get("history");
        assertTrue(sh.get(29).get("validation_loss").asDouble() < 1e-2 && h.get(29).get("validation_loss").asDouble() > 0.1, sh.get(29).toString());
        assertEquals("0.25", split.get("training").get("options").get("validation_split").asText());
    }
}
