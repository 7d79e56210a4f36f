package org.opforge.api.compute;

import org.opforge.tensor.Device;
import org.opforge.tensor.backend.Backend;

/**
 * A compute device offered by a bundle. A backend bundle probes its device when it activates and
 * publishes this service either way: available, wrapping a working {@link Backend}, or unavailable
 * with the reason in {@link #description()} ("no libcuda.so.1: no NVIDIA driver installed"), so the
 * host can tell the user why a device is absent instead of only that it is.
 */
public interface ComputeBackendService {

    /** The device served ({@code cuda:0}). */
    Device device();

    /** Whether {@link #backend()} works. */
    boolean available();

    /** The device name and driver when available ("NVIDIA H100 80GB HBM3, driver 13.0"), else why not. */
    String description();

    /**
     * The kernels for {@link #device()}.
     *
     * @throws IllegalStateException with {@link #description()} when not {@link #available()}
     */
    Backend backend();
}
