package org.opforge.cuda;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetAttribute;
import static jcuda.driver.JCudaDriver.cuDeviceGetCount;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRelease;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRetain;
import static jcuda.driver.JCudaDriver.cuDeviceTotalMem;
import static jcuda.driver.JCudaDriver.cuDriverGetVersion;
import static jcuda.driver.JCudaDriver.cuInit;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static jcuda.driver.JCudaDriver.cuMemsetD8Async;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;
import static jcuda.driver.JCudaDriver.cuModuleUnload;
import static jcuda.driver.JCudaDriver.cuStreamCreate;
import static jcuda.driver.JCudaDriver.cuStreamDestroy;
import static jcuda.driver.JCudaDriver.cuStreamSynchronize;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;
import jcuda.driver.CUstream;

/**
 * {@link Driver} on JCuda's driver API: the device's primary context, one blocking stream (so the
 * synchronous host copies, which run on the legacy default stream, stay ordered with the kernels),
 * and the PTX modules loaded with {@code cuModuleLoadData} (the driver JIT-compiles them for the
 * device). Every call is checked; a failure throws {@link CudaError} naming the call.
 */
final class JCudaDriverApi implements Driver {
    /** A device pointer whose address can be read (JCuda keeps it protected). */
    private static final class DevPtr extends CUdeviceptr {
        long address() {
            return getNativePointer();
        }
    }

    private final CUdevice device = new CUdevice();
    private final CUcontext context = new CUcontext();
    private final CUstream stream = new CUstream();
    private final Map<String, CUmodule> modules = new HashMap<>();
    private final Map<String, CUfunction> functions = new HashMap<>();
    private final Map<Long, DevPtr> allocations = new HashMap<>();
    private final String description;
    private final long totalMemory;
    private final int multiprocessors;
    private boolean closed;

