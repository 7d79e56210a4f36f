package org.opforge.solvers.generate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.opforge.api.pde.MemoryLimitException;
import org.opforge.solvers.Seeds;

/**
 * Runs a problem for N samples on a pool of threads. Sample {@code i} draws from
 * {@code Seeds.derive(seed, i)} and is written to its own slot, so the data are identical for any
 * thread count. Problems are found by name in {@link #problems()}.
 */
public final class DataGeneration {
    private DataGeneration() {
    }

    /** The built-in problems, by name. */
    public static Map<String, Problem> problems() {
        Map<String, Problem> m = new LinkedHashMap<>();
        for (Problem p : List.of(new DarcyProblem(), new BurgersProblem(), new NavierStokesProblem(), new PoissonWosProblem(), new StarPoissonProblem(),
                OdeProblem.antiderivative(), OdeProblem.nonlinear())) {
            m.put(p.name(), p);
        }
        return m;
    }

    /** The problem with this name, or an error listing the known ones. */
    public static Problem problem(String name) {
        Problem p = problems().get(name);
        if (p == null) {
            throw new IllegalArgumentException("unknown problem '" + name + "'; known problems: " + problems().keySet());
        }
        return p;
    }

    /**
     * Does every check {@link #generate} does before its first sample, without making any.
     *
     * @return the number of samples that would be generated
     */
    public static int check(String problemName, Map<String, ?> raw, int samples) {
        Problem problem = problem(problemName);
        Problem.Prepared prepared = prepare(problem, Parameters.parse(problemName, problem.parameters(), raw));
        int n = sampleCount(prepared, samples);
        requireOutputMemory(prepared, n);
        return n;
    }

    /** Prepares after checking that the heap holds what preparing allocates. */
    private static Problem.Prepared prepare(Problem problem, Parameters params) {
        MemoryLimitException.require("resolution", problem.prepareBytes(params), "preparing " + problem.name());
        return problem.prepare(params);
    }

    /** The fields of n samples as float arrays, and as much again for the tensors the writer makes of them. */
    private static void requireOutputMemory(Problem.Prepared prepared, int n) {
        long bytes = 0;
        for (FieldSpec f : prepared.fields()) bytes += 2L * 4 * n * f.sampleSize();
        MemoryLimitException.require("samples", bytes, n + " samples of fields " + prepared.fields().stream().map(FieldSpec::name).toList());
    }

    private static int sampleCount(Problem.Prepared prepared, int samples) {
        int fixed = prepared.fixedSamples();
        if (fixed >= 0 && samples != 0 && samples != fixed) {
            throw new IllegalArgumentException("the given inputs hold " + fixed + " samples but " + samples + " were requested");
        }
        int n = fixed >= 0 ? fixed : samples;
        if (n < 1) {
            throw new IllegalArgumentException("sample count must be positive, got " + samples);
        }
        return n;
    }

    /**
     * Validates everything, then generates.
     *
     * @param samples sample count (positive), or 0 to take the count the inputs impose (given coefficients)
     * @param threads worker threads (positive)
     */
    public static GeneratedData generate(String problemName, Map<String, ?> raw, int samples, long seed, int threads,
                                         ProgressListener listener) {
        return generate(problemName, raw, 0, samples, seed, threads, listener);
    }

    /**
     * Samples {@code first .. first + samples - 1} of the data set {@link #generate(String, Map, int, long, int,
     * ProgressListener)} would make with the same seed (sample {@code i} draws from {@code derive(seed, i)}),
     * so data sets generated in ranges and concatenated equal the one generated whole.
     */
    public static GeneratedData generate(String problemName, Map<String, ?> raw, int first, int samples, long seed, int threads,
                                         ProgressListener listener) {
        return generate(problem(problemName), raw, first, samples, seed, threads, listener);
    }

