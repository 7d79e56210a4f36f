package org.opforge.tensor.cpu;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The CPU backend's worker pool: {@code availableProcessors - 1} daemon threads, the calling thread
 * being the last worker. {@link #parallelFor} hands out chunks of an index range from a shared
 * counter, so a busy or late worker just takes fewer chunks; work below a grain runs on the caller
 * alone (waking threads costs more than small loops). A call from inside a worker runs inline, so
 * nested parallel loops cannot deadlock. No shutdown hook: the threads are daemons; {@link #shutdown}
 * stops them (a later call starts a fresh pool), for containers that unload the engine.
 */
public final class CpuThreads {
    /** Below this much work (in rough element operations) a loop stays on the calling thread. */
    public static final long MIN_PARALLEL_WORK = 1L << 16;

    private static final int THREADS = Math.max(1, Integer.getInteger("opforge.cpu.threads",
            Runtime.getRuntime().availableProcessors()));
    private static final ThreadLocal<Boolean> IN_WORKER = ThreadLocal.withInitial(() -> Boolean.FALSE);
    /** A smaller share of the pool for loops started on this thread (several jobs side by side in one JVM). */
    private static final ThreadLocal<Integer> LIMIT = new ThreadLocal<>();
    private static ThreadPoolExecutor pool;

    private CpuThreads() {}

    /** Number of threads a parallel loop may use (the caller included); system property {@code opforge.cpu.threads}. */
    public static int threads() { return THREADS; }

    /** Threads a parallel loop started on this thread may use: {@link #threads()}, or less inside {@link #withThreads}. */
    public static int threadsHere() {
        Integer l = LIMIT.get();
        return l == null ? THREADS : Math.min(THREADS, l);
    }

    /**
     * Runs {@code body} with the parallel loops it starts on this thread limited to {@code n} threads
     * (the caller included), so jobs running side by side in one JVM (Spark tasks) share the pool
     * according to the cores each was given.
     */
    public static <T> T withThreads(int n, java.util.function.Supplier<T> body) {
        if (n < 1) throw new IllegalArgumentException("withThreads: expected at least 1 thread, found " + n);
        Integer previous = LIMIT.get();
        LIMIT.set(n);
        try {
            return body.get();
        } finally {
            if (previous == null) LIMIT.remove();
            else LIMIT.set(previous);
        }
    }

    /** Body of a parallel loop over the half-open index range [from, to). */
    @FunctionalInterface
    public interface Range {
        void run(int from, int to);
    }

    /**
     * Runs {@code body} over [0, n) split into contiguous chunks, in parallel when
     * {@code n * workPerItem >= MIN_PARALLEL_WORK}. Chunks never split an index; the same index is never
     * given to two threads. Exceptions from any chunk are rethrown here (the first one).
     */
    public static void parallelFor(int n, long workPerItem, Range body) {
        if (n <= 0) return;
        int t = threadsHere();
        if (t == 1 || n == 1 || (long) n * Math.max(1, workPerItem) < MIN_PARALLEL_WORK || IN_WORKER.get()) {
            body.run(0, n);
            return;
        }
        // a few chunks per thread balance uneven progress; each chunk still carries >= the grain of work
        long grainItems = Math.max(1, MIN_PARALLEL_WORK / Math.max(1, workPerItem));
        int chunks = (int) Math.min(Math.min(n, 4L * t), Math.max(t, n / grainItems));
        run(chunks, t, c -> body.run((int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks)));
    }

    /** Runs {@code tasks} independent tasks (indices 0..tasks-1) on up to {@link #threads()} threads. */
    public static void parallelTasks(int tasks, java.util.function.IntConsumer body) {
        if (tasks <= 0) return;
        int t = threadsHere();
        if (t == 1 || tasks == 1 || IN_WORKER.get()) {
            for (int i = 0; i < tasks; i++) body.accept(i);
            return;
        }
        run(tasks, t, body);
    }

    private static final class Join {
        final AtomicInteger next = new AtomicInteger();
        /** Helpers inside {@link #drain}; changed under the lock, read by the caller's spin without it. */
        volatile int active;
        boolean closed;
        Throwable error;
    }

    private static void run(int chunks, int threads, java.util.function.IntConsumer body) {
        Join j = new Join();
        Runnable helper = () -> {
            synchronized (j) {
                if (j.closed) return;
                j.active++;
            }
            IN_WORKER.set(Boolean.TRUE);
            try {
                drain(j, chunks, body);
            } finally {
                IN_WORKER.set(Boolean.FALSE);
                synchronized (j) {
                    if (--j.active == 0) j.notifyAll();
                }
            }
        };
        ThreadPoolExecutor p = pool();
        int helpers = Math.min(threads, chunks) - 1;
        for (int i = 0; i < helpers; i++) p.execute(helper);
        IN_WORKER.set(Boolean.TRUE);
        try {
            drain(j, chunks, body);
        } finally {
            IN_WORKER.set(Boolean.FALSE);
        }
        for (long end = System.nanoTime() + SPIN_NANOS; j.active > 0 && System.nanoTime() < end; ) Thread.onSpinWait();
        boolean interrupted = false;
        synchronized (j) {
            j.closed = true; // helpers that have not started yet find no work and skip
            while (j.active > 0) {
                try {
                    j.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        if (j.error instanceof RuntimeException r) throw r;
        if (j.error instanceof Error e) throw e;
        if (j.error != null) throw new IllegalStateException(j.error);
    }

    private static void drain(Join j, int chunks, java.util.function.IntConsumer body) {
        int c;
        while ((c = j.next.getAndIncrement()) < chunks) {
            try {
                body.accept(c);
            } catch (Throwable e) {
                synchronized (j) {
                    if (j.error == null) j.error = e;
                }
                j.next.set(chunks); // stop handing out work
            }
        }
    }

    /**
     * How long an idle worker, and a caller waiting for its helpers, spin before they block (system
     * property {@code opforge.cpu.spinMicros}, default 50): kernels come back to back, and waking a
     * parked thread costs tens of microseconds, a large share of a small kernel's time.
     */
    private static final long SPIN_NANOS = 1000L * Math.max(0, Integer.getInteger("opforge.cpu.spinMicros", 50));

    /** The pool's work queue: an idle worker polls it for {@link #SPIN_NANOS} before it blocks. */
    private static final class SpinningQueue extends LinkedBlockingQueue<Runnable> {
        @Override
        public Runnable poll(long timeout, TimeUnit unit) throws InterruptedException {
            Runnable r = spin();
            return r != null ? r : super.poll(timeout, unit);
        }

        @Override
        public Runnable take() throws InterruptedException {
            Runnable r = spin();
            return r != null ? r : super.take();
        }

        private Runnable spin() {
            long end = System.nanoTime() + SPIN_NANOS;
            do {
                Runnable r = poll();
                if (r != null) return r;
                Thread.onSpinWait();
            } while (System.nanoTime() < end);
            return null;
        }
    }

    private static synchronized ThreadPoolExecutor pool() {
        if (pool == null) {
            AtomicInteger count = new AtomicInteger();
            ThreadFactory f = r -> {
                Thread th = new Thread(r, "opforge-cpu-" + count.incrementAndGet());
                th.setDaemon(true);
                return th;
            };
            int size = Math.max(1, THREADS - 1);
            pool = new ThreadPoolExecutor(size, size, 60, TimeUnit.SECONDS, new SpinningQueue(), f);
            pool.allowCoreThreadTimeOut(true);
        }
        return pool;
    }

    /**
     * Stops the worker threads (waiting up to {@code timeoutMillis} for running chunks); returns true when
     * they all ended. The pool restarts on the next parallel call.
     */
    public static boolean shutdown(long timeoutMillis) {
        ThreadPoolExecutor p;
        synchronized (CpuThreads.class) {
            p = pool;
            pool = null;
        }
        if (p == null) return true;
        p.shutdown();
        try {
            return p.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
