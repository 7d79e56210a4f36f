package org.opforge.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** A full pool makes room for a released array by dropping those of the sizes used least recently. */
class BufferPoolTest {
    private static final int A = BufferPool.MIN_SLOTS, B = BufferPool.MIN_SLOTS + 1, C = BufferPool.MIN_SLOTS + 2;

    @Test void aFullPoolDropsTheLeastRecentlyUsedSizes() {
        long each = 4L * C;
        BufferPool pool = new BufferPool(4 * each);              // room for four arrays of any of the three sizes
        float[] b = new float[B];
        pool.put(new float[A]);
        pool.put(new float[A]);
        pool.put(b);
        pool.put(new float[A]);                                   // full: A, A, B, A
        assertSame(b, pool.take(false, B));                       // B used: A is now the least recently used size
        pool.put(b);
        float[] c1 = new float[C], c2 = new float[C];
        pool.put(c1);                                             // over: an A goes (A is used less recently than B)
        pool.put(c2);                                             // over: another A
        assertEquals(4L * (A + B + 2 * C), pool.heldBytes(), "one A, one B and two C held");
        assertSame(c2, pool.take(false, C));
        assertSame(c1, pool.take(false, C));
        assertNotNull(pool.take(false, A));
        assertNull(pool.take(false, A), "two of the three A made room");
        assertSame(b, pool.take(false, B));
        assertEquals(0, pool.heldBytes());
    }

    @Test void tooSmallOrLargerThanThePoolIsNotKept() {
        BufferPool pool = new BufferPool(4L * A);
        pool.put(new float[A - 1]);
        pool.put(new double[A]);                                  // 8 A bytes: more than the whole pool
        assertEquals(0, pool.heldBytes());
        pool.put(new float[A]);
        assertEquals(4L * A, pool.heldBytes());
        pool.put(new float[A]);                                   // replaces the first: the pool holds one
        assertEquals(4L * A, pool.heldBytes());
        assertNotNull(pool.take(false, A));
        assertNull(pool.take(false, A));
    }
}
