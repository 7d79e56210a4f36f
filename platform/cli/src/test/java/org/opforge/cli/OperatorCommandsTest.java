package org.opforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opforge.api.data.Checkpoint;
import org.opforge.api.data.CheckpointStore;
import org.opforge.api.data.Dataset;
import org.opforge.api.data.DatasetContent;
import org.opforge.api.data.DatasetSource;
import org.opforge.cli.bench.TestFiles;
import org.opforge.tensor.Tensor;

/** train / eval / predict / bench through the command line, with the ServiceLoader test operator "test-affine". */
class OperatorCommandsTest {
    @TempDir static Path dir;

    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    static Path train, test, test16, model;

    @BeforeAll
    static void trainOnce() {
        train = data("train.h5", 64, 8, 1);
        test = data("test.h5", 16, 8, 2);
        test16 = data("test16.h5", 16, 16, 3);
        model = dir.resolve("model.h5");
        Result r = run("train", "--operator", "test-affine", "--data", train.toString(), "--test", test.toString(), "--test",
                test16.toString(), "--set", "lr=0.2", "--epochs", "10", "--seed", "4", "--no-progress", "--out", model.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.isRegularFile(model));
        assertTrue(r.out().contains("epoch 10/10"), r.out());
        assertTrue(r.out().contains("test16.h5 (16x16, 16 samples): relative L2"), r.out());
    }

    static Path data(String name, int n, int res, long seed) {
        return TestFiles.data(dir.resolve(name), n, res, seed);
    }

    @Test
    void evalJsonPrintsExactlyTheFourMetrics() throws Exception {
        Result r = run("eval", model.toString(), test16.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        List<String> keys = new ArrayList<>();
        j.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("relative_l2", "h1", "mse", "samples"), keys);
        assertTrue(j.get("relative_l2").asDouble() < 0.05, r.out());
        assertEquals(16, j.get("samples").asInt());
    }

    @Test
    void evalAgreesWithTheMetricsStoredAtTraining() throws Exception {
        Result r = run("eval", model.toString(), test.toString(), "--json");
        JsonNode j = new ObjectMapper().readTree(r.out());
        String stored = org.opforge.api.data.CheckpointStore.find().load(model).attribute("evaluation");
        JsonNode first = new ObjectMapper().readTree(stored).get(0);
        assertEquals(first.get("relative_l2").asDouble(), j.get("relative_l2").asDouble(), 0.0);
    }

