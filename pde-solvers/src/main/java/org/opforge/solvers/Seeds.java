package org.opforge.solvers;

/**
 * Seed derivation. Sample {@code i} of a data set made with seed {@code s} draws from a generator
 * seeded with {@code derive(s, i)}, never from a shared stream, so the result does not depend on
 * which thread made which sample or in what order.
 */
public final class Seeds {
    private Seeds() {
    }

    /** SplitMix64 finaliser: a bijective mixing of 64 bits. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** A well-mixed seed for stream {@code index} of a master seed. */
    public static long derive(long seed, long index) {
        return mix(mix(seed + 0x9e3779b97f4a7c15L) ^ (index * 0xd1b54a32d192ed03L + 0x632be59bd9b4e019L));
    }
}
