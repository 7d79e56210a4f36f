package org.opforge.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed PTX is what build-ptx.sh makes from the committed CUDA sources, and it assembles for
 * Hopper. Needs nvcc (ptxas); skipped with the reason where the CUDA toolkit is absent, and where the
 * installed nvcc is another release than the one that made the committed files (its output differs).
 */
class PtxUpToDateTest {
    private static final Path MODULE = Path.of("").toAbsolutePath();

    private static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) throw new AssertionError(String.join(" ", cmd) + " failed:\n" + out);
        return out;
    }

    private static String tool(String name) {
        String home = System.getenv("CUDA_HOME");
        for (String dir : new String[] {home == null ? null : home + "/bin", "/usr/local/cuda/bin"}) {
            if (dir != null && Files.isExecutable(Path.of(dir, name))) return Path.of(dir, name).toString();
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) return Path.of(dir, name).toString();
        }
        return null;
    }

    /** "Cuda compilation tools, release 13.0, V13.0.88" from a PTX header or nvcc --version. */
    private static String release(String text) {
        Matcher m = Pattern.compile("Cuda compilation tools, release [^\\n]*").matcher(text);
        return m.find() ? m.group().trim() : null;
    }

    @Test
    void committedPtxMatchesTheSources(@TempDir Path tmp) throws Exception {
        String nvcc = tool("nvcc");
        assumeTrue(nvcc != null, "nvcc not found (CUDA_HOME, /usr/local/cuda/bin, PATH): cannot regenerate the PTX");
        String installed = release(run(List.of(nvcc, "--version")));
        List<String> stale = new ArrayList<>();
        for (String module : Kernels.MODULES) {
            Path committed = MODULE.resolve("src/main/resources/org/opforge/cuda/" + module + ".ptx");
            String want = Files.readString(committed);
            assumeTrue(installed != null && installed.equals(release(want)),
                    module + ".ptx was made by '" + release(want) + "', the installed nvcc is '" + installed + "': outputs differ across releases");
            Path fresh = tmp.resolve(module + ".ptx");
            run(List.of(nvcc, "-ptx", "-arch=compute_80", "-o", fresh.toString(), MODULE.resolve("src/main/cuda/" + module + ".cu").toString()));
            if (!Files.readString(fresh).equals(want)) stale.add(module);
        }
        assertEquals(List.of(), stale, "committed PTX differs from the sources; run plugins/cuda/build-ptx.sh and commit the result");
    }

    @Test
    void committedPtxAssemblesForHopper(@TempDir Path tmp) throws Exception {
        String ptxas = tool("ptxas");
        assumeTrue(ptxas != null, "ptxas not found (CUDA_HOME, /usr/local/cuda/bin, PATH)");
        for (String module : Kernels.MODULES) {
            Path ptx = MODULE.resolve("src/main/resources/org/opforge/cuda/" + module + ".ptx");
            String out = run(List.of(ptxas, "-arch=sm_90", "-v", "-o", tmp.resolve(module + ".cubin").toString(), ptx.toString()));
            // register spills would make a kernel slow enough to matter: none is expected
            assertTrue(out.lines().filter(l -> l.contains("spill stores")).allMatch(l -> l.contains(" 0 bytes spill stores")),
                    module + ".ptx spills registers on sm_90:\n" + out);
        }
    }
}