    @Test
    void checkpointEveryWritesTheRunSoFarAndTheCheckpointKeepsTheHistory() throws Exception {
        Path out = dir.resolve("periodic.h5"), curve = dir.resolve("curve.png");
        Result r = run("train", "--operator", "test-affine", "--data", train.toString(), "--test", test.toString(), "--set", "lr=0.2",
                "--set", "eval_every=2", "--epochs", "5", "--checkpoint-every", "2", "--curve", curve.toString(), "--no-progress", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        String written = " written to " + out;
        assertTrue(r.out().contains("checkpoint of epoch 2" + written) && r.out().contains("checkpoint of epoch 4" + written), r.out());
        assertFalse(r.out().contains("checkpoint of epoch 5"), "the last epoch's checkpoint is the final one: " + r.out());
        assertTrue(Files.size(curve) > 0 && new String(Files.readAllBytes(curve), 1, 3, java.nio.charset.StandardCharsets.US_ASCII).equals("PNG"));
        JsonNode h = new ObjectMapper().readTree(org.opforge.api.data.CheckpointStore.find().load(out).attribute("history"));
        assertEquals(5, h.size());
        for (int e = 0; e < 5; e++) {
            assertEquals(e + 1, h.get(e).get("epoch").asInt());
            assertEquals(e == 1 || e == 3 || e == 4, h.get(e).get("validation_loss").isNumber(), "validated at epochs 2, 4 and the last: " + h);
        }
        Result bad = run("train", "--operator", "test-affine", "--data", train.toString(), "--checkpoint-every", "0", "--out", dir.resolve("x.h5").toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--checkpoint-every"), bad.err());
    }

    @Test
    void aRunStoppedAfterACheckpointResumesToTheUninterruptedRunsWeightsAndHistory() throws Exception {
        // step:2:0.5 halves the learning rate every 2 epochs: the resumed run must continue the schedule, not restart it
        String[] common = {"--data", train.toString(), "--set", "lr=0.2", "--set", "scheduler=step:2:0.5", "--no-progress"};
        Path full = dir.resolve("full.h5"), part = dir.resolve("part.h5");
        assertEquals(0, run(concat(new String[] {"train", "--operator", "test-affine", "--epochs", "6", "--seed", "4", "--out", full.toString()},
                common)).code());
        // the first 3 epochs (a step schedule does not depend on the run's length), then resumed to 6 in all
        assertEquals(0, run(concat(new String[] {"train", "--operator", "test-affine", "--epochs", "3", "--seed", "4", "--out", part.toString()},
                common)).code());
        assertEquals("3", CheckpointStore.find().load(part).attribute("epoch"));

        Result resumed = run("train", "--resume", part.toString(), "--data", train.toString(), "--epochs", "6", "--no-progress", "--out",
                part.toString());
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("after epoch 3: 3 more epochs of 6"), resumed.out());
        Checkpoint a = CheckpointStore.find().load(full), b = CheckpointStore.find().load(part);
        assertEquals(a.tensor("model/w").item(), b.tensor("model/w").item(), 0.0);
        assertEquals(a.tensor("model/b").item(), b.tensor("model/b").item(), 0.0);
        assertEquals("6", b.attribute("epoch"));
        JsonNode ha = new ObjectMapper().readTree(a.attribute("history")), hb = new ObjectMapper().readTree(b.attribute("history"));
        assertEquals(6, hb.size(), "the resumed checkpoint's history holds the earlier epochs too");
        for (int e = 0; e < 6; e++) assertEquals(ha.get(e).get("train_loss").asDouble(), hb.get(e).get("train_loss").asDouble(), 0.0, "epoch " + (e + 1));

        Result done = run("train", "--resume", part.toString(), "--data", train.toString(), "--epochs", "6", "--out", dir.resolve("more.h5").toString());
        assertEquals(1, done.code());
        assertTrue(done.err().contains("already holds 6 epochs of a 6-epoch run") && done.err().contains("--epochs"), done.err());
        Result set = run("train", "--resume", part.toString(), "--data", train.toString(), "--set", "lr=1", "--out", dir.resolve("more.h5").toString());
        assertEquals(2, set.code());
        assertTrue(set.err().contains("--set"), set.err());
        Result other = run("train", "--resume", part.toString(), "--operator", "fno", "--data", train.toString(), "--out", dir.resolve("more.h5").toString());
        assertEquals(2, other.code());
        assertTrue(other.err().contains("holds operator 'test-affine'"), other.err());
        Result none = run("train", "--data", train.toString(), "--out", dir.resolve("more.h5").toString());
        assertEquals(2, none.code());
        assertTrue(none.err().contains("--operator"), none.err());
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void predictWritesTheNativeLayout() {
        Path out = dir.resolve("pred.h5");
        Result r = run("predict", model.toString(), test16.toString(), out.toString());
        assertEquals(0, r.code(), r.err());
        try (Dataset ds = DatasetSource.find().open(out)) {
            assertEquals("native", ds.layout());
            assertEquals(Map.of("input", "x", "target", "prediction"), ds.roles());
            Tensor p = ds.readAll("prediction"), x = ds.readAll("x");
            assertEquals(List.of(16, 16, 16), List.of(p.size(0), p.size(1), p.size(2)));
            double[] pv = p.toDoubleArray(), xv = x.toDoubleArray();
            for (int i = 0; i < 50; i++) assertEquals(2 * xv[i] + 1, pv[i], 0.1);
        }
    }

    @Test
    void predictNeedsNoTargetField() {
        Path in = dir.resolve("inputs-only.h5");
        DatasetSource.find().write(in, DatasetContent.of(Map.of("x", Tensor.of(new float[] {0, 1, 2, 3}, 1, 2, 2))));
        Path out = dir.resolve("pred2.h5");
        Result r = run("predict", model.toString(), in.toString(), out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.isRegularFile(out));
    }

    @Test
    void errorsAreOneLineWithoutAStackTrace() {
        Result unknown = run("train", "--operator", "fnoo", "--data", train.toString(), "--out", dir.resolve("x.h5").toString());
        assertOneLine(unknown, "unknown operator 'fnoo'; known operators: ", "test-affine");

        Result badKey = run("train", "--operator", "test-affine", "--data", train.toString(), "--set", "modez=3", "--out",
                dir.resolve("x.h5").toString());
        assertOneLine(badKey, "--set: unknown key 'modez' for operator 'test-affine'; known keys: ", "data.input");

        Result badValue = run("train", "--operator", "test-affine", "--data", train.toString(), "--set", "lr=fast", "--out",
                dir.resolve("x.h5").toString());
        assertOneLine(badValue, "--set: parameter 'lr': expected number, found 'fast'", "");

        Result missing = run("train", "--operator", "test-affine", "--data", dir.resolve("nope.h5").toString(), "--out",
                dir.resolve("x.h5").toString());
        assertOneLine(missing, "nope.h5", "");

        Result noField = run("train", "--operator", "test-affine", "--data", train.toString(), "--set", "data.target=u", "--out",
                dir.resolve("x.h5").toString());
        assertOneLine(noField, "key 'u'", "choose with --set data.target=NAME");

        Result diverged = run("train", "--operator", "test-affine", "--data", train.toString(), "--set", "lr=1e6", "--set", "optimizer=sgd",
                "--no-progress", "--out", dir.resolve("x.h5").toString());
        assertOneLine(diverged, "training diverged: loss is", "");
        assertFalse(Files.exists(dir.resolve("x.h5")), "no checkpoint for a failed run");

        Result evalMissing = run("eval", dir.resolve("none.h5").toString(), test.toString());
        assertOneLine(evalMissing, "none.h5", "");

        Result notData = run("eval", model.toString(), TestFiles.write(dir.resolve("plain.txt"), "not hdf5").toString());
        assertOneLine(notData, "plain.txt", "");
    }

    private static void assertOneLine(Result r, String a, String b) {
        assertTrue(r.code() != 0, "exit code");
        List<String> lines = r.err().lines().toList();
        assertEquals(1, lines.size(), "one line on stderr, found:\n" + r.err());
        assertTrue(lines.get(0).contains(a) && lines.get(0).contains(b), lines.get(0));
        assertFalse(r.err().contains("\tat "), "no stack trace");
    }

    @Test
    void benchExitCodeSaysSomethingFailed() throws Exception {
        Path suite = dir.resolve("s.yaml");
        Files.writeString(suite, "name: s\ndata: [{name: lin, train: train.h5, test: test.h5}]\noperators:\n"
                + "  - {factory: test-affine}\n  - {name: nan, factory: test-affine, config: {lr: 1.0e6, optimizer: sgd}}\n"
                + "training: {epochs: 2}\n");
        Result r = run("bench", suite.toString(), "--out", dir.resolve("bench").toString(), "--no-progress");
        assertEquals(Main.FAILED, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("1 run(s) failed"), r.err());
        assertTrue(Files.isRegularFile(dir.resolve("bench/report.html")));

        Files.writeString(suite, "name: s\ndata: [{name: lin, train: train.h5}]\noperators: [{factory: test-affine}]\ntraining: {epochs: 2}\n");
        assertEquals(0, run("bench", suite.toString(), "--out", dir.resolve("bench2").toString(), "--no-progress").code());

        Files.writeString(suite, "name: s\ndata: [{name: lin, train: nothere.h5}]\noperators: [{factory: test-affine}]\nextra: 1\n");
        Result invalid = run("bench", suite.toString(), "--out", dir.resolve("bench3").toString());
        assertEquals(Main.USAGE, invalid.code());
        assertEquals(2, invalid.err().lines().count(), invalid.err());
        assertTrue(invalid.err().contains("s.yaml:2: data[0].train: file 'nothere.h5' not found"), invalid.err());
        assertTrue(invalid.err().contains("s.yaml:4: extra: unknown key"), invalid.err());
        assertFalse(Files.exists(dir.resolve("bench3")), "nothing ran");
    }
}
