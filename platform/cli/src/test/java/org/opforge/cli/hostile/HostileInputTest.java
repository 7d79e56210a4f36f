package org.opforge.cli.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opforge.cli.hostile.Hostile.refuse;
import static org.opforge.cli.hostile.Hostile.run;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opforge.api.data.Checkpoint;
import org.opforge.api.data.CheckpointStore;
import org.opforge.api.data.DatasetContent;
import org.opforge.api.data.DatasetSource;
import org.opforge.cli.Main;
import org.opforge.cli.bench.TestFiles;
import org.opforge.tensor.Tensor;

/**
 * Bad values, bad files and special files against data, generate, train, eval, predict and bench:
 * each ends with its exit code and one line naming the file, key or parameter, no stack trace, no
 * input changed, and nothing hangs.
 */
class HostileInputTest {
    @TempDir static Path dir;
    static Path train, model, fifo, loop, dangling, huge, zeros, nanModel, badConfigModel, noTarget;

    @BeforeAll
    static void files() throws Exception {
        train = TestFiles.data(dir.resolve("train.h5"), 16, 4, 1);
        model = dir.resolve("model.h5");
        Hostile.Result r = run("train", "--operator", "test-affine", "--data", train.toString(), "--epochs", "1", "--no-progress",
                "--out", model.toString());
        assertEquals(0, r.code(), r.err());
        fifo = dir.resolve("fifo.h5");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor());
        loop = dir.resolve("loop.h5");
        Files.createSymbolicLink(loop, dir.resolve("loop2.h5"));
        Files.createSymbolicLink(dir.resolve("loop2.h5"), loop);
        dangling = Files.createSymbolicLink(dir.resolve("dangling.h5"), dir.resolve("gone.h5"));
        huge = Files.copy(resource("declared-huge.h5"), dir.resolve("declared-huge.h5"));

        Map<String, Tensor> fields = new LinkedHashMap<>();
        fields.put("x", Tensor.of(new float[16 * 16], 16, 4, 4).add(1));
        fields.put("y", Tensor.of(new float[16 * 16], 16, 4, 4));
        zeros = dir.resolve("zero-targets.h5");
        DatasetSource.find().write(zeros, DatasetContent.of(fields).withAttributes(Map.of("input", "x", "target", "y")));
        noTarget = dir.resolve("no-target.h5");
        DatasetSource.find().write(noTarget, DatasetContent.of(Map.of("q", Tensor.of(new float[16], 1, 4, 4))));

