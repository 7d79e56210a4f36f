package org.opforge.tensor.cpu;

import java.util.concurrent.atomic.AtomicLong;
import org.opforge.tensor.DType;
import org.opforge.tensor.backend.Backend;
import org.opforge.tensor.backend.Buffer;

/**
 * CPU storage: a float[] for float32/complex64 or a double[] for float64/complex128, complex
 * interleaved. Exactly one of {@link #f} and {@link #d} is non-null.
 */
public final class CpuBuffer implements Buffer {
    private static final AtomicLong ALLOCATIONS = new AtomicLong();

    final DType dtype;
    final long numel;
    /** Allocation order ({@link CpuBackend#allocationStamp}). */
    final long serial = ALLOCATIONS.incrementAndGet();
    // not final: release() takes the array away, so that a read after release fails instead of reading another tensor's values
    float[] f;
    double[] d;

    CpuBuffer(DType dtype, long numel) {
        this.dtype = dtype;
        this.numel = numel;
        long slots = numel * dtype.slots();
        if (slots > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("cpu tensors hold at most " + (Integer.MAX_VALUE - 8) + " values, requested " + slots);
        }
        if (dtype.isDouble()) {
            d = new double[(int) slots];
            f = null;
        } else {
            f = new float[(int) slots];
            d = null;
        }
    }

    CpuBuffer(DType dtype, float[] f) {
        this.dtype = dtype;
        this.numel = f.length / dtype.slots();
        this.f = f;
        this.d = null;
    }

    CpuBuffer(DType dtype, double[] d) {
        this.dtype = dtype;
        this.numel = d.length / dtype.slots();
        this.f = null;
        this.d = d;
    }

    /** The current allocation count: every buffer allocated later has a larger {@link #serial}. */
    static long stamp() { return ALLOCATIONS.get(); }

    /** Takes the storage away from this buffer (which is unusable afterwards) and returns it. */
    Object release() {
        Object a = f != null ? f : d;
        f = null;
        d = null;
        return a;
    }

    /** Bytes of storage this buffer holds: 0 once released. */
    public long bytes() { return f != null ? 4L * f.length : d != null ? 8L * d.length : 0; }

    @Override public Backend backend() { return CpuBackend.instance(); }

    @Override public DType dtype() { return dtype; }

    @Override public long numel() { return numel; }

    /** Number of real slots. */
    int slots() { return f != null ? f.length : d.length; }

    double get(int slot) { return f != null ? f[slot] : d[slot]; }

    void set(int slot, double v) {
        if (f != null) f[slot] = (float) v;
        else d[slot] = v;
    }
}
