package org.opforge.hdf5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opforge.tensor.Rng;

/**
 * A data set of about 300 MB trains in a JVM limited to a 64 MB heap: the loader reads only the
 * samples of each batch. The file is written here without holding 300 MB either: jhdf writes
 * nested arrays, and the rows of different samples are shared from a small pool except row 0,
 * which encodes the sample index so the child can check every batch.
 */
class StreamingTest {
    static final int SIDE = 64;
    static final int POOL = 512;

    /** Writes fields x, y of shape [n, SIDE, SIDE]: y = 2x + 1 on rows 1.., row 0 = +-(index * SIDE + column). */
    static void writeLarge(Path file, int n, long seed) {
        Rng rng = new Rng(seed);
        float[][] xPool = new float[POOL][SIDE];
        float[][] yPool = new float[POOL][SIDE];
        for (int p = 0; p < POOL; p++) {
            for (int j = 0; j < SIDE; j++) {
                xPool[p][j] = (float) (2 * rng.nextUniform() - 1);
                yPool[p][j] = 2 * xPool[p][j] + 1;
            }
        }
        float[][][] x = new float[n][][];
        float[][][] y = new float[n][][];
        for (int i = 0; i < n; i++) {
            x[i] = new float[SIDE][];
            y[i] = new float[SIDE][];
            x[i][0] = new float[SIDE];
            y[i][0] = new float[SIDE];
            for (int j = 0; j < SIDE; j++) {
                x[i][0][j] = i * (float) SIDE + j;
                y[i][0][j] = -x[i][0][j];
            }
            for (int r = 1; r < SIDE; r++) {
                int p = (int) Math.floorMod(i * 31L + r * 7L, POOL);
                x[i][r] = xPool[p];
                y[i][r] = yPool[p];
            }
        }
        try (WritableHdfFile w = HdfFile.write(file)) {
            w.putAttribute("opforge_format", "dataset");
            w.putAttribute("source", "StreamingTest synthetic data");
            w.putDataset("x", x);
            w.putDataset("y", y);
        }
    }

    @Test void fileOfFourTimesTheHeapStreamsAndTrains(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("large.h5");
        int n = 9216; // 2 fields x 9216 x 64 x 64 float32 = 302 MB
        writeLarge(file, n, 42);
        assertTrue(Files.size(file) > 4L * 64 * 1024 * 1024, "file of " + Files.size(file) + " bytes");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx64m", "-XX:+UseSerialGC", "-cp", cp,
                StreamingMain.class.getName(), file.toString()));
        Path log = tmp.resolve("child.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean done = p.waitFor(120, TimeUnit.SECONDS);
        if (!done) p.destroyForcibly();
        String out = Files.readString(log, StandardCharsets.UTF_8);
        System.out.println("child JVM (-Xmx64m) output:\n" + out);
        assertTrue(done, "child timed out:\n" + out);
        assertEquals(0, p.exitValue(), "child failed:\n" + out);
        assertTrue(out.contains("OK"), out);
        assertTrue(cp.contains(File.pathSeparator) || cp.endsWith(".jar"), cp);
    }
}
