package org.opforge.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The parameters of one kernel launch, in order, with their PTX kinds. The signature string (one code
 * per parameter: {@code p} pointer, {@code l} int64, {@code i} int32, {@code d} double, {@code S<n>}
 * a by-value struct of n bytes of int64 words, {@code G<n>} one of int32 words) is checked against
 * {@link Kernels} at every launch and against the PTX files by the tests, so a parameter list that
 * drifts from the CUDA source fails on the build machine instead of corrupting a GPU run.
 */
final class KernelArgs {
    /** One parameter: its code and its bytes (little-endian, as the device reads them). */
    record Param(String code, byte[] bytes) {}

    private final List<Param> params = new ArrayList<>();

    private KernelArgs add(String code, ByteBuffer b) {
        params.add(new Param(code, b.array()));
        return this;
    }

    private static ByteBuffer buf(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A device address (0 for a null pointer). */
    KernelArgs ptr(long address) { return add("p", buf(8).putLong(address)); }

    KernelArgs ptr(CudaBuffer b) { return ptr(b.address()); }

    KernelArgs i64(long v) { return add("l", buf(8).putLong(v)); }

    KernelArgs i32(int v) { return add("i", buf(4).putInt(v)); }

    KernelArgs i32(boolean v) { return i32(v ? 1 : 0); }

    KernelArgs f64(double v) { return add("d", buf(8).putDouble(v)); }

    /** A struct of int64 words. */
    KernelArgs struct(long[] words) {
        ByteBuffer b = buf(8 * words.length);
        for (long w : words) b.putLong(w);
        return add("S" + 8 * words.length, b);
    }

    /** A struct of int32 words. */
    KernelArgs struct(int[] words) {
        ByteBuffer b = buf(4 * words.length);
        for (int w : words) b.putInt(w);
        return add("G" + 4 * words.length, b);
    }

    List<Param> params() { return params; }

    /** The codes joined by spaces ("p l S200"). */
    String signature() {
        StringBuilder s = new StringBuilder();
        for (Param p : params) s.append(s.length() == 0 ? "" : " ").append(p.code());
        return s.toString();
    }
}
