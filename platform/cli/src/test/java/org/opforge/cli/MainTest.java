package org.opforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    /** A thread other than the command's that runs out of memory is noted, not printed (its stack only with --debug); other failures print. */
    @Test
    void otherThreadsRunningOutOfMemoryAreNotedNotPrinted() throws Exception {
        StringWriter quiet = new StringWriter(), loud = new StringWriter();
        Main.ThreadFailures plain = new Main.ThreadFailures(new PrintWriter(quiet, true), false);
        Main.ThreadFailures debug = new Main.ThreadFailures(new PrintWriter(loud, true), true);
        Thread watcher = new Thread(() -> { }, "deploy-watcher");
        assertTrue(!plain.outOfMemory());
        plain.uncaughtException(watcher, new OutOfMemoryError("Java heap space"));
        debug.uncaughtException(watcher, new IllegalStateException("wrapped", new OutOfMemoryError("Java heap space")));
        assertTrue(plain.outOfMemory() && debug.outOfMemory());
        assertEquals("", quiet.toString());
        assertTrue(loud.toString().startsWith("Exception in thread \"deploy-watcher\" java.lang.IllegalStateException: wrapped"), loud.toString());
        plain.uncaughtException(watcher, new IllegalArgumentException("bad"));
        assertTrue(quiet.toString().startsWith("Exception in thread \"deploy-watcher\" java.lang.IllegalArgumentException: bad"), quiet.toString());
    }

    @Test
    void infoReportsJvmCoresSimdAndCuda(@TempDir Path deploy) throws Exception {
        assertEquals(0, run("info", "--json", "--deploy", deploy.toString()), err.toString());
        JsonNode info = new ObjectMapper().readTree(out.toString());
        assertEquals(Runtime.getRuntime().availableProcessors(), info.get("cores").asInt());
        assertTrue(info.get("java").asText().startsWith(System.getProperty("java.version")));
        String simd = info.get("simd").asText();
        boolean vector = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        assertTrue(simd.startsWith(vector ? "available" : "unavailable: the JVM was started without --add-modules"), simd);
        assertEquals("unavailable: no CUDA backend bundle in " + deploy.toRealPath(), info.get("cuda").asText());
    }

    @Test
    void listingsOfAnEmptyDeployDir(@TempDir Path deploy) {
        assertEquals(0, run("operators", "--deploy", deploy.toString(), "--json"), err.toString());
        assertEquals("[ ]", out.toString().trim());
        assertEquals(0, run("bundles", "--deploy", deploy.toString(), "--all"), err.toString());
        assertTrue(out.toString().contains("active  org.apache.felix.scr"), out.toString());
    }

    @Test
    void aMissingDeployDirIsOneLineAndExitCodeOne(@TempDir Path tmp) {
        Path missing = tmp.resolve("nowhere");
        assertEquals(Main.FAILED, run("operators", "--deploy", missing.toString()));
        assertEquals("opforge operators: deploy directory '" + missing + "' does not exist or is not a directory",
                err.toString().trim());
    }

    @Test
    void usageErrorsSayWhatIsWrongAndWhereHelpIs() {
        assertEquals(Main.USAGE, run("bundles", "--bogus"));
        assertEquals("opforge: Unknown option: '--bogus'\nTry 'opforge bundles --help'.", err.toString().trim().replace("\r", ""));
    }

    @Test
    void noCommandIsAUsageError() {
        assertEquals(Main.USAGE, run());
        assertTrue(err.toString().startsWith("opforge: a command is required"), err.toString());
    }

    @Test
    void debugAfterTheSubcommandAddsTheStackTrace(@TempDir Path tmp) {
        assertEquals(Main.FAILED, run("operators", "--debug", "--deploy", tmp.resolve("x").toString()));
        assertTrue(err.toString().contains("at org.opforge.runtime.OpForgeContainer.start"), err.toString());
    }
}
