package org.opforge.tensor.cpu;

import org.opforge.tensor.backend.UnaryOp;

/**
 * Range kernels of the real unary ops, one copy per element type, with the op chosen once per range
 * (cheap ops vectorize; transcendental ones still save the per-element dispatch). float results are
 * computed in double and rounded once, like {@link ScalarMath}; ops without a loop here use it.
 */
final class UnaryRows {
    private UnaryRows() {}

    /** r[i] = op(s[i], p) for i in [lo, hi). */
    static void range(UnaryOp op, float[] s, float[] r, double p, int lo, int hi) {
        switch (op) {
            case NEG -> {
                for (int i = lo; i < hi; i++) r[i] = -s[i];
            }
            case ABS -> {
                for (int i = lo; i < hi; i++) r[i] = Math.abs(s[i]);
            }
            case SQUARE -> {
                for (int i = lo; i < hi; i++) r[i] = s[i] * s[i];
            }
            case RELU -> {
                // max(x, 0) vectorizes (MaxVF), a conditional select does not (~40x slower on random signs); NaN stays NaN as in PyTorch
                for (int i = lo; i < hi; i++) r[i] = Math.max(s[i], 0f);
            }
            case STEP -> {
                // branch-free x > 0 on the bit pattern b: 1 for 0 < b <= +inf, 0 for zeros, negatives and NaN
                for (int i = lo; i < hi; i++) {
                    int b = Math.max(Float.floatToRawIntBits(s[i]), 0);
                    r[i] = (float) (((-b) >>> 31) - ((0x7f800000 - b) >>> 31));
                }
            }
            case ADD_SCALAR -> {
                for (int i = lo; i < hi; i++) r[i] = (float) (s[i] + p);
            }
            case MUL_SCALAR -> {
                for (int i = lo; i < hi; i++) r[i] = (float) (s[i] * p);
            }
            case CLAMP_MIN -> {
                for (int i = lo; i < hi; i++) r[i] = (float) Math.max(s[i], p);
            }
            case CLAMP_MAX -> {
                for (int i = lo; i < hi; i++) r[i] = (float) Math.min(s[i], p);
            }
            case GT_SCALAR -> {
                for (int i = lo; i < hi; i++) r[i] = s[i] > p ? 1f : 0f;
            }
            case EXP -> {
                for (int i = lo; i < hi; i++) r[i] = (float) Math.exp(s[i]);
            }
            case LOG -> {
                for (int i = lo; i < hi; i++) r[i] = (float) Math.log(s[i]);
            }
            case SQRT -> {
                for (int i = lo; i < hi; i++) r[i] = (float) Math.sqrt(s[i]);
            }
            case RECIPROCAL -> {
                for (int i = lo; i < hi; i++) r[i] = (float) (1.0 / s[i]);
            }
            case TANH -> {
                for (int i = lo; i < hi; i++) r[i] = (float) Math.tanh(s[i]);
            }
            case NORMAL_CDF, NORMAL_PDF, GELU, GELU_GRAD -> Activations.range(Activations.KERNEL, op, s, r, lo, hi);
            default -> {
                for (int i = lo; i < hi; i++) r[i] = (float) ScalarMath.unary(op, s[i], p);
            }
        }
    }

    /** r[i] = op(s[i], p) for i in [lo, hi). */
    static void range(UnaryOp op, double[] s, double[] r, double p, int lo, int hi) {
        switch (op) {
            case NEG -> {
                for (int i = lo; i < hi; i++) r[i] = -s[i];
            }
            case ABS -> {
                for (int i = lo; i < hi; i++) r[i] = Math.abs(s[i]);
            }
            case SQUARE -> {
                for (int i = lo; i < hi; i++) r[i] = s[i] * s[i];
            }
            case RELU -> {
                for (int i = lo; i < hi; i++) r[i] = s[i] > 0 ? s[i] : 0.0;
            }
            case STEP -> {
                for (int i = lo; i < hi; i++) r[i] = s[i] > 0 ? 1.0 : 0.0;
            }
            case ADD_SCALAR -> {
                for (int i = lo; i < hi; i++) r[i] = s[i] + p;
            }
            case MUL_SCALAR -> {
                for (int i = lo; i < hi; i++) r[i] = s[i] * p;
            }
            case CLAMP_MIN -> {
                for (int i = lo; i < hi; i++) r[i] = Math.max(s[i], p);
            }
            case CLAMP_MAX -> {
                for (int i = lo; i < hi; i++) r[i] = Math.min(s[i], p);
            }
            case GT_SCALAR -> {
                for (int i = lo; i < hi; i++) r[i] = s[i] > p ? 1.0 : 0.0;
            }
            case EXP -> {
                for (int i = lo; i < hi; i++) r[i] = Math.exp(s[i]);
            }
            case LOG -> {
                for (int i = lo; i < hi; i++) r[i] = Math.log(s[i]);
            }
            case SQRT -> {
                for (int i = lo; i < hi; i++) r[i] = Math.sqrt(s[i]);
            }
            case RECIPROCAL -> {
                for (int i = lo; i < hi; i++) r[i] = 1.0 / s[i];
            }
            case TANH -> {
                for (int i = lo; i < hi; i++) r[i] = Math.tanh(s[i]);
            }
            default -> {
                for (int i = lo; i < hi; i++) r[i] = (double) ScalarMath.unary(op, s[i], p);
            }
        }
    }
}