    /**
     * Initializes the driver, takes device {@code ordinal}'s primary context and loads the PTX modules.
     *
     * @throws UnsatisfiedLinkError when libcuda.so.1 (or JCuda's own library) cannot be loaded
     * @throws CudaError when the driver has no such device, is too old, or cannot JIT the PTX
     */
    JCudaDriverApi(int ordinal) {
        CudaError.check(cuInit(0), "cuInit");
        int[] count = new int[1];
        CudaError.check(cuDeviceGetCount(count), "cuDeviceGetCount");
        if (ordinal >= count[0]) throw new CudaError("cuDeviceGet(" + ordinal + ") with " + count[0] + " device(s)", CUresult.CUDA_ERROR_NO_DEVICE);
        CudaError.check(cuDeviceGet(device, ordinal), "cuDeviceGet");
        byte[] name = new byte[256];
        CudaError.check(cuDeviceGetName(name, name.length, device), "cuDeviceGetName");
        int len = 0;
        while (len < name.length && name[len] != 0) len++;
        int[] v = new int[1];
        CudaError.check(cuDeviceGetAttribute(v, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device), "cuDeviceGetAttribute");
        int major = v[0];
        CudaError.check(cuDeviceGetAttribute(v, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device), "cuDeviceGetAttribute");
        int minor = v[0];
        CudaError.check(cuDeviceGetAttribute(v, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT, device), "cuDeviceGetAttribute");
        multiprocessors = v[0];
        long[] mem = new long[1];
        CudaError.check(cuDeviceTotalMem(mem, device), "cuDeviceTotalMem");
        totalMemory = mem[0];
        CudaError.check(cuDriverGetVersion(v), "cuDriverGetVersion");
        description = new String(name, 0, len, java.nio.charset.StandardCharsets.US_ASCII).trim() + " (sm_" + major + minor + ", "
                + String.format("%.1f GiB", totalMemory / (double) (1L << 30)) + ", driver API " + v[0] / 1000 + "." + (v[0] % 1000) / 10 + ")";
        CudaError.check(cuDevicePrimaryCtxRetain(context, device), "cuDevicePrimaryCtxRetain");
        try {
            current();
            CudaError.check(cuStreamCreate(stream, 0), "cuStreamCreate");
            for (String m : Kernels.MODULES) {
                CUmodule module = new CUmodule();
                CudaError.check(cuModuleLoadData(module, ptx(m)), "cuModuleLoadData(" + m + ".ptx)");
                modules.put(m, module);
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The PTX text of a module, NUL-terminated as cuModuleLoadData requires. */
    static byte[] ptx(String module) {
        String res = "/org/opforge/cuda/" + module + ".ptx";
        try (InputStream in = JCudaDriverApi.class.getResourceAsStream(res)) {
            if (in == null) throw new IllegalStateException("PTX resource " + res + " is missing from the bundle");
            byte[] b = in.readAllBytes();
            byte[] z = new byte[b.length + 1];
            System.arraycopy(b, 0, z, 0, b.length);
            return z;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read PTX resource " + res + ": " + e.getMessage(), e);
        }
    }

    /** Makes the context current on the calling thread (each backend call may come from another thread). */
    private void current() {
        CudaError.check(cuCtxSetCurrent(context), "cuCtxSetCurrent");
    }

    private DevPtr ptr(long address) {
        DevPtr p = allocations.get(address);
        if (p == null) throw new IllegalArgumentException("no device allocation at address 0x" + Long.toHexString(address));
        return p;
    }

    @Override public long malloc(long bytes) {
        current();
        DevPtr p = new DevPtr();
        int r = cuMemAlloc(p, bytes);
        if (r == CUresult.CUDA_ERROR_OUT_OF_MEMORY) throw new OutOfMemory("cuMemAlloc(" + bytes + " bytes): out of device memory");
        CudaError.check(r, "cuMemAlloc(" + bytes + " bytes)");
        allocations.put(p.address(), p);
        return p.address();
    }

    @Override public void free(long address) {
        current();
        CudaError.check(cuMemFree(ptr(address)), "cuMemFree");
        allocations.remove(address);
    }

    @Override public void memsetZero(long address, long bytes) {
        current();
        CudaError.check(cuMemsetD8Async(ptr(address), (byte) 0, bytes, stream), "cuMemsetD8Async");
    }

    @Override public void copyIn(long address, float[] data) {
        current();
        CudaError.check(cuMemcpyHtoD(ptr(address), Pointer.to(data), 4L * data.length), "cuMemcpyHtoD");
    }

    @Override public void copyIn(long address, double[] data) {
        current();
        CudaError.check(cuMemcpyHtoD(ptr(address), Pointer.to(data), 8L * data.length), "cuMemcpyHtoD");
    }

    @Override public void copyIn(long address, int[] data) {
        current();
        CudaError.check(cuMemcpyHtoD(ptr(address), Pointer.to(data), 4L * data.length), "cuMemcpyHtoD");
    }

    @Override public void copyOut(long address, float[] data) {
        synchronize();
        CudaError.check(cuMemcpyDtoH(Pointer.to(data), ptr(address), 4L * data.length), "cuMemcpyDtoH");
    }

    @Override public void copyOut(long address, double[] data) {
        synchronize();
        CudaError.check(cuMemcpyDtoH(Pointer.to(data), ptr(address), 8L * data.length), "cuMemcpyDtoH");
    }

    private CUfunction function(Kernels.Kernel k) {
        CUfunction f = functions.get(k.name());
        if (f == null) {
            f = new CUfunction();
            CudaError.check(cuModuleGetFunction(f, modules.get(k.module()), k.name()), "cuModuleGetFunction(" + k.name() + ")");
            functions.put(k.name(), f);
        }
        return f;
    }

    @Override public void launch(Kernels.Kernel kernel, int gridX, int gridY, int gridZ, int block, int sharedBytes, KernelArgs args) {
        current();
        List<KernelArgs.Param> ps = args.params();
        Pointer[] values = new Pointer[ps.size()];
        for (int i = 0; i < values.length; i++) values[i] = Pointer.to(ps.get(i).bytes());
        CudaError.check(cuLaunchKernel(function(kernel), gridX, gridY, gridZ, block, 1, 1, sharedBytes, stream, Pointer.to(values), null),
                "cuLaunchKernel(" + kernel.name() + ", grid " + gridX + "x" + gridY + "x" + gridZ + ", block " + block + ")");
    }

    @Override public void synchronize() {
        current();
        CudaError.check(cuStreamSynchronize(stream), "cuStreamSynchronize (an earlier kernel failed)");
    }

    @Override public String describe() { return description; }

    @Override public long totalMemory() { return totalMemory; }

    @Override public int multiprocessors() { return multiprocessors; }

    @Override public void close() {
        if (closed) return;
        closed = true;
        current();
        cuStreamSynchronize(stream);
        for (DevPtr p : allocations.values()) cuMemFree(p);
        allocations.clear();
        for (CUmodule m : modules.values()) cuModuleUnload(m);
        modules.clear();
        functions.clear();
        cuStreamDestroy(stream);
        cuDevicePrimaryCtxRelease(device);
    }
}
