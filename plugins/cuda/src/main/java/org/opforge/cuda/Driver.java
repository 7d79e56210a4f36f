package org.opforge.cuda;

/**
 * The few device operations the backend needs, on raw device addresses: allocation, copies, and
 * kernel launches by name. {@link JCudaDriverApi} implements it with JCuda's driver API; the tests
 * also run the whole backend on a host emulation of the same kernels through this interface.
 *
 * <p>All operations are ordered as issued (one stream); copies to the host wait for earlier kernels.
 * Implementations are used under the backend's lock and need not be thread-safe.
 */
interface Driver extends AutoCloseable {

    /** Thrown by {@link #malloc} when the device has no block of that size left. */
    final class OutOfMemory extends RuntimeException {
        OutOfMemory(String message) {
            super(message);
        }
    }

    /** Allocates {@code bytes} (> 0) of device memory, aligned to at least 256 bytes. */
    long malloc(long bytes);

    void free(long address);

    /** Sets {@code bytes} bytes at {@code address} to zero (stream-ordered). */
    void memsetZero(long address, long bytes);

    void copyIn(long address, float[] data);

    void copyIn(long address, double[] data);

    void copyIn(long address, int[] data);

    void copyOut(long address, float[] data);

    void copyOut(long address, double[] data);

    /**
     * Launches {@code kernel} on a grid of {@code gridX x gridY x gridZ} blocks of {@code block} threads
     * with {@code sharedBytes} of dynamic shared memory.
     */
    void launch(Kernels.Kernel kernel, int gridX, int gridY, int gridZ, int block, int sharedBytes, KernelArgs args);

    /** Waits for every issued operation and reports a pending asynchronous error. */
    void synchronize();

    /** "NVIDIA H100 80GB HBM3 (sm_90, 79.1 GiB, driver 13.0)". */
    String describe();

    /** Total device memory in bytes. */
    long totalMemory();

    /** Number of multiprocessors (sizes grids that loop). */
    int multiprocessors();

    @Override void close();
}
