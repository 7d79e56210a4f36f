package org.opforge.cuda;

import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.opforge.tensor.backend.Backend;

/** {@link TestDevices} for tests outside this package (the golden suite runs in the harness's package). */
public final class CudaTestAccess {
    private CudaTestAccess() {}

    /** A CUDA backend to test on, or the reason it is absent. */
    public record Target(String name, Supplier<Backend> backend, Supplier<String> reason) {}

    public static List<Target> targets() {
        return TestDevices.targets().map(t -> new Target(t.name(), () -> t.backend().get(), t.reason())).collect(Collectors.toList());
    }
}
