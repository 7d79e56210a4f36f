package org.opforge.tensor.cpu;

import org.opforge.tensor.backend.ReduceOp;

/**
 * Reduction loops with the op fixed per call, accumulating in double. MAX and MIN propagate NaN
 * (as PyTorch): once a NaN is seen it stays.
 */
final class ReduceRows {
    private ReduceRows() {}

    static double combine(ReduceOp op, double acc, double v) {
        return switch (op) {
            case SUM -> acc + v;
            case MAX -> (v > acc || Double.isNaN(v)) && !Double.isNaN(acc) ? v : acc;
            case MIN -> (v < acc || Double.isNaN(v)) && !Double.isNaN(acc) ? v : acc;
        };
    }

    /**
     * op over x[off .. off+len) combined into init. SUM runs four interleaved partial sums (one
     * dependent add chain would wait out the add latency on every element), combined pairwise at the end.
     */
    static double row(ReduceOp op, float[] x, int off, int len, double init) {
        if (op == ReduceOp.SUM) {
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            int j = 0;
            for (; j + 3 < len; j += 4) {
                s0 += x[off + j];
                s1 += x[off + j + 1];
                s2 += x[off + j + 2];
                s3 += x[off + j + 3];
            }
            for (; j < len; j++) s0 += x[off + j];
            return init + ((s0 + s1) + (s2 + s3));
        }
        double acc = init;
        for (int j = 0; j < len; j++) acc = combine(op, acc, x[off + j]);
        return acc;
    }

    static double row(ReduceOp op, double[] x, int off, int len, double init) {
        if (op == ReduceOp.SUM) {
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            int j = 0;
            for (; j + 3 < len; j += 4) {
                s0 += x[off + j];
                s1 += x[off + j + 1];
                s2 += x[off + j + 2];
                s3 += x[off + j + 3];
            }
            for (; j < len; j++) s0 += x[off + j];
            return init + ((s0 + s1) + (s2 + s3));
        }
        double acc = init;
        for (int j = 0; j < len; j++) acc = combine(op, acc, x[off + j]);
        return acc;
    }

    /** acc[a + j] = op(acc[a + j], x[off + j]) for j < len. */
    static void columns(ReduceOp op, float[] x, int off, double[] acc, int a, int len) {
        switch (op) {
            case SUM -> { for (int j = 0; j < len; j++) acc[a + j] += x[off + j]; }
            default -> { for (int j = 0; j < len; j++) acc[a + j] = combine(op, acc[a + j], x[off + j]); }
        }
    }

    static void columns(ReduceOp op, double[] x, int off, double[] acc, int a, int len) {
        switch (op) {
            case SUM -> { for (int j = 0; j < len; j++) acc[a + j] += x[off + j]; }
            default -> { for (int j = 0; j < len; j++) acc[a + j] = combine(op, acc[a + j], x[off + j]); }
        }
    }
}
