package org.opforge.api.pde;

/**
 * A generation that would need more heap than the JVM has left, found before the memory is
 * allocated.
 */
public final class MemoryLimitException extends IllegalArgumentException {
    private final String parameter;
    private final long bytes;
    private final long available;
    private final String what;

    /**
     * @param parameter the parameter whose value drives the need ("resolution", "samples")
     * @param bytes     the bytes needed
     * @param available the bytes the heap has left
     * @param what      what the memory is for
     */
    public MemoryLimitException(String parameter, long bytes, long available, String what) {
        super(parameter + ": " + what + " needs about " + bytes + " bytes; the heap has " + available + " bytes available");
        this.parameter = parameter;
        this.bytes = bytes;
        this.available = available;
        this.what = what;
    }

    public String what() { return what; }

    public String parameter() { return parameter; }

    public long bytes() { return bytes; }

    public long available() { return available; }

    /** The heap the JVM can still allocate: its maximum less what is in use. */
    public static long availableHeap() {
        Runtime rt = Runtime.getRuntime();
        return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
    }

    /** @throws MemoryLimitException when {@code bytes} exceed {@link #availableHeap()} */
    public static void require(String parameter, long bytes, String what) {
        long available = availableHeap();
        if (bytes > available) throw new MemoryLimitException(parameter, bytes, available, what);
    }
}
