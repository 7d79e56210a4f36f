package org.opforge.tensor;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.opforge.tensor.backend.Backend;
import org.opforge.tensor.backend.Backends;
import org.opforge.tensor.backend.Buffer;

/**
 * One training step's forward activations handed back to their backend when the step ends, so that the
 * next step's forward pass reuses them instead of allocating (and zeroing) fresh storage. PyTorch frees an
 * activation when the last reference to it goes (reference counting); the JVM frees it only at a later
 * collection, so without a scope every step of a DeepONet on 10,000 pairs allocated 11.5 MB afresh.
 *
 * <p>While a scope is open on a thread, every op output that enters the autodiff graph on that thread (a
 * node output of at least {@link #MIN_ELEMENTS} elements whose storage was allocated since the scope began)
 * is noted; {@link #close} releases the storage of each noted output, except those given to {@link #keep}.
 * Nothing else is released: not views of older storage (parameters, inputs), not what ops make without a
 * graph (caches, optimizer state, running statistics), not what a backward pass makes (gradients, and the
 * graph of a {@code createGraph} pass, which is not noted while it runs). Backends that do not order their
 * allocations ({@link Backend#allocatedSince}) release nothing.
 *
 * <p>An {@link #inference} scope also notes what ops make without a graph: for a forward pass under
 * {@link GradMode#noGrad} whose intermediates, and its result unless kept, go back to the pool when it
 * ends, as PyTorch's caching allocator takes them back when the last reference goes (an inference loop
 * then reuses the same few buffers instead of allocating and zeroing fresh ones per call).
 *
 * <p>The caller guarantees that after {@code close} nothing reads a noted output it did not keep: the
 * scope is for a loop that owns its step (forward, backward, optimizer step) and takes only numbers out
 * of it. A read of released CPU storage fails loudly rather than seeing another tensor's values. Scopes do
 * not nest: a scope begun inside another is inert, and the outer one releases everything.
 */
public final class StepScope implements AutoCloseable {
    /** Outputs smaller than this (64 KiB of floats) are not noted: the backend keeps no such storage for reuse. */
    public static final long MIN_ELEMENTS = 1 << 14;

    /**
     * Default most bytes a scope releases (64 MiB): a step whose noted outputs add up to more releases nothing and
     * leaves them to the collector. Released storage waits in the pool for the next step, so a scope holds the
     * step's whole allocation volume, not its live peak: an FNO-2D step on 20 fields of 64x64 allocates 690 MB
     * with at most 207 MB live, and released at each step's end it filled the pool (heap after GC 209 MB -> 574 MB)
     * for no gain in speed; a DeepONet step on 10,000 pairs releases 12 MB (its step 3.9 ms in paired windows, 6.0 before).
     */
    public static final long DEFAULT_MAX_RELEASE_BYTES = 64L << 20;

    private static final ThreadLocal<StepScope> CURRENT = new ThreadLocal<>();
    private static final StepScope INERT = new StepScope(null, 0, false);

    private final Thread owner;
    private final long maxReleaseBytes;
    private final boolean withoutGraph;
    /** Per backend, its allocation stamp when the scope first met it (the CPU's: when the scope began). */
    private final Map<Backend, Long> stamps = new IdentityHashMap<>();
    private final List<WeakReference<Buffer>> noted = new ArrayList<>();
    private final Set<Buffer> kept = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean closed;

    private StepScope(Thread owner, long maxReleaseBytes, boolean withoutGraph) {
        this.owner = owner;
        this.maxReleaseBytes = maxReleaseBytes;
        this.withoutGraph = withoutGraph;
        if (owner != null) {
            Backend cpu = Backends.cpu();
            stamps.put(cpu, cpu.allocationStamp());
        }
    }

    /** Opens a scope on the calling thread that releases at most {@link #DEFAULT_MAX_RELEASE_BYTES}. */
    public static StepScope begin() {
        return begin(DEFAULT_MAX_RELEASE_BYTES);
    }

