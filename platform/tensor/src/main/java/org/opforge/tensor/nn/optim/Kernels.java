package org.opforge.tensor.nn.optim;

import org.opforge.tensor.DType;
import org.opforge.tensor.backend.Backend;
import org.opforge.tensor.backend.BinaryOp;
import org.opforge.tensor.backend.Buffer;
import org.opforge.tensor.backend.UnaryOp;

/**
 * In-place element-wise arithmetic on contiguous real buffers of one length, through the device's
 * {@link Backend} kernels, so optimizer steps allocate nothing after their first step. Every
 * destination may be one of the sources: each kernel reads and writes element {@code i} at the same
 * index only. Works on any backend (CPU, CUDA) because it only calls the kernel SPI.
 */
final class Kernels {
    private final Backend be;
    private final int n;
    private final int[] shape;
    private static final int[] UNIT = {1};

    Kernels(Backend be, long n) {
        if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("optimizer: a parameter of " + n + " elements is too large");
        this.be = be;
        this.n = (int) n;
        this.shape = new int[] {this.n};
    }

    /** The device whose kernels these are (for fused steps such as {@link Backend#adamStep}). */
    Backend backend() {
        return be;
    }

    Buffer allocate(DType dtype) {
        return be.allocate(dtype, n);
    }

    /** dst = a * src. */
    void scale(Buffer src, double a, Buffer dst) {
        be.unary(UnaryOp.MUL_SCALAR, src, dst, a);
    }

    /** dst = src + a. */
    void addScalar(Buffer src, double a, Buffer dst) {
        be.unary(UnaryOp.ADD_SCALAR, src, dst, a);
    }

    void sqrt(Buffer src, Buffer dst) {
        be.unary(UnaryOp.SQRT, src, dst, 0);
    }

    void square(Buffer src, Buffer dst) {
        be.unary(UnaryOp.SQUARE, src, dst, 0);
    }

    void add(Buffer a, Buffer b, Buffer dst) {
        binary(BinaryOp.ADD, a, b, dst);
    }

    void mul(Buffer a, Buffer b, Buffer dst) {
        binary(BinaryOp.MUL, a, b, dst);
    }

    void div(Buffer a, Buffer b, Buffer dst) {
        binary(BinaryOp.DIV, a, b, dst);
    }

    void max(Buffer a, Buffer b, Buffer dst) {
        binary(BinaryOp.MAX, a, b, dst);
    }

    /** y = y + a * x, with {@code tmp} as scratch (distinct from x and y). */
    void axpy(double a, Buffer x, Buffer y, Buffer tmp) {
        if (a == 0) return;
        if (a == 1) {
            add(y, x, y);
            return;
        }
        scale(x, a, tmp);
        add(y, tmp, y);
    }

    void copy(Buffer src, Buffer dst) {
        be.copyStrided(src, 0, UNIT, dst, 0, UNIT, shape);
    }

    private void binary(BinaryOp op, Buffer a, Buffer b, Buffer dst) {
        be.binary(op, a, 0, UNIT, b, 0, UNIT, dst, shape);
    }
}
