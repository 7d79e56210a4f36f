package org.opforge.cli.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.opforge.cli.hostile.Hostile.refuse;
import static org.opforge.cli.hostile.Hostile.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opforge.cli.Main;
import org.opforge.cli.bench.TestFiles;

/** Outputs over inputs, existing outputs, unwritable folders: refused before any work, nothing lost. */
class OutputSafetyTest {
    @TempDir static Path dir;
    static Path train, model;

    @BeforeAll
    static void files() {
        train = TestFiles.data(dir.resolve("train.h5"), 16, 4, 1);
        model = dir.resolve("model.h5");
        Hostile.Result r = run("train", "--operator", "test-affine", "--data", train.toString(), "--epochs", "1", "--no-progress",
                "--out", model.toString());
        assertEquals(0, r.code(), r.err());
    }

    private static String[] train(String out, String... more) {
        List<String> a = new java.util.ArrayList<>(List.of("train", "--operator", "test-affine", "--data", train.toString(),
                "--epochs", "1", "--no-progress", "--out", out));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    @Test
    void trainOutOverItsData() {
        refuse(Main.USAGE, dir, List.of("--out " + train, "same file as the input --data"), train(train.toString()));
    }

    @Test
    void trainOutOverItsDataEvenWithOverwrite() {
        refuse(Main.USAGE, dir, List.of("same file as the input --data"), train(train.toString(), "--overwrite"));
    }

    @Test
    void trainOutOverItsDataThroughASymbolicLink() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("link-to-train.h5"), train);
        try {
            refuse(Main.USAGE, dir, List.of("same file as the input --data"), train(link.toString(), "--overwrite"));
        } finally {
            Files.delete(link);
        }
    }

    @Test
    void trainOutOverItsTestFile() {
        Path test = TestFiles.data(dir.resolve("t-test.h5"), 4, 4, 2);
        refuse(Main.USAGE, dir, List.of("same file as the input --test"), train(test.toString(), "--test", test.toString(), "--overwrite"));
    }

    @Test
    void trainOverAnExistingModelNeedsOverwrite() throws IOException {
        Path existing = Files.copy(model, dir.resolve("existing.h5"));
        refuse(Main.USAGE, dir, List.of("--out " + existing, "already exists", "--overwrite"), train(existing.toString()));
        Hostile.Result r = run(train(existing.toString(), "--overwrite"));
        assertEquals(0, r.code(), r.err());
    }

    @Test
    void trainIntoAnUnwritableFolderFailsBeforeTraining() throws IOException {
        Path notAFolder = Files.writeString(dir.resolve("plain-file"), "x");
        Hostile.Result r = refuse(Main.USAGE, dir, List.of("--out " + notAFolder.resolve("m.h5"), "is not a folder"),
                train(notAFolder.resolve("m.h5").toString()));
        assertFalse(r.out().contains("epoch"), "no training happened: " + r.out());
        assertFalse(r.err().contains(".tmp"), "no temporary name: " + r.err());
    }

    @Test
    void trainIntoAReadOnlyFolderNamesThePathAndTheCause() {
        // /proc/self is writable by nobody, root included
        refuse(Main.USAGE, dir, List.of("--out /proc/self/m.h5", "not writable"), train("/proc/self/m.h5"));
    }

    @Test
    void predictOutOverItsInput() {
        refuse(Main.USAGE, dir, List.of("OUT " + train, "same file as the input IN"), "predict", model.toString(), train.toString(),
                train.toString(), "--overwrite");
    }

    @Test
    void predictOutOverItsModel() {
        refuse(Main.USAGE, dir, List.of("OUT " + model, "same file as the input MODEL"), "predict", model.toString(), train.toString(),
                model.toString(), "--overwrite");
    }

    @Test
    void predictOverAnExistingFileNeedsOverwrite() throws IOException {
        Path other = TestFiles.data(dir.resolve("other.h5"), 2, 4, 5);
        refuse(Main.USAGE, dir, List.of("OUT " + other, "already exists"), "predict", model.toString(), train.toString(), other.toString());
    }

    @Test
    void generateOverAnExistingFileNeedsOverwrite() {
        refuse(Main.USAGE, dir, List.of("--out " + train, "already exists", "--overwrite"), "generate", "antiderivative", "--n", "2",
                "--res", "8", "--no-progress", "--out", train.toString());
    }

    @Test
    void generateOutOverItsCoefficients() {
        refuse(Main.USAGE, dir, List.of("same file as the input --coefficients"), "generate", "darcy", "--coefficients", train.toString(),
                "--coefficients-field", "x", "--no-progress", "--overwrite", "--out", train.toString());
    }

    @Test
    void convertOutOverItsInput() {
        refuse(Main.USAGE, dir, List.of("/./train.h5", "same file as the input IN " + train), "data", "convert", train.toString(),
                dir.resolve(".").resolve("train.h5").toString(), "--overwrite");
    }

    @Test
    void convertOverAnExistingFileNeedsOverwrite() throws IOException {
        Path other = TestFiles.data(dir.resolve("other2.h5"), 2, 4, 5);
        refuse(Main.USAGE, dir, List.of("OUT " + other, "already exists"), "data", "convert", train.toString(), other.toString());
        Hostile.Result r = run("data", "convert", train.toString(), other.toString(), "--overwrite");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("wrote " + other), r.out());
    }

    @Test
    void benchOutThatIsAFile() throws IOException {
        Path suite = TestFiles.write(dir.resolve("s.yaml"), "name: s\ndata: [{name: lin, train: train.h5}]\noperators: [{factory: test-affine}]\n"
                + "training: {epochs: 1}\n");
        refuse(Main.USAGE, dir, List.of("--out " + train, "not a folder"), "bench", suite.toString(), "--no-progress", "--out", train.toString());
    }

    @Test
    void benchResumesKeepingFinishedRunsAndRefusesAnotherSuite() throws IOException {
        Path suite = TestFiles.write(dir.resolve("r.yaml"), "name: r\ndata: [{name: lin, train: train.h5}]\noperators: [{factory: test-affine}]\n"
                + "training: {epochs: 1, repetitions: 2}\n");
        Path out = dir.resolve("bench-r");
        Hostile.Result first = run("bench", suite.toString(), "--no-progress", "--out", out.toString());
        assertEquals(0, first.code(), first.err());
        Path checkpoint = out.resolve("checkpoints/test-affine__lin__s0.h5");
        String sum = Hostile.sha256(checkpoint);
        String results = Files.readString(out.resolve("results.json"));

        Hostile.Result again = run("bench", suite.toString(), "--no-progress", "--out", out.toString());
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("resuming in " + out + ": 2 run(s) finished earlier are kept"), again.out());
        assertFalse(again.out().contains("epoch 1/1"), "nothing trained again: " + again.out());
        assertEquals(sum, Hostile.sha256(checkpoint), "the finished run's checkpoint is kept");
        assertEquals(results.replaceAll("\"(java|os)\".*", ""), Files.readString(out.resolve("results.json")).replaceAll("\"(java|os)\".*", ""));

        Path other = TestFiles.write(dir.resolve("other.yaml"), "name: other\ndata: [{name: lin, train: train.h5}]\n"
                + "operators: [{factory: test-affine}]\ntraining: {epochs: 1}\n");
        refuse(Main.USAGE, dir, List.of("--out " + out, "results of another suite", "--overwrite"), "bench", other.toString(), "--no-progress",
                "--out", out.toString());
        refuse(Main.USAGE, dir, List.of("--out " + out, "another suite"), "bench", suite.toString(), "--set", "epochs=2", "--no-progress",
                "--out", out.toString());

        Hostile.Result over = run("bench", suite.toString(), "--no-progress", "--overwrite", "--out", out.toString());
        assertEquals(0, over.code(), over.err());
        assertTrue(over.out().contains("epoch 1/1"), "trained again: " + over.out());
    }

    @Test
    void benchWithUnreadableResultsIsRefused() throws IOException {
        Path suite = TestFiles.write(dir.resolve("u.yaml"), "name: u\ndata: [{name: lin, train: train.h5}]\noperators: [{factory: test-affine}]\n"
                + "training: {epochs: 1}\n");
        Path out = Files.createDirectories(dir.resolve("bench-u"));
        Files.writeString(out.resolve("results.json"), "{ truncated");
        refuse(Main.USAGE, dir, List.of("--out " + out, "results.json cannot be read", "--overwrite"), "bench", suite.toString(),
                "--no-progress", "--out", out.toString());
    }
}