    /**
     * Opens a scope on the calling thread (an inert one when a scope is open there already) that releases its
     * noted outputs only if they add up to at most {@code maxReleaseBytes}.
     */
    public static StepScope begin(long maxReleaseBytes) {
        if (maxReleaseBytes < 0) throw new IllegalArgumentException("StepScope.begin: maxReleaseBytes must be >= 0, found " + maxReleaseBytes);
        return open(maxReleaseBytes, false);
    }

    /**
     * Opens a scope on the calling thread (an inert one when a scope is open there already) that also notes the
     * outputs of ops run without a graph, releasing at most {@link #DEFAULT_MAX_RELEASE_BYTES}: for inference,
     * where the result is {@link #keep kept} or read into numbers before the scope ends.
     */
    public static StepScope inference() {
        return open(DEFAULT_MAX_RELEASE_BYTES, true);
    }

    private static StepScope open(long maxReleaseBytes, boolean withoutGraph) {
        if (CURRENT.get() != null) return INERT;
        StepScope s = new StepScope(Thread.currentThread(), maxReleaseBytes, withoutGraph);
        CURRENT.set(s);
        return s;
    }

    /** Exempts {@code t}'s storage from the release at {@link #close}; returns {@code t}. */
    public Tensor keep(Tensor t) {
        if (owner != null && t != null) kept.add(t.buffer());
        return t;
    }

    /**
     * Exempts {@code t}'s storage from the release of the scope open on this thread, if any; returns {@code t}. For
     * what outlives the call that made it without the caller knowing of a scope: a cache a module makes lazily.
     */
    public static Tensor retain(Tensor t) {
        StepScope s = CURRENT.get();
        return s != null ? s.keep(t) : t;
    }

    /** Called for every node output ({@link Autograd#record}): noted when a scope is open on this thread. */
    static void noteOutput(Tensor out) {
        note(CURRENT.get(), out);
    }

    /** Called for every op output that enters no graph ({@link Autograd#record}): noted in an {@link #inference} scope. */
    static void noteOutputWithoutGraph(Tensor out) {
        StepScope s = CURRENT.get();
        if (s != null && s.withoutGraph) note(s, out);
    }

    private static void note(StepScope s, Tensor out) {
        if (s == null || out.numel() < MIN_ELEMENTS) return;
        Buffer b = out.buffer();
        Backend be = b.backend();
        long stamp = s.stamps.computeIfAbsent(be, Backend::allocationStamp);
        // weakly: an output the step no longer reaches is the collector's, and the scope does not keep it alive
        if (be.allocatedSince(b, stamp)) s.noted.add(new WeakReference<>(b));
    }

    /** Stops noting on this thread (for a backward pass); {@link #resume} with the result restores it. */
    static StepScope suspend() {
        StepScope s = CURRENT.get();
        if (s != null) CURRENT.remove();
        return s;
    }

    static void resume(StepScope s) {
        if (s != null) CURRENT.set(s);
    }

    /** Releases the storage of the noted outputs that were not kept, and ends the scope on this thread. */
    @Override
    public void close() {
        if (owner == null || closed) return;
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("StepScope.close: the scope was opened on thread '" + owner.getName()
                    + "' and is closed on '" + Thread.currentThread().getName() + "'");
        }
        closed = true;
        CURRENT.remove();
        Set<Buffer> dead = Collections.newSetFromMap(new IdentityHashMap<>());
        long bytes = 0;
        for (WeakReference<Buffer> ref : noted) {
            Buffer b = ref.get();
            if (b != null && !kept.contains(b) && dead.add(b)) bytes += b.numel() * b.dtype().slots() * (b.dtype().isDouble() ? 8L : 4L);
        }
        noted.clear();
        if (bytes > maxReleaseBytes) return;
        for (Buffer b : dead) b.backend().release(b);
    }
}
