package org.opforge.api.data;

/**
 * Value statistics of one field, over the finite values only; NaN and infinities are counted
 * apart. min, max and mean are NaN when no value is finite.
 */
public record FieldStats(long count, double min, double max, double mean, long nan, long posInf, long negInf) {
    /** NaN plus infinite values. */
    public long nonFinite() { return nan + posInf + negInf; }

    /** Accumulates statistics in one pass (Kahan-free: mean is a running double sum, enough for a summary). */
    public static final class Accumulator {
        private long count;
        private double min = Double.POSITIVE_INFINITY;
        private double max = Double.NEGATIVE_INFINITY;
        private double sum;
        private long nan;
        private long posInf;
        private long negInf;

        public void add(float[] v, int from, int to) {
            for (int i = from; i < to; i++) add(v[i]);
        }

        public void add(double[] v, int from, int to) {
            for (int i = from; i < to; i++) add(v[i]);
        }

        public void add(double x) {
            count++;
            if (Double.isNaN(x)) nan++;
            else if (x == Double.POSITIVE_INFINITY) posInf++;
            else if (x == Double.NEGATIVE_INFINITY) negInf++;
            else {
                if (x < min) min = x;
                if (x > max) max = x;
                sum += x;
            }
        }

        public FieldStats result() {
            long finite = count - nan - posInf - negInf;
            return finite == 0
                    ? new FieldStats(count, Double.NaN, Double.NaN, Double.NaN, nan, posInf, negInf)
                    : new FieldStats(count, min, max, sum / finite, nan, posInf, negInf);
        }
    }
}
