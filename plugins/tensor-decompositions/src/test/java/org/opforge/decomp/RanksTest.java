package org.opforge.decomp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RanksTest {

    @Test
    void cpRankIsTheFractionOverTheSumOfSizes() {
        // 0.1 * 32*32*12*12 / (32+32+12+12) = 167.56 -> 168
        assertEquals(168, Ranks.cpRank(new int[] {32, 32, 12, 12}, 0.1));
        assertEquals(1, Ranks.cpRank(new int[] {3, 3}, 1e-6));
    }

    @Test
    void tuckerRanksSolveTheParameterBalance() {
        int[] shape = {32, 32, 12, 12};
        int[] r = Ranks.tuckerRanks(shape, 0.1);
        double frac = Ranks.parameterCount(DecompositionMethod.TUCKER, shape, r) / Ranks.dense(shape);
        assertTrue(Math.abs(frac - 0.1) < 0.03, java.util.Arrays.toString(r) + " gives " + frac);
        // proportional to the sizes
        assertEquals(r[0], r[1]);
        assertEquals(r[2], r[3]);
        assertTrue(r[0] > r[2]);
        // fraction 1 means as many parameters as the dense tensor, so the core is below full size:
        // 120 x^3 + 77 x = 120 gives x = 0.80 and ranks round(0.80 * (4, 5, 6))
        assertArrayEquals(new int[] {3, 4, 5}, Ranks.tuckerRanks(new int[] {4, 5, 6}, 1.0));
        // a large fraction is capped at full ranks
        assertArrayEquals(new int[] {4, 5, 6}, Ranks.tuckerRanks(new int[] {4, 5, 6}, 10.0));
    }

    @Test
    void ttRanksSolveTheQuadraticAndAreCapped() {
        int[] shape = {32, 32, 12, 12};
        int[] r = Ranks.ttRanks(shape, 0.1);
        assertEquals(1, r[0]);
        assertEquals(1, r[4]);
        double frac = Ranks.parameterCount(DecompositionMethod.TT, shape, r) / Ranks.dense(shape);
        assertTrue(Math.abs(frac - 0.1) < 0.03, java.util.Arrays.toString(r) + " gives " + frac);
        // far above 1 the ranks stop at the exact TT ranks of a generic tensor
        assertArrayEquals(new int[] {1, 2, 6, 1}, Ranks.ttRanks(new int[] {2, 3, 6}, 50));
    }

    @Test
    void rankSpecParsesFractionsAndLists() {
        assertInstanceOf(RankSpec.Fraction.class, RankSpec.parse("0.1"));
        assertInstanceOf(RankSpec.Fraction.class, RankSpec.parse("1e-2"));
        assertArrayEquals(new int[] {5}, ((RankSpec.Fixed) RankSpec.parse("5")).ranks());
        assertArrayEquals(new int[] {4, 4, 2}, ((RankSpec.Fixed) RankSpec.parse("4, 4,2")).ranks());
        assertThrows(IllegalArgumentException.class, () -> RankSpec.parse("abc"));
        assertThrows(IllegalArgumentException.class, () -> RankSpec.parse("-0.5"));
    }

    @Test
    void resolveExpandsASingleTuckerOrTtRank() {
        assertArrayEquals(new int[] {3, 3, 2}, Ranks.resolve(DecompositionMethod.TUCKER, new int[] {4, 5, 2}, RankSpec.of(3)));
        assertArrayEquals(new int[] {1, 3, 2, 1}, Ranks.resolve(DecompositionMethod.TT, new int[] {4, 5, 2}, RankSpec.of(3)));
        assertArrayEquals(new int[] {1, 3, 2, 1}, Ranks.resolve(DecompositionMethod.TT, new int[] {4, 5, 2}, RankSpec.of(3, 2)));
    }
}
