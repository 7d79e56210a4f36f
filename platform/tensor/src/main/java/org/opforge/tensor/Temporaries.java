package org.opforge.tensor;

import org.opforge.tensor.backend.Backend;
import org.opforge.tensor.backend.Buffer;

/**
 * Intermediate results of a forward pass run without a graph, handed back to their backend as soon as
 * the next step has read them, so that inference cycles through a few pooled buffers instead of
 * allocating (and zeroing) fresh storage for every layer. With a graph recorded nothing is released:
 * the graph's rules may still read the intermediates in the backward pass.
 *
 * <p>Only storage allocated since {@link #begin} is ever released, never storage that the result of the
 * next step shares (a layer may return its input or a view of it). The caller guarantees that nothing
 * else keeps the intermediate; a read of released CPU storage fails loudly rather than seeing another
 * tensor's values.
 */
public final class Temporaries {
    private static final Temporaries NONE = new Temporaries(null, 0);

    private final Backend backend;
    private final long stamp;

    private Temporaries(Backend backend, long stamp) {
        this.backend = backend;
        this.stamp = stamp;
    }

    /** Starts tracking on {@code input}'s backend; releases nothing when a graph is being recorded. */
    public static Temporaries begin(Tensor input) {
        if (GradMode.isEnabled()) return NONE;
        Backend be = input.backend();
        return new Temporaries(be, be.allocationStamp());
    }

    /**
     * Releases {@code used}'s storage once {@code next} has been computed from it: when it was allocated
     * since {@link #begin} and {@code next} does not share it.
     */
    public void drop(Tensor used, Tensor next) {
        if (backend == null || used == next) return;
        Buffer b = used.buffer();
        if (b != next.buffer() && backend.allocatedSince(b, stamp)) backend.release(b);
    }
}
