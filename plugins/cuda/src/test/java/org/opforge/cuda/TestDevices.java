package org.opforge.cuda;

import java.util.function.Supplier;
import java.util.stream.Stream;
import org.opforge.tensor.Device;

/**
 * The CUDA backends a test can run on: the host emulation of the kernels (device {@code cudaemu:0},
 * present wherever g++ builds the emulator) and the real GPU ({@code cuda:0}, present where the probe
 * finds one). Each is created once; {@link #reason} says why one is absent.
 */
final class TestDevices {
    private TestDevices() {}

    /** A named backend supplier for parameterized tests. */
    record Target(String name, Supplier<CudaBackend> backend, Supplier<String> reason) {
        @Override public String toString() { return name; }
    }

    private static CudaBackend emu;

    static synchronized CudaBackend emulated() {
        if (emu == null && EmuDriver.load() == null) emu = new CudaBackend(new Device("cudaemu", 0), new EmuDriver(4L << 30));
        return emu;
    }

    static CudaBackend gpu() {
        CudaProbe.Status s = CudaProbe.status();
        return s.available() ? s.backend() : null;
    }

    static Stream<Target> targets() {
        return Stream.of(new Target("emulated", TestDevices::emulated, EmuDriver::load),
                new Target("cuda", TestDevices::gpu, () -> CudaProbe.status().available() ? null : CudaProbe.status().description()));
    }
}
