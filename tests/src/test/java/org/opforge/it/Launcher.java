package org.opforge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the assembled distribution's {@code bin/opforge} as a separate process, on the JVM running the tests. */
final class Launcher {
    /** The repository root (system property {@code opforge.root}, set by the pom). */
    static final Path ROOT = Paths.get(System.getProperty("opforge.root", "..")).toAbsolutePath().normalize();

    private Launcher() {}

    /** Output of one call: what went to stdout and to stderr. */
    record Output(String stdout, String stderr) {}

    /** Runs {@code bin/opforge args}; returns stdout, failing with both streams when the exit code is not 0. */
    static String run(String... args) throws Exception {
        return call(args).stdout();
    }

    /** As {@link #run}, with stderr too. */
    static Output call(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(ROOT.resolve("bin/opforge").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Path stdout = Files.createTempFile("opforge-out", ".txt");
        Path stderr = Files.createTempFile("opforge-err", ".txt");
        try {
            Process p = pb.redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "opforge " + String.join(" ", args) + " did not finish within 120 s");
            Output o = new Output(Files.readString(stdout, StandardCharsets.UTF_8), Files.readString(stderr, StandardCharsets.UTF_8));
            assertEquals(0, p.exitValue(), "opforge " + String.join(" ", args) + "\nstdout: " + o.stdout() + "\nstderr: " + o.stderr());
            return o;
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }
}
