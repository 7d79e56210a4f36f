package org.opforge.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.opforge.api.compute.ComputeBackendService;
import org.opforge.tensor.Device;
import org.opforge.tensor.backend.Backends;

/** The probe answers on any machine: a device, or a reason, and never an exception. */
class CudaProbeTest {

    @Test
    void probeGivesADeviceOrAReason() {
        CudaProbe.Status s = CudaProbe.status();
        assertNotNull(s.description());
        assertFalse(s.description().isBlank(), "the probe must say what it found");
        if (s.available()) {
            assertNotNull(s.backend());
            assertEquals(Device.cuda(0), s.backend().device());
        } else {
            assertEquals(null, s.backend());
            IllegalStateException e = assertThrows(IllegalStateException.class, s::requireBackend);
            assertTrue(e.getMessage().contains(s.description()), e.getMessage());
        }
        assertTrue(CudaProbe.status() == s, "the probe runs once");
    }

    @Test
    void withoutAGpuNothingIsRegistered() {
        CudaProbe.Status s = CudaProbe.status();
        assertEquals(s.available(), CudaProbe.registerIfAvailable().isPresent());
        if (!s.available()) assertFalse(Backends.has(Device.cuda(0)), "no CUDA backend may be registered without a device");
    }

    @Test
    void serviceLoaderFindsTheComputeServiceAndItExplainsItself() {
        List<ComputeBackendService> found = ServiceLoader.load(ComputeBackendService.class).stream().map(ServiceLoader.Provider::get)
                .filter(c -> c instanceof CudaComputeService).collect(Collectors.toList());
        assertEquals(1, found.size(), "META-INF/services registers CudaComputeService");
        ComputeBackendService c = found.get(0);
        assertEquals(Device.cuda(0), c.device());
        assertEquals(CudaProbe.status().available(), c.available());
        assertEquals(CudaProbe.status().description(), c.description());
        if (!c.available()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, c::backend);
            assertTrue(e.getMessage().contains(c.description()));
        }
    }

    @Test
    void reasonsNameTheMissingPiece() {
        String r = CudaProbe.linkReason(new UnsatisfiedLinkError("/tmp/libJCudaDriver.so: libcuda.so.1: cannot open shared object file"));
        assertTrue(r.startsWith("no NVIDIA driver: libcuda.so.1"), r);
        String d = CudaProbe.driverReason(new CudaError("cuInit", jcuda.driver.CUresult.CUDA_ERROR_NO_DEVICE));
        assertTrue(d.contains("no CUDA device") && d.contains("CUDA_ERROR_NO_DEVICE"), d);
        String p = CudaProbe.driverReason(new CudaError("cuModuleLoadData(fft.ptx)", jcuda.driver.CUresult.CUDA_ERROR_UNSUPPORTED_PTX_VERSION));
        assertTrue(p.contains("CUDA 13") && p.contains("fft.ptx"), p);
    }
}
