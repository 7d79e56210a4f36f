package org.opforge.tensor.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.opforge.tensor.backend.BinaryOp;

/**
 * {@link BinaryKernel} on jdk.incubator.vector (loaded only when the module is present): unit-stride
 * rows, and rows against one broadcast value, for + - * / max min and ReLU's backward; the scalar tail
 * through {@link ScalarMath}, which the plain loops agree with exactly. One loop per op with the
 * operation spelled out: a {@code lanewise(op, ...)} with the operator in a variable is not
 * intrinsified (measured 5x slower than the plain loop).
 */
final class VectorBinaryKernel implements BinaryKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /** The three stride patterns with a loop here. */
    private enum Pattern { BOTH, A_ROW, B_ROW }

    @Override
    public boolean row(BinaryOp op, float[] a, int ia, int sa, float[] b, int ib, int sb, float[] r, int ir, int len) {
        Pattern p = sa == 1 && sb == 1 ? Pattern.BOTH : sa == 1 && sb == 0 ? Pattern.A_ROW : sa == 0 && sb == 1 ? Pattern.B_ROW : null;
        if (p == null || (op == BinaryOp.RELU_GRAD && p != Pattern.BOTH)) return false;
        int end = S.loopBound(len), step = S.length(), j = 0;
        switch (op) {
            case ADD -> { for (; j < end; j += step) x(p, a, ia, j).add(y(p, b, ib, j)).intoArray(r, ir + j); }
            case SUB -> { for (; j < end; j += step) x(p, a, ia, j).sub(y(p, b, ib, j)).intoArray(r, ir + j); }
            case MUL -> { for (; j < end; j += step) x(p, a, ia, j).mul(y(p, b, ib, j)).intoArray(r, ir + j); }
            case DIV -> { for (; j < end; j += step) x(p, a, ia, j).div(y(p, b, ib, j)).intoArray(r, ir + j); }
            case MAX -> { for (; j < end; j += step) x(p, a, ia, j).max(y(p, b, ib, j)).intoArray(r, ir + j); }
            case MIN -> { for (; j < end; j += step) x(p, a, ia, j).min(y(p, b, ib, j)).intoArray(r, ir + j); }
            case RELU_GRAD -> {
                // H(b) = clamp(b 2^254, 0, 1): exact for every float (the least subnormal maps to 2^105), NaN for NaN
                for (; j < end; j += step) {
                    FloatVector h = FloatVector.fromArray(S, b, ib + j).mul(0x1p127f).mul(0x1p127f).max(0f).min(1f);
                    FloatVector.fromArray(S, a, ia + j).mul(h).intoArray(r, ir + j);
                }
            }
            default -> { return false; }
        }
        for (; j < len; j++) r[ir + j] = (float) ScalarMath.binary(op, a[ia + j * sa], b[ib + j * sb]);
        return true;
    }

    private static FloatVector x(Pattern p, float[] a, int ia, int j) {
        return p == Pattern.B_ROW ? FloatVector.broadcast(S, a[ia]) : FloatVector.fromArray(S, a, ia + j);
    }

    private static FloatVector y(Pattern p, float[] b, int ib, int j) {
        return p == Pattern.A_ROW ? FloatVector.broadcast(S, b[ib]) : FloatVector.fromArray(S, b, ib + j);
    }
}
