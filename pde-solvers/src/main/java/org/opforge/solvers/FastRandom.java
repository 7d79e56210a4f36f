package org.opforge.solvers;

/**
 * xoroshiro128++ (Blackman and Vigna), seeded through SplitMix64. Used in Monte Carlo inner loops
 * where a generator is made per query point and called a few times per step: construction is two
 * multiplications and a draw is a handful of integer operations, which Hipparchus' Well
 * generators (hundreds of words of state) cannot match. Not thread-safe; one per stream.
 */
public final class FastRandom {
    private long s0;
    private long s1;

    public FastRandom(long seed) {
        s0 = Seeds.mix(seed + 0x9e3779b97f4a7c15L);
        s1 = Seeds.mix(seed + 2 * 0x9e3779b97f4a7c15L);
        if ((s0 | s1) == 0) {
            s1 = 1;
        }
    }

    public long nextLong() {
        long a = s0;
        long b = s1;
        long r = Long.rotateLeft(a + b, 17) + a;
        b ^= a;
        s0 = Long.rotateLeft(a, 49) ^ b ^ (b << 21);
        s1 = Long.rotateLeft(b, 28);
        return r;
    }

    /** Uniform on [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }
}
