package org.opforge.bench;

import java.io.BufferedReader;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import org.hipparchus.random.Well19937c;
import org.opforge.meshes.Geometry2D;
import org.opforge.meshes.Star;
import org.opforge.meshes.UniformGrid;
import org.opforge.solvers.Seeds;
import org.opforge.solvers.darcy.DarcyDiscretization;
import org.opforge.solvers.darcy.MultigridSolver;
import org.opforge.solvers.grf.GaussianRandomField;
import org.opforge.solvers.spectral.BurgersSolver;
import org.opforge.solvers.spectral.Fft;
import org.opforge.solvers.spectral.NavierStokes2D;
import org.opforge.solvers.wos.WalkOnSpheres;

/**
 * Speed of the data-generating solvers: seconds per Darcy sample (FNO recipe) at 64x64 and
 * 128x128 with iteration counts, beside scipy's sparse direct solve of the same matrix (run with
 * {@code /usr/bin/python3 benchmark-suites/scripts/spsolve_darcy.py}); Walk-on-Spheres walks per
 * second; Burgers and Navier-Stokes time per sample / step; the 2-D FFT.
 *
 * <p>Usage: {@code SolverBench [workDir] [pythonScript]}. Timings are wall-clock on a shared
 * machine: read them as orders of magnitude and ratios measured in the same run.
 */
public final class SolverBench {
    private SolverBench() {
    }

    public static void main(String[] args) throws Exception {
        Path work = Path.of(args.length > 0 ? args[0] : System.getProperty("java.io.tmpdir"), "opforge-solverbench");
        Path script = Path.of(args.length > 1 ? args[1] : "benchmark-suites/scripts/spsolve_darcy.py");
        Files.createDirectories(work);
        System.out.printf("cores available: %d%n", Runtime.getRuntime().availableProcessors());
        for (int res : new int[] {64, 128}) {
            darcy(res, res == 64 ? 20 : 10, work, script);
        }
        wos();
        burgersAndNavierStokes();
    }

    private static double[] fnoCoefficient(int res, long seed) {
        double[] x = UniformGrid.unitNodes(2, res).coordinates(0);
        double[] g = GaussianRandomField.neumann2d(x, x, 2, 3, 3, new Well19937c(seed));
        double[] a = new double[g.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = g[i] >= 0 ? 12 : 3;
        }
        return a;
    }

    private static void darcy(int res, int samples, Path work, Path script) throws Exception {
        double[] f = new double[res * res];
        java.util.Arrays.fill(f, 1);
        // warm the JIT on a few solves
        for (int w = 0; w < 5; w++) {
            DarcyDiscretization d = new DarcyDiscretization(res, fnoCoefficient(res, 1000 + w), f);
            MultigridSolver.forDarcy(d).solve(d.rhs(), new double[d.unknowns()], MultigridSolver.Method.PCG, 1e-10, 500);
        }
        double grfTime = 0;
        double[] solveTime = new double[2];
        int[] itSum = new int[2];
        int[] itMax = new int[2];
        double[] firstSolution = null;
        DarcyDiscretization first = null;
        for (int s = 0; s < samples; s++) {
            long t0 = System.nanoTime();
            double[] a = fnoCoefficient(res, Seeds.derive(42, s));
            grfTime += (System.nanoTime() - t0) * 1e-9;
            for (MultigridSolver.Method m : MultigridSolver.Method.values()) {
                long t1 = System.nanoTime();
                DarcyDiscretization d = new DarcyDiscretization(res, a, f);
                MultigridSolver mg = MultigridSolver.forDarcy(d);
                double[] x = new double[d.unknowns()];
                MultigridSolver.Result r = mg.solve(d.rhs(), x, m, 1e-10, 500);
                solveTime[m.ordinal()] += (System.nanoTime() - t1) * 1e-9;
                itSum[m.ordinal()] += r.iterations();
                itMax[m.ordinal()] = Math.max(itMax[m.ordinal()], r.iterations());
                if (!r.converged()) {
                    throw new IllegalStateException(m + " did not converge at " + res);
                }
                if (s == 0 && m == MultigridSolver.Method.PCG) {
                    first = d;
                    firstSolution = x;
                }
            }
        }
        System.out.printf("Darcy %dx%d (FNO recipe, rel. residual 1e-10, %d samples):%n", res, res, samples);
        System.out.printf("  GRF sampling            %8.4f s/sample%n", grfTime / samples);
        for (MultigridSolver.Method m : MultigridSolver.Method.values()) {
            System.out.printf("  %-10s solve (assembly+setup+solve) %8.4f s/sample, iterations mean %.1f max %d%n", m,
                    solveTime[m.ordinal()] / samples, (double) itSum[m.ordinal()] / samples, itMax[m.ordinal()]);
        }
        // the same matrix through scipy's direct solver
        Path file = work.resolve("darcy" + res + ".bin");
        writeMatrix(first, firstSolution, file);
        long t2 = System.nanoTime();
        int reps = 5;
        double best = Double.POSITIVE_INFINITY;
        for (int k = 0; k < reps; k++) {
            t2 = System.nanoTime();
            MultigridSolver.forDarcy(first).solve(first.rhs(), new double[first.unknowns()], MultigridSolver.Method.PCG, 1e-10, 500);
            best = Math.min(best, (System.nanoTime() - t2) * 1e-9);
        }
        String py = runPython(script, file);
        System.out.printf("  PCG setup+solve of matrix 0 (best of %d) %8.5f s%n", reps, best);
        System.out.printf("  scipy: %s%n", py);
        for (String part : py.split(" ")) {
            if (part.startsWith("spsolve_seconds=")) {
                double sp = Double.parseDouble(part.substring("spsolve_seconds=".length()));
                System.out.printf("  ratio scipy spsolve / OpForge PCG = %.2f (above 1: OpForge faster)%n", sp / best);
            }
        }
    }

