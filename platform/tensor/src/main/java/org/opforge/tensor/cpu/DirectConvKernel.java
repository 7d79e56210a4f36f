package org.opforge.tensor.cpu;

/**
 * Register-blocked micro-kernel of {@link DirectConv}: for one tile of 12 output channels and
 * {@link #lanes()} consecutive outputs of one row,
 * <pre>out[co + r*ldo + j] (+)= sum_p ap[ao + p*12 + r] * xp[xo + bOff[p] + j],   r &lt; rows, j &lt; lanes()</pre>
 * with {@code ap} the weights packed as in {@link SgemmKernel#tile} (12-row slivers) and {@code xp} the
 * phase planes: every B row is read in place, as one vector load, instead of being unfolded and packed.
 */
interface DirectConvKernel {
    /** Outputs per vector: a full tile is 12 x lanes(). */
    int lanes();

    void tile(int k, float[] ap, int ao, float[] xp, int xo, int[] bOff, float[] out, int co, int ldo, int rows, boolean accumulate);

    /**
     * The weight gradient of a 4 x 3 block: for r &lt; rows, q &lt; cols,
     * <pre>gw[gwo + r*k + p0 + q] (+)= sum_{oh &lt; oH, ow &lt; oW} gy[go + r*ldg + oh*oW + ow] * xp[bOff[p0 + q] + oh*pW + ow]</pre>
     * (rows &lt;= 4, cols &lt;= 3, oW a multiple of {@link #lanes()}), the sums over positions kept in vector lanes
     * and added across lanes at the end.
     */
    void gradTile(float[] gy, int go, int ldg, int rows, float[] xp, int[] bOff, int p0, int cols, int oH, int oW, int pW,
                  float[] gw, int gwo, int k, boolean accumulate);
}
