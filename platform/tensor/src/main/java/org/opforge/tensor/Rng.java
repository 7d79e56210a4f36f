package org.opforge.tensor;

/**
 * A seeded, counter-based random generator. A draw of {@code n} values reserves the counter range
 * {@code [c, c+n)}; value {@code i} of the range is a pure function of {@code (seed, c+i)}
 * (SplitMix64 finalizer), so results do not depend on how many threads or which device fill it.
 * Not thread-safe: give each stream of work its own {@code Rng} (see {@link #fork}).
 */
public final class Rng {
    private final long seed;
    private long counter;

    public Rng(long seed) {
        this.seed = seed;
    }

    private Rng(long seed, long counter) {
        this.seed = seed;
        this.counter = counter;
    }

    public long seed() { return seed; }

    /** The position of the next draw (checkpoints store it). */
    public long counter() { return counter; }

    /** A generator at a saved position. */
    public static Rng at(long seed, long counter) { return new Rng(seed, counter); }

    /** Reserves {@code n} values and returns the first counter of the range. */
    public long advance(long n) {
        long c = counter;
        counter += n;
        return c;
    }

    /** An independent generator derived from this one's seed and a stream id. */
    public Rng fork(long stream) {
        return new Rng(mix(seed ^ mix(stream + 0x632BE59BD9B4E019L)));
    }

    /** SplitMix64 finalizer of {@code seed + counter * golden gamma}. */
    public static long bits(long seed, long counter) {
        return mix(seed + (counter + 1) * 0x9E3779B97F4A7C15L);
    }

    /** Uniform double in [0, 1) for a counter value. */
    public static double uniform(long seed, long counter) {
        return (bits(seed, counter) >>> 11) * 0x1.0p-53;
    }

    /**
     * Standard normal for a counter value: Box-Muller over the pair of counters (2j, 2j+1), so each
     * value is still a function of its own index.
     */
    public static double normal(long seed, long counter) {
        long pair = counter & ~1L;
        double u1 = 1.0 - uniform(seed, pair);
        double u2 = uniform(seed, pair + 1);
        double r = Math.sqrt(-2.0 * Math.log(u1));
        double t = 2.0 * Math.PI * u2;
        return (counter & 1L) == 0 ? r * Math.cos(t) : r * Math.sin(t);
    }

    public double nextUniform() { return uniform(seed, advance(1)); }

    public double nextNormal() { return normal(seed, advance(1)); }

    /** Uniform int in [0, bound). */
    public int nextInt(int bound) {
        if (bound <= 0) throw new IllegalArgumentException("bound must be positive, got " + bound);
        return (int) ((bits(seed, advance(1)) >>> 33) % bound);
    }

    /** A uniformly random permutation of 0..n-1 (Fisher-Yates). */
    public int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
