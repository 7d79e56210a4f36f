package org.opforge.tensor.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.opforge.tensor.Device;
import org.opforge.tensor.cpu.CpuBackend;

/**
 * The registry of compute backends by device. The CPU backend is always present; other backends
 * (CUDA) register themselves when their device is found (from an OSGi component, or by whoever
 * embeds them) and unregister when they go away.
 */
public final class Backends {
    private static final Map<Device, Backend> REGISTRY = new ConcurrentHashMap<>();

    static {
        REGISTRY.put(Device.CPU, CpuBackend.instance());
    }

    private Backends() {}

    public static Backend cpu() {
        return REGISTRY.get(Device.CPU);
    }

    public static Backend get(Device device) {
        Backend b = REGISTRY.get(device);
        if (b == null) {
            throw new IllegalArgumentException("no compute backend for device '" + device + "'; available: "
                    + available());
        }
        return b;
    }

    public static boolean has(Device device) {
        return REGISTRY.containsKey(device);
    }

    public static void register(Backend backend) {
        if (backend.device().equals(Device.CPU)) throw new IllegalArgumentException("the cpu backend is built in");
        REGISTRY.put(backend.device(), backend);
    }

    public static void unregister(Backend backend) {
        REGISTRY.remove(backend.device(), backend);
    }

    public static List<Device> available() {
        List<Device> list = new ArrayList<>(REGISTRY.keySet());
        list.sort((a, b) -> a.toString().compareTo(b.toString()));
        return list;
    }
}
