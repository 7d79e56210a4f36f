package org.opforge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Black-box test of the distribution: runs {@code bin/opforge run --deploy DIR} as a separate
 * process on the JVM running this test, changes jars in DIR, and expects the lifecycle lines on the
 * process's stdout within 3 s of each change. Runs after the distribution is assembled (failsafe,
 * integration-test phase).
 */
class LauncherIT {
    private static final Duration WITHIN = Duration.ofSeconds(3);

    @Test
    void runPrintsOneLinePerLifecycleEventWithinThreeSeconds(@TempDir Path tmp) throws Exception {
        Path root = Paths.get(System.getProperty("opforge.root", "..")).toAbsolutePath().normalize();
        Path launcher = root.resolve("bin/opforge");
        assertTrue(Files.isExecutable(launcher), launcher + " is missing or not executable");
        try (var jars = Files.list(root.resolve("bundles/lib"))) {
            assertTrue(jars.anyMatch(p -> p.toString().endsWith(".jar")),
                    "bundles/lib is empty: the distribution is assembled by 'mvn install' (module bundles) before this test");
        }
        Path deploy = Files.createDirectories(tmp.resolve("deploy"));
        TestBundles.Built jars = TestBundles.buildAll(tmp.resolve("built"));

        ProcessBuilder pb = new ProcessBuilder(launcher.toString(), "run", "--deploy", deploy.toString());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = pb.start();
        EventLog stdout = new EventLog();
        EventLog stderr = new EventLog();
        pump(process.getInputStream(), stdout);
        pump(process.getErrorStream(), stderr);
        try {
            stderr.await(0, "container running", l -> l.contains("container running"), Duration.ofSeconds(30));

            TestBundles.deploy(jars.alpha(), deploy, "alpha.jar");
            stdout.awaitLine(0, "bundle installed: org.opforge.it.alpha 1.0.0", WITHIN);
            stdout.awaitLine(0, "operator registered: alpha (bundle org.opforge.it.alpha 1.0.0)", WITHIN);

            int mark = stdout.lines().size();
            TestBundles.deploy(jars.swap1(), deploy, "swap.jar");
            stdout.awaitLine(mark, "bundle installed: org.opforge.it.swap 1.0.0", WITHIN);
            stdout.awaitLine(mark, "operator registered: swap (bundle org.opforge.it.swap 1.0.0)", WITHIN);

            mark = stdout.lines().size();
            TestBundles.deploy(jars.swap2(), deploy, "swap.jar");
            stdout.awaitLine(mark, "operator unregistered: swap (bundle org.opforge.it.swap 1.0.0)", WITHIN);
            stdout.awaitLine(mark, "bundle updated: org.opforge.it.swap 2.0.0 (was 1.0.0)", WITHIN);
            stdout.awaitLine(mark, "operator registered: swap (bundle org.opforge.it.swap 2.0.0)", WITHIN);

            mark = stdout.lines().size();
            TestBundles.deploy(jars.broken(), deploy, "broken.jar");
            stdout.awaitLine(mark, "bundle installed: org.opforge.it.broken 1.0.0", WITHIN);
            String failed = stdout.awaitPrefix(mark, "bundle failed: org.opforge.it.broken 1.0.0: ", WITHIN);
            assertTrue(failed.contains("org.opforge.it.nowhere"), failed);

            mark = stdout.lines().size();
            Files.delete(deploy.resolve("swap.jar"));
            stdout.awaitLine(mark, "operator unregistered: swap (bundle org.opforge.it.swap 2.0.0)", WITHIN);
            stdout.awaitLine(mark, "bundle uninstalled: org.opforge.it.swap 2.0.0", WITHIN);
        } finally {
            // SIGTERM through the handle: Process.destroy would also close our ends of its pipes
            process.toHandle().destroy();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "opforge run did not stop within 30 s of SIGTERM");
        }
        List<String> lines = stdout.lines();
        for (String l : lines) {
            assertTrue(l.matches("(bundle (installed|updated|uninstalled|failed)|operator (registered|unregistered)|file ignored): .+"),
                    "stdout carries only lifecycle lines, found: " + l + "\nstderr: " + stderr.lines());
        }
        assertTrue(lines.stream().noneMatch(l -> l.contains("alpha") && l.contains("unregistered")),
                "alpha stays registered through the other bundles' changes: " + lines);
        assertEquals(List.of(), stderr.lines().stream().filter(l -> l.contains("Exception") || l.startsWith("\tat "))
                .collect(java.util.stream.Collectors.toList()), "no stack traces on stderr");
    }

    /**
     * Faults and signals through the real launcher: a jar that is not a bundle is an event line of
     * {@code run}, SIGTERM ends it with 143, an interrupted bench with 130 (README's table), and
     * neither leaves a temporary file or a bundle cache behind (the JVM's temporary folder is the
     * test's own, so other processes' caches do not count).
     */
    @Test
    void signalsEndWithTheDocumentedCodesAndLeaveNothingBehind(@TempDir Path tmp) throws Exception {
        Path root = Paths.get(System.getProperty("opforge.root", "..")).toAbsolutePath().normalize();
        Path launcher = root.resolve("bin/opforge");
        Path jvmTmp = Files.createDirectories(tmp.resolve("jvm-tmp"));
        Path deploy = Files.createDirectories(tmp.resolve("deploy"));
        Files.writeString(deploy.resolve("bad.jar"), "not a jar");

        Process run = start(launcher, jvmTmp, "run", "--deploy", deploy.toString());
        EventLog out = new EventLog(), err = new EventLog();
        pump(run.getInputStream(), out);
        pump(run.getErrorStream(), err);
        err.await(0, "container running", l -> l.contains("container running"), Duration.ofSeconds(30));
        out.awaitPrefix(0, "file ignored: bad.jar: not a valid jar (zip) file", WITHIN);
        run.toHandle().destroy();
        assertTrue(run.waitFor(30, TimeUnit.SECONDS), "run did not stop on SIGTERM");
        assertEquals(143, run.exitValue(), "SIGTERM: " + err.lines());
        assertEquals(List.of(), listing(jvmTmp), "the bundle cache is removed on SIGTERM");

        Path suite = Files.writeString(tmp.resolve("endless.yaml"), String.join("\n",
                "name: endless",
                "data: [{name: anti, generate: {problem: antiderivative, parameters: {resolution: 20}, train_samples: 8, test_samples: 2}}]",
                "operators: [{factory: deeponet, config: {epochs: 100000000}}]",
                ""));
        Path results = tmp.resolve("results");
        Process bench = start(launcher, jvmTmp, "bench", suite.toString(), "--no-progress", "--out", results.toString(), "--deploy",
                root.resolve("bundles/deploy").toString());
        EventLog bout = new EventLog(), berr = new EventLog();
        pump(bench.getInputStream(), bout);
        pump(bench.getErrorStream(), berr);
        bout.await(0, "an epoch", l -> l.contains("epoch"), Duration.ofSeconds(60));
        assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(bench.pid())).start().waitFor());
        assertTrue(bench.waitFor(60, TimeUnit.SECONDS), "bench did not stop on SIGINT");
        assertEquals(130, bench.exitValue(), "SIGINT: " + berr.lines());
        assertTrue(Files.readString(results.resolve("results.json")).contains("\"interrupted\""), "the interrupted run is recorded");
        try (var all = Files.walk(results)) {
            assertEquals(List.of(), all.filter(p -> p.getFileName().toString().contains(".tmp")).toList(), "no temporary file left");
        }
        assertEquals(List.of(), listing(jvmTmp), "the bundle cache is removed on SIGINT");
    }

    /** An OutOfMemoryError, here in a worker thread of generate, ends as one line saying how to raise the heap, exit 1. */
    @Test
    void outOfMemoryIsOneLine(@TempDir Path tmp) throws Exception {
        Path launcher = Paths.get(System.getProperty("opforge.root", "..")).toAbsolutePath().normalize().resolve("bin/opforge");
        Path out = tmp.resolve("darcy.h5");
        // 513 x 513 fits the heap check (the fields) but not the solver's working memory in a 48 MiB heap
        Process p = startWith(launcher, tmp, "-Xmx48m", "generate", "darcy", "--res", "513", "--n", "2", "--threads", "1", "--no-progress",
                "--out", out.toString());
        EventLog stdout = new EventLog(), stderr = new EventLog();
        pump(p.getInputStream(), stdout);
        pump(p.getErrorStream(), stderr);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "generate did not end");
        Thread.sleep(200);
        assertEquals(1, p.exitValue(), stderr.lines().toString());
        List<String> lines = stderr.lines().stream().filter(l -> !l.startsWith("WARNING: Using incubator modules")).toList();
        assertEquals(1, lines.size(), "one line: " + lines);
        assertTrue(lines.get(0).startsWith("opforge generate: out of memory: ") && lines.get(0).contains("OPFORGE_JAVA_OPTS=-Xmx"), lines.get(0));
        assertTrue(!Files.exists(out) && listing(tmp).equals(List.of()), "nothing written: " + listing(tmp));
    }

    private static Process start(Path launcher, Path jvmTmp, String... args) throws IOException {
        return startWith(launcher, jvmTmp, "", args);
    }

    private static Process startWith(Path launcher, Path jvmTmp, String javaOpts, String... args) throws IOException {
        List<String> cmd = new java.util.ArrayList<>(List.of(launcher.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("OPFORGE_JAVA_OPTS", (javaOpts + " -Djava.io.tmpdir=" + jvmTmp).trim());
        return pb.start();
    }

    private static List<String> listing(Path dir) throws IOException {
        try (var all = Files.list(dir)) {
            return all.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("hsperfdata")).sorted().toList();
        }
    }

    private static void pump(InputStream in, EventLog log) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) log.add(line);
            } catch (IOException e) {
                // the process is gone; what it wrote before is in the log
            }
        }, "opforge-output");
        t.setDaemon(true);
        t.start();
    }
}