        Checkpoint c = CheckpointStore.find().load(model);
        Map<String, Tensor> tensors = new LinkedHashMap<>(c.tensors());
        String weight = tensors.keySet().stream().filter(k -> k.startsWith("model/")).findFirst().orElseThrow();
        tensors.put(weight, tensors.get(weight).mul(Double.NaN));
        nanModel = dir.resolve("nan-model.h5");
        CheckpointStore.find().save(new Checkpoint(c.attributes(), tensors), nanModel);
        Map<String, String> attrs = new LinkedHashMap<>(c.attributes());
        attrs.put("config", "{\"lr\": ");
        badConfigModel = dir.resolve("bad-config.h5");
        CheckpointStore.find().save(new Checkpoint(attrs, c.tensors()), badConfigModel);
    }

    static Path resource(String name) throws URISyntaxException {
        return Path.of(HostileInputTest.class.getResource("/hostile/" + name).toURI());
    }

    /** The call within 20 s, however hostile the file (a FIFO would block a plain open forever). */
    static Hostile.Result quick(int code, List<String> mention, String... args) {
        return assertTimeoutPreemptively(Duration.ofSeconds(20), () -> refuse(code, dir, mention, args));
    }

    static String[] train(String... more) {
        List<String> a = new ArrayList<>(List.of("train", "--operator", "test-affine", "--no-progress", "--overwrite",
                "--out", dir.resolve("out-model.h5").toString()));
        a.addAll(List.of(more));
        if (!a.contains("--epochs")) a.addAll(List.of("--epochs", "1"));
        if (!a.contains("--data")) {
            a.add("--data");
            a.add(train.toString());
        }
        return a.toArray(String[]::new);
    }

    // ---- data

    @Test void inspectAFifoIsRefusedWithoutBlocking() {
        quick(Main.FAILED, List.of(fifo.toString(), "special file"), "data", "inspect", fifo.toString());
    }

    @Test void inspectADeviceIsRefused() {
        quick(Main.FAILED, List.of("/dev/zero", "special file"), "data", "inspect", "/dev/zero");
    }

    @Test void inspectASymbolicLinkLoopSaysLoop() {
        quick(Main.FAILED, List.of(loop.toString(), "symbolic link loop"), "data", "inspect", loop.toString());
    }

    @Test void inspectADanglingLinkSaysSo() {
        quick(Main.FAILED, List.of(dangling.toString(), "symbolic link to nothing"), "data", "inspect", dangling.toString());
    }

    @Test void inspectAFolder() {
        quick(Main.FAILED, List.of(dir.toString(), "a directory"), "data", "inspect", dir.toString());
    }

    @Test void inspectAnEmptyFile() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.h5"));
        quick(Main.FAILED, List.of(empty.toString(), "an empty file"), "data", "inspect", empty.toString());
    }

    @Test void inspectAFileDeclaringATerabyteInSixKilobytesEndsAtOnce() {
        quick(Main.FAILED, List.of(huge.toString(), "'a'", "mostly unwritten"), "data", "inspect", huge.toString());
    }

    @Test void convertAFifo() {
        quick(Main.FAILED, List.of(fifo.toString(), "special file"), "data", "convert", fifo.toString(), dir.resolve("c.h5").toString());
    }

    @Test void convertAnUnknownLayout() {
        quick(Main.FAILED, List.of(train.toString(), "bogus"), "data", "convert", train.toString(), dir.resolve("c2.h5").toString(),
                "--layout", "bogus");
    }

    // ---- generate

    @Test void generateAResolutionTheHeapCannotHoldIsRefusedAtOnce() {
        Hostile.Result r = quick(Main.USAGE, List.of("--res 100000", "bytes", "available", "OPFORGE_JAVA_OPTS=-Xmx"), "generate",
                "antiderivative", "--res", "100000", "--n", "2", "--no-progress", "--out", dir.resolve("g.h5").toString());
        assertFalse(Files.exists(dir.resolve("g.h5")));
    }

    @Test void generateASampleCountTheHeapCannotHold() {
        quick(Main.USAGE, List.of("--n 2000000000", "bytes", "OPFORGE_JAVA_OPTS=-Xmx"), "generate", "antiderivative", "--res", "100",
                "--n", "2000000000", "--no-progress", "--out", dir.resolve("g.h5").toString());
    }

    @Test void generateZeroSamples() {
        quick(Main.USAGE, List.of("--n 0", "at least 1"), "generate", "antiderivative", "--n", "0", "--no-progress", "--out",
                dir.resolve("g.h5").toString());
    }

    @Test void generateNegativeResolution() {
        quick(Main.USAGE, List.of("--res -4", "at least 1"), "generate", "darcy", "--n", "1", "--res", "-4", "--no-progress", "--out",
                dir.resolve("g.h5").toString());
    }

    @Test void generateZeroThreads() {
        quick(Main.USAGE, List.of("--threads 0", "at least 1"), "generate", "darcy", "--n", "1", "--threads", "0", "--no-progress", "--out",
                dir.resolve("g.h5").toString());
    }

    @Test void generateCoefficientsFromAFifo() {
        quick(Main.USAGE, List.of("--coefficients " + fifo, "special file"), "generate", "darcy", "--coefficients", fifo.toString(),
                "--no-progress", "--out", dir.resolve("g.h5").toString());
    }

    // ---- train

    @Test void trainZeroSamples() {
        quick(Main.USAGE, List.of("--train-samples 0", "expected at least 1"), train("--train-samples", "0"));
    }

    @Test void trainNegativeSamples() {
        quick(Main.USAGE, List.of("--train-samples -3", "expected at least 1"), train("--train-samples", "-3"));
    }

    @Test void trainMoreSamplesThanTheFileHolds() {
        quick(Main.USAGE, List.of("--train-samples 1000", "expected 1..16", train + " holds 16 samples"), train("--train-samples", "1000"));
    }

    @Test void trainZeroEpochs() {
        quick(Main.USAGE, List.of("--epochs 0", "at least 1"), train("--epochs", "0"));
    }

    @Test void trainOnAFifo() {
        quick(Main.FAILED, List.of(fifo.toString(), "special file"), train("--data", fifo.toString()));
    }

    @Test void trainOnASymbolicLinkLoop() {
        quick(Main.FAILED, List.of(loop.toString(), "symbolic link loop"), train("--data", loop.toString()));
    }

    @Test void trainOnADeclaredTerabyte() {
        quick(Main.FAILED, List.of(huge.toString(), "mostly unwritten"), train("--data", huge.toString()));
    }

    @Test void trainOnZeroTargetsIsNotCalledALearningRateProblem() {
        // the test operator's loss is MSE: training succeeds, the relative error on the zero targets is undefined
        String line = quick(Main.FAILED, List.of("training failed", "relative L2 on zero-targets.h5 is undefined", "zero everywhere"),
                train("--data", zeros.toString(), "--test", zeros.toString())).line();
        assertFalse(line.contains("learning rate") || line.contains("diverged"), line);
    }

    @Test void trainWithAConfigFifo() {
        quick(Main.FAILED, List.of("config file " + fifo, "special file"), train("--config", fifo.toString()));
    }

    @Test void trainWithANegativeBatchSize() {
        quick(Main.FAILED, List.of("batch_size", "-1"), train("--set", "batch_size=-1"));
    }

    @Test void trainWithANonPositiveTimeBudget() {
        quick(Main.USAGE, List.of("--time-budget -1.0", "positive"), train("--time-budget", "-1"));
    }

    // ---- eval

    @Test void evalNegativeBatch() {
        quick(Main.USAGE, List.of("--batch -1", "at least 1"), "eval", model.toString(), train.toString(), "--batch", "-1");
    }

    @Test void evalZeroSamples() {
        quick(Main.USAGE, List.of("--samples 0", "at least 1"), "eval", model.toString(), train.toString(), "--samples", "0");
    }

    @Test void evalMoreSamplesThanTheFileHolds() {
        quick(Main.USAGE, List.of("--samples 17", "holds 16 samples"), "eval", model.toString(), train.toString(), "--samples", "17");
    }

    @Test void evalZeroSubsample() {
        quick(Main.USAGE, List.of("--subsample 0", "at least 1"), "eval", model.toString(), train.toString(), "--subsample", "0");
    }

    @Test void evalACheckpointWithNanWeightsNamesTheTensor() {
        quick(Main.FAILED, List.of(nanModel.toString(), "model/", "finite weights", "NaN"), "eval", nanModel.toString(), train.toString());
    }

    @Test void evalACheckpointWithABrokenConfigNamesFileAndAttribute() {
        quick(Main.FAILED, List.of(badConfigModel.toString(), "config"), "eval", badConfigModel.toString(), train.toString());
    }

    @Test void evalOnDataWithoutTheModelsFieldsGivesNoAdviceItCannotFollow() {
        String line = quick(Main.FAILED, List.of(noTarget.toString(), "'x'"), "eval", model.toString(), noTarget.toString()).line();
        assertFalse(line.contains("--set"), "eval has no --set: " + line);
    }

    @Test void evalAModelThatIsAFifo() {
        quick(Main.FAILED, List.of(fifo.toString(), "special file"), "eval", fifo.toString(), train.toString());
    }

    // ---- predict

    @Test void predictNegativeBatch() {
        quick(Main.USAGE, List.of("--batch -1", "at least 1"), "predict", model.toString(), train.toString(), dir.resolve("p.h5").toString(),
                "--batch", "-1");
    }

    @Test void predictWithNanWeights() {
        quick(Main.FAILED, List.of(nanModel.toString(), "finite weights"), "predict", nanModel.toString(), train.toString(),
                dir.resolve("p.h5").toString());
        assertFalse(Files.exists(dir.resolve("p.h5")));
    }

    @Test void predictOnDataWithoutTheInputFieldGivesNoAdviceItCannotFollow() {
        String line = quick(Main.FAILED, List.of(noTarget.toString(), "'x'"), "predict", model.toString(), noTarget.toString(),
                dir.resolve("p.h5").toString()).line();
        assertFalse(line.contains("--set"), "predict has no --set: " + line);
    }

    @Test void predictFromASymbolicLinkLoop() {
        quick(Main.FAILED, List.of(loop.toString(), "symbolic link loop"), "predict", model.toString(), loop.toString(),
                dir.resolve("p.h5").toString());
    }

    // ---- bench

    @Test void benchASuiteThatIsAFifo() {
        quick(Main.USAGE, List.of(fifo.toString(), "special file"), "bench", fifo.toString(), "--no-progress");
    }

    @Test void benchASuiteThatIsALoop() {
        quick(Main.USAGE, List.of(loop.toString(), "symbolic link loop"), "bench", loop.toString(), "--no-progress");
    }

    @Test void benchWithMoreTrainSamplesThanTheFileHoldsRecordsTheReason() throws Exception {
        Path suite = TestFiles.write(dir.resolve("ts.yaml"), "name: ts\ndata: [{name: lin, train: train.h5, train_samples: 99}]\n"
                + "operators: [{factory: test-affine}]\ntraining: {epochs: 1}\n");
        Path out = dir.resolve("bench-ts");
        Hostile.Result r = run("bench", suite.toString(), "--no-progress", "--out", out.toString());
        assertEquals(Main.FAILED, r.code(), r.err());
        assertTrue(Files.readString(out.resolve("results.json")).contains("holds 16 samples, fewer than the 99 asked for"));
    }

    // ---- bundles, operators and the commands that start a container, on a deploy directory with faults

    static Path faultyDeploy() throws IOException {
        Path deploy = Files.createDirectories(dir.resolve("faulty-deploy"));
        if (!Files.exists(deploy.resolve("garbage.jar"))) {
            Files.writeString(deploy.resolve("garbage.jar"), "this is not a jar");
            Files.createDirectories(deploy.resolve("folder.jar"));
            Files.write(deploy.resolve("empty.jar"), new byte[0]);
        }
        return deploy;
    }

    @Test void bundlesNamesEveryFileThatIsNotABundleWithTheReason() throws IOException {
        Path deploy = faultyDeploy();
        Map<Path, String> before = Hostile.checksums(deploy);
        Hostile.Result r = assertTimeoutPreemptively(Duration.ofSeconds(15), () -> run("bundles", "--deploy", deploy.toString()));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("ignored  -       -        empty.jar    an empty file, not a jar"), r.out());
        assertTrue(r.out().contains("folder.jar   a directory, not a bundle jar"), r.out());
        assertTrue(r.out().contains("garbage.jar  not a valid jar (zip) file"), r.out());
        assertEquals(before, Hostile.checksums(deploy));
    }

    @Test void bundlesJsonGivesTheReason() throws IOException {
        Path deploy = faultyDeploy();
        Hostile.Result r = run("bundles", "--deploy", deploy.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\"state\" : \"ignored\""), r.out());
        assertTrue(r.out().contains("\"file\" : \"garbage.jar\""), r.out());
    }

    @Test void aBrokenJarCostsOtherCommandsNoTime() throws IOException {
        Path deploy = faultyDeploy();
        // before, every container start waited its 30 s start timeout for the jars File Install never installed
        Hostile.Result r = assertTimeoutPreemptively(Duration.ofSeconds(15), () -> run("operators", "--deploy", deploy.toString()));
        assertEquals(0, r.code(), r.err());
        Hostile.Result e = assertTimeoutPreemptively(Duration.ofSeconds(15), () -> run("eval", model.toString(), train.toString(),
                "--deploy", deploy.toString()));
        assertEquals(0, e.code(), e.err());
    }
}
