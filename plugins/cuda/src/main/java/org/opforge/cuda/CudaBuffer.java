package org.opforge.cuda;

import org.opforge.tensor.DType;
import org.opforge.tensor.backend.Backend;
import org.opforge.tensor.backend.Buffer;

/**
 * Device storage of {@code numel} elements of {@code dtype} (complex interleaved) in one block of the
 * backend's caching allocator; the block returns to the allocator when this buffer is unreachable.
 */
final class CudaBuffer implements Buffer {
    private final CudaBackend backend;
    private final DType dtype;
    private final long numel;
    private final DeviceAllocator.Block block;

    CudaBuffer(CudaBackend backend, DType dtype, long numel, DeviceAllocator.Block block) {
        this.backend = backend;
        this.dtype = dtype;
        this.numel = numel;
        this.block = block;
    }

    @Override public Backend backend() { return backend; }

    @Override public DType dtype() { return dtype; }

    @Override public long numel() { return numel; }

    long address() { return block.address; }

    /** Real slots (2 per complex element). */
    long slots() { return numel * dtype.slots(); }

    /** Bytes of the elements (the block may be larger). */
    long bytes() { return numel * dtype.bytes(); }

    boolean isDouble() { return dtype.isDouble(); }

    @Override public String toString() {
        return "CudaBuffer(" + dtype + " x " + numel + " at 0x" + Long.toHexString(block.address) + ")";
    }
}
