package org.opforge.api.data;

import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;

/**
 * Mini-batches over a {@link Dataset}, reading only the samples of each batch (hyperslab reads), so
 * the data set may be far larger than the heap.
 *
 * <p>Shuffling: epoch {@code e} visits the samples in the order of a uniformly random permutation
 * drawn from {@code new Rng(seed).fork(e)}, a pure function of (seed, e). Nothing but the epoch
 * number (and the batch index inside it) is needed to resume exactly where a run stopped.
 *
 * <p>With {@code prefetch(k)}, k &gt; 0, one daemon thread reads up to k batches ahead while the
 * caller computes; a read error is rethrown to the caller by {@code next()}.
 */
public final class BatchLoader {
    private final Dataset dataset;
    private final String[] fields;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final boolean dropLast;
    private final int prefetch;
    private final int[] subset;

    private BatchLoader(Builder b) {
        this.dataset = b.dataset;
        this.fields = b.fields;
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.seed = b.seed;
        this.dropLast = b.dropLast;
        this.prefetch = b.prefetch;
        this.subset = b.subset;
    }

    public static Builder over(Dataset dataset) {
        return new Builder(dataset);
    }

    /** Number of samples an epoch draws from. */
    public int samples() {
        return subset == null ? dataset.samples() : subset.length;
    }

    public int batchSize() { return batchSize; }

    /** Batches per epoch: ceil(samples / batchSize), or floor with dropLast. */
    public int batchesPerEpoch() {
        int n = samples();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** The sample indices in the order epoch {@code epoch} visits them. */
    public int[] order(int epoch) {
        int n = samples();
        int[] idx;
        if (shuffle) {
            int[] p = new Rng(seed).fork(epoch).permutation(n);
            idx = new int[n];
            for (int i = 0; i < n; i++) idx[i] = subset == null ? p[i] : subset[p[i]];
        } else {
            idx = subset == null ? identity(n) : subset.clone();
        }
        return idx;
    }

    /** Iterates the batches of one epoch. */
    public Epoch epoch(int epoch) {
        return epoch(epoch, 0);
    }

    /** Iterates the batches of one epoch from batch {@code fromBatch} on (resuming a run mid-epoch). */
    public Epoch epoch(int epoch, int fromBatch) {
        if (fromBatch < 0 || fromBatch > batchesPerEpoch()) {
            throw new IllegalArgumentException("fromBatch must be in [0, " + batchesPerEpoch() + "], got " + fromBatch);
        }
        return new Epoch(epoch, fromBatch);
    }

    private Batch load(int epoch, int[] order, int b) {
        int from = b * batchSize;
        int to = Math.min(order.length, from + batchSize);
        int[] idx = Arrays.copyOfRange(order, from, to);
        Map<String, Tensor> t = new LinkedHashMap<>();
        for (String f : fields) t.put(f, dataset.read(f, idx));
        return new Batch(epoch, b, idx, t);
    }

    private static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        return a;
    }

    /** The batches of one epoch; close it to stop its prefetch thread early. */
    public final class Epoch implements Iterator<Batch>, Iterable<Batch>, AutoCloseable {
        private static final Object END = new Object();
        private final int epoch;
        private final int[] order;
        private final int end;
        private int next;
        private final BlockingQueue<Object> queue;
        private final Thread worker;
        private Object head;

        private Epoch(int epoch, int fromBatch) {
            this.epoch = epoch;
            this.order = order(epoch);
            this.end = batchesPerEpoch();
            this.next = fromBatch;
            if (prefetch > 0 && fromBatch < end) {
                queue = new ArrayBlockingQueue<>(prefetch);
                worker = new Thread(this::produce, "opforge-prefetch-" + dataset.file().getFileName());
                worker.setDaemon(true);
                worker.start();
            } else {
                queue = null;
                worker = null;
            }
        }

        private void produce() {
            try {
                for (int b = next; b < end; b++) {
                    Object item;
                    try {
                        item = load(epoch, order, b);
                    } catch (RuntimeException | Error e) {
                        queue.put(new Failure(e));
                        return;
                    }
                    queue.put(item);
                }
                queue.put(END);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override public Iterator<Batch> iterator() { return this; }

        @Override public boolean hasNext() {
            if (queue == null) return next < end;
            if (head == null) {
                if (next >= end) return false;
                try {
                    head = queue.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for a prefetched batch", e);
                }
            }
            if (head instanceof Failure f) {
                head = null;
                next = end;
                if (f.error instanceof RuntimeException r) throw r;
                throw (Error) f.error;
            }
            return head != END;
        }

        @Override public Batch next() {
            if (!hasNext()) throw new NoSuchElementException("epoch " + epoch + " has " + end + " batches");
            if (queue == null) return load(epoch, order, next++);
            Batch b = (Batch) head;
            head = null;
            next++;
            return b;
        }

        /** Stops the prefetch thread; batches not yet taken are dropped. */
        @Override public void close() {
            if (worker != null) {
                worker.interrupt();
                try {
                    worker.join(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private record Failure(Throwable error) {}

    /** Configures a {@link BatchLoader}. */
    public static final class Builder {
        private final Dataset dataset;
        private String[] fields;
        private int batchSize = 32;
        private boolean shuffle;
        private long seed;
        private boolean dropLast;
        private int prefetch;
        private int[] subset;

        private Builder(Dataset dataset) {
            this.dataset = dataset;
            this.fields = dataset.fields().stream().map(FieldInfo::name).toArray(String[]::new);
        }

        /** The per-sample fields each batch holds (default: all). */
        public Builder fields(String... names) {
            for (String n : names) {
                FieldInfo f = dataset.field(n);
                if (!f.perSample()) {
                    throw new DataFormatException(dataset.file(), n, "a per-sample field to batch", "a constant of shape "
                            + Arrays.toString(f.shape()));
                }
            }
            this.fields = names.clone();
            return this;
        }

        public Builder batchSize(int size) {
            if (size <= 0) throw new IllegalArgumentException("batchSize must be positive, got " + size);
            this.batchSize = size;
            return this;
        }

        /** Visit samples in a fresh random order each epoch, seeded by {@code seed}. */
        public Builder shuffle(long seed) {
            this.shuffle = true;
            this.seed = seed;
            return this;
        }

        /** Drop the last batch when smaller than batchSize. */
        public Builder dropLast(boolean drop) {
            this.dropLast = drop;
            return this;
        }

        /** Read up to {@code depth} batches ahead on a background thread (0: read on the caller's thread). */
        public Builder prefetch(int depth) {
            if (depth < 0) throw new IllegalArgumentException("prefetch depth must be >= 0, got " + depth);
            this.prefetch = depth;
            return this;
        }

        /** Draw only from these sample indices (a train / validation split). */
        public Builder subset(int[] indices) {
            int n = dataset.samples();
            for (int i : indices) {
                if (i < 0 || i >= n) throw new IllegalArgumentException("subset index " + i + " outside [0, " + n + ")");
            }
            this.subset = indices.clone();
            return this;
        }

        /** Samples {@code [from, to)} only. */
        public Builder range(int from, int to) {
            if (from < 0 || to > dataset.samples() || from > to) {
                throw new IllegalArgumentException("range [" + from + ", " + to + ") outside [0, " + dataset.samples() + "]");
            }
            int[] s = new int[to - from];
            for (int i = 0; i < s.length; i++) s[i] = from + i;
            this.subset = s;
            return this;
        }

        public BatchLoader build() {
            return new BatchLoader(this);
        }
    }
}