    /** As {@link #generate(String, Map, int, int, long, int, ProgressListener)}, for a problem already resolved. */
    static GeneratedData generate(Problem problem, Map<String, ?> raw, int first, int samples, long seed, int threads,
                                  ProgressListener listener) {
        String problemName = problem.name();
        if (first < 0) throw new IllegalArgumentException("first sample must be >= 0, got " + first);
        Parameters params = Parameters.parse(problemName, problem.parameters(), raw);
        Problem.Prepared prepared = prepare(problem, params);
        int n = sampleCount(prepared, samples);
        requireOutputMemory(prepared, n);
        if (threads < 1) {
            throw new IllegalArgumentException("thread count must be positive, got " + threads);
        }
        List<FieldSpec> specs = prepared.fields();
        Map<String, float[]> data = new LinkedHashMap<>();
        Map<String, Integer> sizes = new LinkedHashMap<>();
        for (FieldSpec f : specs) {
            long total = (long) n * f.sampleSize();
            if (total > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("field '" + f.name() + "' would need " + total + " values, more than one array holds: "
                        + "generate fewer samples per file");
            }
            data.put(f.name(), new float[(int) total]);
            sizes.put(f.name(), f.sampleSize());
        }
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        ProgressListener progress = listener == null ? ProgressListener.NONE : listener;
        Object progressLock = new Object();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "opforge-generate");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < threads; w++) {
                futures.add(pool.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < n) {
                        int index = i;
                        long sampleSeed = Seeds.derive(seed, first + index);
                        try {
                            prepared.sample(first + index, sampleSeed, (name, values) -> {
                                float[] dst = data.get(name);
                                Integer size = sizes.get(name);
                                if (dst == null) {
                                    throw new IllegalStateException("problem wrote unknown field '" + name + "'");
                                }
                                if (values.length != size) {
                                    throw new IllegalStateException("field '" + name + "' sample has " + values.length + " values, expected " + size);
                                }
                                int off = index * size;
                                for (int k = 0; k < size; k++) {
                                    dst[off + k] = (float) values[k];
                                }
                            });
                        } catch (RuntimeException e) {
                            // the sample and its seed, so that a failure of one field in thousands can be found and rerun
                            String where = problemName + " sample " + (first + index) + " (seed " + sampleSeed + ")";
                            throw e instanceof IllegalArgumentException
                                    ? new IllegalArgumentException(where + ": " + e.getMessage(), e)
                                    : new IllegalStateException(where + " failed: " + e.getMessage(), e);
                        }
                        int d = done.incrementAndGet();
                        synchronized (progressLock) {
                            progress.progress(d, n);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    next.set(n); // stop the other workers
                    Throwable c = e.getCause();
                    if (c instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IllegalStateException("sample generation failed: " + c, c);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("generation interrupted", e);
        } finally {
            pool.shutdownNow();
        }
        List<GeneratedData.Field> fields = new ArrayList<>();
        for (FieldSpec f : specs) {
            int[] shape = new int[f.shape().length + 1];
            shape[0] = n;
            System.arraycopy(f.shape(), 0, shape, 1, f.shape().length);
            fields.add(new GeneratedData.Field(f.name(), shape, data.get(f.name()), f.role()));
        }
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("problem", problemName);
        attrs.put("description", problem.description());
        attrs.put("seed", seed);
        attrs.put("samples", n);
        if (first > 0) attrs.put("first_sample", first);
        attrs.put("seed_derivation", "sample i uses SplitMix64-derived seed derive(seed, i)");
        attrs.putAll(params.scalars());
        attrs.putAll(prepared.attributes());
        for (FieldSpec f : specs) {
            if (f.role() == FieldSpec.Role.INPUT && !attrs.containsKey("input")) {
                attrs.put("input", f.name());
            }
            if (f.role() == FieldSpec.Role.TARGET && !attrs.containsKey("target")) {
                attrs.put("target", f.name());
            }
        }
        return new GeneratedData(problemName, n, fields, prepared.coordinates(), attrs);
    }
}