    private static void writeMatrix(DarcyDiscretization d, double[] solution, Path file) throws IOException {
        DarcyDiscretization.Coo coo = d.toCoo();
        int nnz = coo.values().length;
        int n = coo.size();
        ByteBuffer b = ByteBuffer.allocate(8 + nnz * (4 + 4 + 8) + 16 * n).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(n).putInt(nnz);
        for (int r : coo.rows()) {
            b.putInt(r);
        }
        for (int c : coo.cols()) {
            b.putInt(c);
        }
        for (double v : coo.values()) {
            b.putDouble(v);
        }
        for (double v : d.rhs()) {
            b.putDouble(v);
        }
        for (double v : solution) {
            b.putDouble(v);
        }
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
            out.write(b.array());
        }
    }

    private static String runPython(Path script, Path file) {
        try {
            Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), file.toString()).redirectErrorStream(true).start();
            StringBuilder s = new StringBuilder();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
                String line;
                while ((line = r.readLine()) != null) {
                    s.append(line).append(' ');
                }
            }
            int rc = p.waitFor();
            return rc == 0 ? s.toString().trim() : "failed (exit " + rc + "): " + s;
        } catch (IOException | InterruptedException e) {
            return "not run: " + e;
        }
    }

    private static void wos() throws Exception {
        Geometry2D star = Star.of(0.1, 0.05);
        WalkOnSpheres wos = new WalkOnSpheres(star, (x, y) -> 4.0, (x, y) -> Math.exp(x) * Math.sin(y) - x * x - y * y, 1e-4, 100_000);
        Random r = new Random(1);
        int points = 2000;
        int walks = 100;
        double[] xy = star.sampleInterior(points, r::nextDouble);
        double[] mean = new double[points];
        wos.estimate(xy, 20, 1, mean, null); // warm-up
        double steps = 0;
        for (int p = 0; p < 50; p++) {
            steps += wos.estimate(xy[2 * p], xy[2 * p + 1], walks, p).meanSteps() / 50;
        }
        for (int threads : new int[] {1, Runtime.getRuntime().availableProcessors()}) {
            ForkJoinPool pool = new ForkJoinPool(threads);
            long t0 = System.nanoTime();
            pool.submit(() -> wos.estimate(xy, walks, 2, mean, null)).get();
            double t = (System.nanoTime() - t0) * 1e-9;
            pool.shutdown();
            System.out.printf("Walk-on-Spheres (star, source term, eps 1e-4, %d points x %d walks, %d thread%s): %.3g walks/s, %.1f steps/walk%n",
                    points, walks, threads, threads == 1 ? "" : "s", points * (double) walks / t, steps);
        }
    }

    private static void burgersAndNavierStokes() {
        int n = 1024;
        double[] u0 = GaussianRandomField.periodic1d(n, 2, 5, 25, new Well19937c(3));
        new BurgersSolver(n, 0.1).solve(u0, new double[] {0.2}, 0.4);
        long t0 = System.nanoTime();
        new BurgersSolver(n, 0.1).solve(u0, new double[] {1.0}, 0.4);
        System.out.printf("Burgers 1024 points, nu 0.1, T 1 (ETDRK4, CFL 0.4): %.3f s/sample%n", (System.nanoTime() - t0) * 1e-9);
        int m = 64;
        double[] w0 = GaussianRandomField.periodic2d(m, 2.5, 7, Math.pow(7, 1.5), new Well19937c(4));
        NavierStokes2D ns = new NavierStokes2D(m, 1e-3, NavierStokes2D.fnoForcing(m));
        ns.solve(w0, 0.2, 1e-3, 1);
        t0 = System.nanoTime();
        ns.solve(w0, 1.0, 1e-3, 1);
        System.out.printf("Navier-Stokes 64x64, dt 1e-3: %.3f ms/step%n", (System.nanoTime() - t0) * 1e-6 / 1000);
        Fft fft = new Fft(m);
        double[] re = w0.clone();
        double[] im = new double[m * m];
        double[] scratch = new double[2 * m];
        for (int k = 0; k < 500; k++) {
            fft.forward2d(re, im, scratch);
            fft.inverse2d(re, im, scratch);
        }
        t0 = System.nanoTime();
        for (int k = 0; k < 2000; k++) {
            fft.forward2d(re, im, scratch);
            fft.inverse2d(re, im, scratch);
        }
        System.out.printf("FFT 64x64 complex forward+inverse: %.1f us%n", (System.nanoTime() - t0) * 1e-3 / 2000);
    }
}
