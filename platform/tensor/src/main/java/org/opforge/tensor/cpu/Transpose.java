package org.opforge.tensor.cpu;

/**
 * Strided copies that are batches of 2-D transposes (permutes such as NHWC &lt;-&gt; NCHW), done in
 * square tiles. The row-by-row path walks the destination contiguously while the source jumps by a
 * whole row each element, so every load touches a new cache line; a tile of {@value #TILE} x
 * {@value #TILE} reads {@value #TILE} source lines and writes {@value #TILE} destination lines, each
 * used in full while it is in L1.
 */
final class Transpose {
    private Transpose() {}

    static final int TILE = 16;

    /**
     * Handles the collapsed copy {@code dst[dOff + idx . ds] (+)= src[sOff + idx . ss]} (element strides,
     * {@code w} slots per element) when its last two axes are a transpose: the source is contiguous
     * along axis r-2 and the destination along axis r-1, both at least one tile long. Returns false
     * (doing nothing) for any other pattern, a zero source stride among them (a broadcast, which the
     * caller copies as a fill per row).
     */
    static boolean tryRun(CpuBuffer s, int sOff, int[] ss, CpuBuffer d, int dOff, int[] ds, int[] shape, int w, boolean add) {
        int r = shape.length;
        if (r < 2 || w != 1) return false;
        int ni = shape[r - 2], nj = shape[r - 1];
        if (ss[r - 2] != 1 || ds[r - 1] != 1 || ss[r - 1] == 1 || ss[r - 1] == 0 || ds[r - 2] == 1 || ni < TILE || nj < TILE) return false;
        int sj = ss[r - 1], di = ds[r - 2];
        int outer = 1;
        for (int a = 0; a < r - 2; a++) outer *= shape[a];
        int tilesI = (ni + TILE - 1) / TILE;
        int tasks = outer * tilesI;
        CpuThreads.parallelFor(tasks, (long) TILE * nj, (t0, t1) -> {
            for (int t = t0; t < t1; t++) {
                int q = t / tilesI, i0 = (t % tilesI) * TILE, i1 = Math.min(ni, i0 + TILE);
                // offsets of batch q (row-major over the leading axes)
                int sb = sOff, db = dOff, rem = q;
                for (int a = r - 3; a >= 0; a--) {
                    int idx = rem % shape[a];
                    rem /= shape[a];
                    sb += idx * ss[a];
                    db += idx * ds[a];
                }
                if (s.f != null) tiles(s.f, sb, sj, d.f, db, di, i0, i1, nj, add);
                else tiles(s.d, sb, sj, d.d, db, di, i0, i1, nj, add);
            }
        });
        return true;
    }

    /** dst[db + i di + j] (+)= src[sb + i + j sj] for i in [i0, i1), all j, a tile of columns at a time. */
    private static void tiles(float[] s, int sb, int sj, float[] d, int db, int di, int i0, int i1, int nj, boolean add) {
        for (int j0 = 0; j0 < nj; j0 += TILE) {
            int j1 = Math.min(nj, j0 + TILE);
            for (int i = i0; i < i1; i++) {
                int dp = db + i * di, sp = sb + i;
                if (add) for (int j = j0; j < j1; j++) d[dp + j] += s[sp + j * sj];
                else for (int j = j0; j < j1; j++) d[dp + j] = s[sp + j * sj];
            }
        }
    }

    private static void tiles(double[] s, int sb, int sj, double[] d, int db, int di, int i0, int i1, int nj, boolean add) {
        for (int j0 = 0; j0 < nj; j0 += TILE) {
            int j1 = Math.min(nj, j0 + TILE);
            for (int i = i0; i < i1; i++) {
                int dp = db + i * di, sp = sb + i;
                if (add) for (int j = j0; j < j1; j++) d[dp + j] += s[sp + j * sj];
                else for (int j = j0; j < j1; j++) d[dp + j] = s[sp + j * sj];
            }
        }
    }
}
