package org.opforge.tensor.cpu;

import org.opforge.tensor.backend.BinaryOp;

/**
 * Row kernels of the real binary ops, one copy per element type: the op is chosen once per row, the
 * loop body is a single expression. float arithmetic here equals computing in double and rounding
 * once (exactly, for + - * / and max/min), so results match the scalar definitions in
 * {@link ScalarMath}.
 */
final class BinaryRows {
    private BinaryRows() {}

    /**
     * One row of a binary kernel on float[]: r[ir + j] = op(a[ia + j*sa], b[ib + j*sb]) for j < len. Unit and
     * zero strides get loops with the op fixed (HotSpot vectorizes them); other cases go element-wise.
     */
    static void row(BinaryOp op, float[] a, int ia, int sa, float[] b, int ib, int sb, float[] r, int ir, int len) {
        if (BinaryKernel.SIMD == null || !BinaryKernel.SIMD.row(op, a, ia, sa, b, ib, sb, r, ir, len)) plainRow(op, a, ia, sa, b, ib, sb, r, ir, len);
    }

    /** {@link #row} without the SIMD kernel (the path where jdk.incubator.vector is absent). */
    static void plainRow(BinaryOp op, float[] a, int ia, int sa, float[] b, int ib, int sb, float[] r, int ir, int len) {
        switch (op) {
            case ADD -> {
                if (sa == 1 && sb == 1) {
                    for (int j = 0; j < len; j++) r[ir + j] = a[ia + j] + b[ib + j];
                    return;
                }
                if (sa == 1 && sb == 0) {
                    float y = b[ib];
                    for (int j = 0; j < len; j++) r[ir + j] = a[ia + j] + y;
                    return;
                }
                if (sa == 0 && sb == 1) {
                    float x = a[ia];
                    for (int j = 0; j < len; j++) r[ir + j] = x + b[ib + j];
                    return;
                }
            }
            case SUB -> {
                if (sa == 1 && sb == 1) {
                    for (int j = 0; j < len; j++) r[ir + j] = a[ia + j] - b[ib + j];
                    return;
                }
                if (sa == 1 && sb == 0) {
                    float y = b[ib];
                    for (int j = 0; j < len; j++) r[ir + j] = a[ia + j] - y;
                    return;
                }
                if (sa == 0 && sb == 1) {
                    float x = a[ia];
                    for (int j = 0; j < len; j++) r[ir + j] = x - b[ib + j];
                    return;
                }
            }
            case MUL -> {
                if (sa == 1 && sb == 1) {
                    for (int j = 0; j < len; j++) r[ir + j] = a[ia + j] * b[ib + j];
                    return;
                }
                if (sa == 1 && sb == 0) {
                    float y = b[ib];
                    for (int j = 0; j < len; j++) r[ir + j] = a[ia + j] * y;
                    return;
                }
                if (sa == 0 && sb == 1) {
                    float x = a[ia];
                    for (int j = 0; j < len; j++) r[ir + j] = x * b[ib + j];
                    return;
                }
            }
            case DIV -> {
                if (sa == 1 && sb == 1) {
                    for (int j = 0; j < len; j++) r[ir + j] = a[ia + j] / b[ib + j];
                    return;
                }
                if (sa == 1 && sb == 0) {
                    float y = b[ib];
                    for (int j = 0; j < len; j++) r[ir + j] = a[ia + j] / y;
                    return;
                }
                if (sa == 0 && sb == 1) {
                    float x = a[ia];
                    for (int j = 0; j < len; j++) r[ir + j] = x / b[ib + j];
                    return;
                }
            }
            case MAX -> {
                if (sa == 1 && sb == 1) {
                    for (int j = 0; j < len; j++) r[ir + j] = Math.max(a[ia + j], b[ib + j]);
                    return;
                }
                if (sa == 1 && sb == 0) {
                    float y = b[ib];
                    for (int j = 0; j < len; j++) r[ir + j] = Math.max(a[ia + j], y);
                    return;
                }
                if (sa == 0 && sb == 1) {
                    float x = a[ia];
                    for (int j = 0; j < len; j++) r[ir + j] = Math.max(x, b[ib + j]);
                    return;
                }
            }
            case MIN -> {
                if (sa == 1 && sb == 1) {
                    for (int j = 0; j < len; j++) r[ir + j] = Math.min(a[ia + j], b[ib + j]);
                    return;
                }
                if (sa == 1 && sb == 0) {
                    float y = b[ib];
                    for (int j = 0; j < len; j++) r[ir + j] = Math.min(a[ia + j], y);
                    return;
                }
                if (sa == 0 && sb == 1) {
                    float x = a[ia];
                    for (int j = 0; j < len; j++) r[ir + j] = Math.min(x, b[ib + j]);
                    return;
                }
            }
            case RELU_GRAD -> {
                if (sa == 1 && sb == 1) {
                    // H(b) as clamp(b 2^254, 0, 1): exact for every float (the least subnormal maps to 2^105), NaN for NaN
                    for (int j = 0; j < len; j++) r[ir + j] = a[ia + j] * Math.min(Math.max(b[ib + j] * 0x1p127f * 0x1p127f, 0f), 1f);
                    return;
                }
            }
            default -> { }
        }
        for (int j = 0; j < len; j++) r[ir + j] = (float) ScalarMath.binary(op, a[ia + j * sa], b[ib + j * sb]);
    }

