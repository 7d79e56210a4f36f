package org.opforge.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SuiteLoaderTest {
    @TempDir static Path dir;

    @BeforeAll
    static void data() {
        TestFiles.standardData(dir);
    }

    private static final String VALID = String.join("\n",
            "name: tiny",
            "data:",
            "  - name: lin",
            "    train: train.h5",
            "    test: [test.h5, {file: test16.h5, subsample: 2}]",
            "operators:",
            "  - {name: a, factory: test-affine}",
            "  - name: b",
            "    factory: test-affine",
            "    config: {init_scale: 0.5}",
            "training: {epochs: 2, lr: 0.1, seed: 3, repetitions: 2}",
            "limits: {time_budget_s: 60}",
            "");

    private static Suite load(String name, String text) {
        return SuiteLoader.load(TestFiles.write(dir.resolve(name), text), OperatorCatalog.classPath());
    }

    private static List<String> problems(String name, String text) {
        return assertThrows(SuiteException.class, () -> load(name, text)).problems();
    }

    @Test
    void validSuiteExpandsToOperatorTimesDataTimesSeed() {
        Suite s = load("valid.yaml", VALID);
        assertEquals(List.of("a__lin__s3", "a__lin__s4", "b__lin__s3", "b__lin__s4"), s.entries().stream().map(Suite.Entry::id).toList());
        Suite.DataSet d = s.data().get(0);
        assertEquals(dir.resolve("train.h5"), d.train());
        assertEquals(2, d.tests().get(1).subsample());
        assertEquals(dir.resolve("test.h5"), d.validation().orElseThrow().file(), "the first test file validates by default");
        assertEquals(60.0, s.timeBudget());
        assertTrue(s.warnings().isEmpty(), s.warnings().toString());
        assertNull(s.entries().get(0).problem());
    }

    @Test
    void everyStructuralProblemIsReportedWithItsLineAndKeyBeforeAnythingRuns() {
        String text = String.join("\n",
                "name: broken",                              // 1
                "data:",                                     // 2
                "  - name: lin",                             // 3
                "    train: missing.h5",                     // 4
                "    tset: test.h5",                         // 5
                "operators:",                                // 6
                "  - {factory: test-affine}",                // 7
                "training: {epochs: 2, repetitions: zero}",  // 8
                "limits: {time_budget_s: -5}",               // 9
                "metrics: {measures: [relative_l2, l7]}",    // 10
                "");
        List<String> p = problems("broken.yaml", text);
        assertEquals(5, p.size(), p.toString());
        assertLine(p, 4, "data[0].train", "missing.h5");
        assertLine(p, 5, "data[0].tset", "unknown key");
        assertLine(p, 8, "training.repetitions", "whole number");
        assertLine(p, 9, "limits.time_budget_s", "positive");
        assertLine(p, 10, "metrics.measures", "unknown metric 'l7'");
    }

    @Test
    void yamlSyntaxErrorNamesTheLine() {
        List<String> p = problems("syntax.yaml", "name: x\ndata: [\n  - a\noperators: {\n");
        assertEquals(1, p.size());
        assertTrue(p.get(0).matches(".*syntax\\.yaml:\\d+: YAML syntax: .*"), p.get(0));
    }

    @Test
    void unknownOperatorAndRejectedConfigBreakOnlyTheirEntries() {
        String text = String.join("\n",
                "name: partly",                                   // 1
                "data:",                                          // 2
                "  - {name: lin, train: train.h5, test: test.h5}",// 3
                "operators:",                                     // 4
                "  - {name: good, factory: test-affine}",         // 5
                "  - {name: typo, factory: test-afine}",          // 6
                "  - name: badkey",                               // 7
                "    factory: test-affine",                       // 8
                "    config: {modez: 3}",                         // 9
                "  - name: badvalue",                             // 10
                "    factory: test-affine",                       // 11
                "    config:",                                    // 12
                "      lr: fast",                                 // 13
                "training: {epochs: 1}",                          // 14
                "");
        Suite s = load("partly.yaml", text);
        List<String> w = s.warnings();
        assertEquals(3, w.size(), w.toString());
        assertLine(w, 6, "operators[1].factory", "unknown operator 'test-afine'; known operators: test-affine");
        assertLine(w, 9, "operators[2].config.modez", "unknown key 'modez'");
        assertLine(w, 13, "operators[3].config.lr", "expected number, found 'fast'");
        List<Suite.Entry> e = s.entries();
        assertEquals(4, e.size());
        assertNull(e.get(0).problem());
        assertNotNull(e.get(1).problem());
        assertNotNull(e.get(2).problem());
        assertNotNull(e.get(3).problem());
    }

    @Test
    void aTrainingKeyAnOperatorDoesNotDeclareIsReportedAtItsLine() {
        String text = "name: t\ndata: [{name: lin, train: train.h5}]\noperators: [{factory: test-affine}]\ntraining:\n  epochs: 1\n  loss: h1\n";
        Suite s = load("loss.yaml", text);
        assertLine(s.warnings(), 6, "training.loss", "operator 'test-affine' (operators[0]) has no key 'loss'");
    }

    @Test
    void aDataFieldTheOperatorWouldReadMustExist() {
        String text = "name: t\ndata: [{name: lin, train: train.h5}]\noperators:\n  - {factory: test-affine, config: {data.input: u}}\n";
        Suite s = load("field.yaml", text);
        assertLine(s.warnings(), 4, "operators[test-affine] on data 'lin'", "has no per-sample field 'u' (data.input)");
    }

    private static void assertLine(List<String> problems, int line, String key, String text) {
        String prefix = ":" + line + ": " + key + ": ";
        assertTrue(problems.stream().anyMatch(p -> p.contains(prefix) && p.contains(text)),
                "expected a problem at line " + line + " for " + key + " mentioning \"" + text + "\"; got\n" + String.join("\n", problems));
    }
}
