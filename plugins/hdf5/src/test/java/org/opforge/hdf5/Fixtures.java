package org.opforge.hdf5;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The committed fixtures, the value formula of make_fixtures.py, and the optional h5py. */
final class Fixtures {
    static final Path PYTHON = Path.of("/usr/bin/python3");
    private static Boolean h5py;

    private Fixtures() {}

    static Path dir() {
        try {
            return Path.of(Fixtures.class.getResource("/fixtures/make_fixtures.py").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path file(String name) {
        return dir().resolve(name);
    }

    /** make_fixtures.py's float formula for C-order linear index {@code l}. */
    static double value(long l, int seed) {
        return ((l * 37 + seed * 11L) % 1001) * 0.0625 - 20.0;
    }

    static double int16(long l, int seed) {
        return (l * 37 + seed * 11L) % 200 - 100;
    }

    static double uint8(long l, int seed) {
        return (l * 37 + seed * 11L) % 250;
    }

    /** Asserts {@code actual} holds the formula's values for linear indices {@code [from, from + n)} exactly. */
    static void assertFormula(double[] actual, int actualOffset, long from, int n, int seed, String what) {
        for (int i = 0; i < n; i++) {
            assertEquals(value(from + i, seed), actual[actualOffset + i], 0.0, what + " at linear index " + (from + i));
        }
    }

    /** True when /usr/bin/python3 imports h5py (checked once). */
    static synchronized boolean h5pyAvailable() {
        if (h5py == null) {
            h5py = Files.isExecutable(PYTHON) && python(List.of("-c", "import h5py, numpy"), 60).exitCode == 0;
        }
        return h5py;
    }

    record Result(int exitCode, String output) {}

    static Result python(List<String> args, int timeoutSeconds) {
        List<String> cmd = new ArrayList<>();
        cmd.add(PYTHON.toString());
        cmd.addAll(args);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out after " + timeoutSeconds + " s");
            }
            return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, e.toString());
        }
    }

    /** Runs make_fixtures.py into {@code out}; fails the test on a script error. */
    static void makeFreshFixtures(Path out) {
        Result r = python(List.of(file("make_fixtures.py").toString(), out.toString()), 120);
        assertEquals(0, r.exitCode, "make_fixtures.py failed:\n" + r.output);
    }
}
