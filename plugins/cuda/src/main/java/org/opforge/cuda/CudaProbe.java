package org.opforge.cuda;

import java.io.File;
import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.Set;
import org.opforge.tensor.Device;
import org.opforge.tensor.backend.Backend;
import org.opforge.tensor.backend.Backends;

/**
 * Finds out, once, whether CUDA device 0 is usable: JCuda's driver library loads (it needs
 * libcuda.so.1), the driver has a device, and it accepts our PTX. The result says either which device
 * or why not, in words for {@code opforge info} and the log (logged once). The probe never throws.
 */
public final class CudaProbe {
    private static final System.Logger LOG = System.getLogger(CudaProbe.class.getName());

    /** The outcome: a working backend, or the reason there is none. */
    public record Status(boolean available, String description, CudaBackend backend) {
        public Backend requireBackend() {
            if (!available) throw new IllegalStateException("CUDA is not available: " + description);
            return backend;
        }
    }

    private static Status status;

    private CudaProbe() {}

    /** The (cached) probe result. */
    public static synchronized Status status() {
        if (status == null) {
            status = probe();
            // the bundle ships in every distribution, so its absence is no news: 'opforge info' reports the
            // reason (the ComputeBackendService), and a working device is logged once
            if (status.available()) LOG.log(Level.INFO, "CUDA backend available: " + status.description());
            else LOG.log(Level.DEBUG, "CUDA backend unavailable: " + status.description());
        }
        return status;
    }

    /** Registers the CUDA backend with the tensor engine when a device was found (embedding without OSGi, tests, benchmarks). */
    public static synchronized Optional<Backend> registerIfAvailable() {
        Status s = status();
        if (!s.available()) return Optional.empty();
        Backends.register(s.backend());
        return Optional.of(s.backend());
    }

    /** Unregisters and closes the backend (bundle stop); the next {@link #status()} probes again. */
    static synchronized void release() {
        if (status != null && status.available()) {
            Backends.unregister(status.backend());
            status.backend().close();
        }
        status = null;
    }

    private static Status probe() {
        Set<String> before = jcudaTempFiles();
        Status s = connect();
        if (!s.available()) removeNewJcudaTempFiles(before);
        return s;
    }

    /**
     * JCuda's library loader falls back to copying its native library into {@code java.io.tmpdir}
     * when the bundle's copy does not load (it does not where libcuda.so.1 is missing); a failed
     * probe removes what that fallback wrote, so that no command leaves a file behind.
     */
    private static Set<String> jcudaTempFiles() {
        String[] names = new File(System.getProperty("java.io.tmpdir")).list((d, n) -> n.startsWith("libJCuda"));
        return names == null ? Set.of() : Set.of(names);
    }

    private static void removeNewJcudaTempFiles(Set<String> before) {
        File tmp = new File(System.getProperty("java.io.tmpdir"));
        for (String n : jcudaTempFiles()) {
            if (!before.contains(n) && !new File(tmp, n).delete()) LOG.log(Level.DEBUG, "could not remove " + new File(tmp, n));
        }
    }

    private static Status connect() {
        Driver driver;
        try {
            driver = new JCudaDriverApi(0);
        } catch (UnsatisfiedLinkError e) {
            return new Status(false, linkReason(e), null);
        } catch (NoClassDefFoundError e) {
            return new Status(false, "JCuda classes are missing (" + e.getMessage() + ")", null);
        } catch (CudaError e) {
            return new Status(false, driverReason(e), null);
        } catch (RuntimeException e) {
            return new Status(false, "CUDA initialization failed: " + e, null);
        }
        CudaBackend backend = new CudaBackend(Device.cuda(0), driver);
        return new Status(true, driver.describe(), backend);
    }

    static String linkReason(UnsatisfiedLinkError e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("libcuda.so")) {
            String line = m.lines().filter(l -> l.contains("libcuda.so")).findFirst().orElse(m).trim();
            return "no NVIDIA driver: libcuda.so.1 cannot be loaded (" + line + ")";
        }
        return "JCuda's native driver library does not load: " + firstLine(m);
    }

    static String driverReason(CudaError e) {
        return switch (e.codeName()) {
            case "CUDA_ERROR_NO_DEVICE" -> "the NVIDIA driver is installed but reports no CUDA device (" + e.getMessage() + ")";
            case "CUDA_ERROR_INSUFFICIENT_DRIVER", "CUDA_ERROR_SYSTEM_DRIVER_MISMATCH" ->
                    "the NVIDIA driver is too old for the CUDA driver API (" + e.getMessage() + ")";
            case "CUDA_ERROR_UNSUPPORTED_PTX_VERSION", "CUDA_ERROR_INVALID_PTX" ->
                    "the NVIDIA driver cannot compile the backend's PTX (made by CUDA 13, ISA 9.0: a driver for CUDA 13 or newer is needed): "
                            + e.getMessage();
            default -> "CUDA initialization failed: " + e.getMessage();
        };
    }

    private static String firstLine(String s) {
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }
}
