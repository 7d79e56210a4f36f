package org.opforge.cuda;

import org.opforge.api.compute.ComputeBackendService;
import org.opforge.tensor.Device;
import org.opforge.tensor.backend.Backend;
import org.opforge.tensor.backend.Backends;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * The CUDA device as a {@link ComputeBackendService}. As an (immediate) DS component it probes the GPU
 * when the bundle starts, registers the backend with the tensor engine's {@link Backends} when a
 * device is found, and always publishes itself, so {@code opforge info} can tell why there is no GPU;
 * deactivation unregisters the backend and frees the device. Without OSGi it is found through
 * {@link java.util.ServiceLoader} and probes on first use (registering is then the caller's choice,
 * for example {@link CudaProbe#registerIfAvailable()}).
 */
@Component(immediate = true, service = ComputeBackendService.class)
public final class CudaComputeService implements ComputeBackendService {
    private volatile CudaProbe.Status status;
    private boolean registered;

    public CudaComputeService() {}

    @Activate
    void activate() {
        CudaProbe.Status s = status();
        if (s.available()) {
            Backends.register(s.backend());
            registered = true;
        }
    }

    @Deactivate
    void deactivate() {
        if (registered) {
            registered = false;
            CudaProbe.release();
        }
        status = null;
    }

    private CudaProbe.Status status() {
        CudaProbe.Status s = status;
        if (s == null) status = s = CudaProbe.status();
        return s;
    }

    @Override public Device device() { return Device.cuda(0); }

    @Override public boolean available() { return status().available(); }

    @Override public String description() { return status().description(); }

    @Override public Backend backend() { return status().requireBackend(); }
}