    /**
     * One row of a binary kernel on double[]: r[ir + j] = op(a[ia + j*sa], b[ib + j*sb]) for j < len. Unit and
     * zero strides get loops with the op fixed (HotSpot vectorizes them); other cases go element-wise.
     */
    static void row(BinaryOp op, double[] a, int ia, int sa, double[] b, int ib, int sb, double[] r, int ir, int len) {
        switch (op) {
            case ADD -> {
                if (sa == 1 && sb == 1) {
                    for (int j = 0; j < len; j++) r[ir + j] = a[ia + j] + b[ib + j];
                    return;
                }
                if (sa == 1 && sb == 0) {
                    double y = b[ib];
                    for (int j = 0; j < len; j++) r[ir + j] = a[ia + j] + y;
                    return;
                }
                if (sa == 0 && sb == 1) {
                    double x = a[ia];
                    for (int j = 0; j < len; j++) r[ir + j] = x + b[ib + j];
                    return;
                }
            }
            case SUB -> {
                if (sa == 1 && sb == 1) {
                    for (int j = 0; j < len; j++) r[ir + j] = a[ia + j] - b[ib + j];
                    return;
                }
                if (sa == 1 && sb == 0) {
                    double y = b[ib];
                    for (int j = 0; j < len; j++) r[ir + j] = a[ia + j] - y;
                    return;
                }
                if (sa == 0 && sb == 1) {
                    double x = a[ia];
                    for (int j = 0; j < len; j++) r[ir + j] = x - b[ib + j];
                    return;
                }
            }
            case MUL -> {
                if (sa == 1 && sb == 1) {
                    for (int j = 0; j < len; j++) r[ir + j] = a[ia + j] * b[ib + j];
                    return;
                }
                if (sa == 1 && sb == 0) {
                    double y = b[ib];
                    for (int j = 0; j < len; j++) r[ir + j] = a[ia + j] * y;
                    return;
                }
                if (sa == 0 && sb == 1) {
                    double x = a[ia];
                    for (int j = 0; j < len; j++) r[ir + j] = x * b[ib + j];
                    return;
                }
            }
            case DIV -> {
                if (sa == 1 && sb == 1) {
                    for (int j = 0; j < len; j++) r[ir + j] = a[ia + j] / b[ib + j];
                    return;
                }
                if (sa == 1 && sb == 0) {
                    double y = b[ib];
                    for (int j = 0; j < len; j++) r[ir + j] = a[ia + j] / y;
                    return;
                }
                if (sa == 0 && sb == 1) {
                    double x = a[ia];
                    for (int j = 0; j < len; j++) r[ir + j] = x / b[ib + j];
                    return;
                }
            }
            case MAX -> {
                if (sa == 1 && sb == 1) {
                    for (int j = 0; j < len; j++) r[ir + j] = Math.max(a[ia + j], b[ib + j]);
                    return;
                }
                if (sa == 1 && sb == 0) {
                    double y = b[ib];
                    for (int j = 0; j < len; j++) r[ir + j] = Math.max(a[ia + j], y);
                    return;
                }
                if (sa == 0 && sb == 1) {
                    double x = a[ia];
                    for (int j = 0; j < len; j++) r[ir + j] = Math.max(x, b[ib + j]);
                    return;
                }
            }
            case MIN -> {
                if (sa == 1 && sb == 1) {
                    for (int j = 0; j < len; j++) r[ir + j] = Math.min(a[ia + j], b[ib + j]);
                    return;
                }
                if (sa == 1 && sb == 0) {
                    double y = b[ib];
                    for (int j = 0; j < len; j++) r[ir + j] = Math.min(a[ia + j], y);
                    return;
                }
                if (sa == 0 && sb == 1) {
                    double x = a[ia];
                    for (int j = 0; j < len; j++) r[ir + j] = Math.min(x, b[ib + j]);
                    return;
                }
            }
            case RELU_GRAD -> {
                if (sa == 1 && sb == 1) {
                    // H(b) as clamp(b 2^2046, 0, 1): exact for every double, NaN for NaN
                    for (int j = 0; j < len; j++) r[ir + j] = a[ia + j] * Math.min(Math.max(b[ib + j] * 0x1p1023 * 0x1p1023, 0.0), 1.0);
                    return;
                }
            }
            default -> { }
        }
        for (int j = 0; j < len; j++) r[ir + j] = (double) ScalarMath.binary(op, a[ia + j * sa], b[ib + j * sb]);
    }
}
