package org.opforge.tensor.cpu;

/**
 * One row of a strided copy or accumulate, in real slots: {@code len} elements of {@code w} slots
 * (1 real, 2 complex), source step {@code ss} and destination step {@code ds} in slots. A row that is
 * contiguous on both sides is one System.arraycopy.
 */
final class StridedRows {
    private StridedRows() {}

    static void row(float[] s, int a, int ss, float[] d, int b, int ds, int len, int w, boolean add) {
        if (!add && ss == w && ds == w) {
            System.arraycopy(s, a, d, b, len * w);
            return;
        }
        if (w == 1) {
            if (ds == 1 && ss == 0) {
                // one value spread along a contiguous row (expand, the backward of a sum)
                if (add) { float v = s[a]; for (int j = 0; j < len; j++) d[b + j] += v; }
                else java.util.Arrays.fill(d, b, b + len, s[a]);
            } else if (add && ds == 1 && ss == 1) {
                for (int j = 0; j < len; j++) d[b + j] += s[a + j];
            } else if (add) {
                for (int j = 0; j < len; j++) d[b + j * ds] += s[a + j * ss];
            } else {
                for (int j = 0; j < len; j++) d[b + j * ds] = s[a + j * ss];
            }
            return;
        }
        for (int j = 0; j < len; j++) {
            int x = a + j * ss, y = b + j * ds;
            if (add) { d[y] += s[x]; d[y + 1] += s[x + 1]; }
            else { d[y] = s[x]; d[y + 1] = s[x + 1]; }
        }
    }

    static void row(double[] s, int a, int ss, double[] d, int b, int ds, int len, int w, boolean add) {
        if (!add && ss == w && ds == w) {
            System.arraycopy(s, a, d, b, len * w);
            return;
        }
        if (w == 1) {
            if (ds == 1 && ss == 0) {
                // one value spread along a contiguous row (expand, the backward of a sum)
                if (add) { double v = s[a]; for (int j = 0; j < len; j++) d[b + j] += v; }
                else java.util.Arrays.fill(d, b, b + len, s[a]);
            } else if (add && ds == 1 && ss == 1) {
                for (int j = 0; j < len; j++) d[b + j] += s[a + j];
            } else if (add) {
                for (int j = 0; j < len; j++) d[b + j * ds] += s[a + j * ss];
            } else {
                for (int j = 0; j < len; j++) d[b + j * ds] = s[a + j * ss];
            }
            return;
        }
        for (int j = 0; j < len; j++) {
            int x = a + j * ss, y = b + j * ds;
            if (add) { d[y] += s[x]; d[y + 1] += s[x + 1]; }
            else { d[y] = s[x]; d[y + 1] = s[x + 1]; }
        }
    }
}
