package org.opforge.cuda;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A {@link Driver} that runs the backend's CUDA kernels on the host: the sources of src/main/cuda
 * compiled with g++ against the emulation header src/test/cpp/emu_shim.h into a JNI library (built
 * on first use under the system property {@code cuda.emu.dir}). Device memory is host memory. It
 * checks the kernels' logic and the backend's launch parameters on machines without a GPU; it says
 * nothing about speed, occupancy, or races between real threads.
 */
final class EmuDriver implements Driver {
    private static String unavailable;
    private static boolean loaded;

    /** Builds (when stale) and loads the library; null when ready, else why not. */
    static synchronized String load() {
        if (loaded) return null;
        if (unavailable != null) return unavailable;
        try {
            Path module = Path.of("").toAbsolutePath();
            Path cuda = module.resolve("src/main/cuda"), cpp = module.resolve("src/test/cpp");
            if (!Files.isDirectory(cuda) || !Files.isDirectory(cpp)) return unavailable = "kernel sources not found under " + module;
            Path dir = Path.of(System.getProperty("cuda.emu.dir", "target/cuda-emu")).toAbsolutePath();
            Files.createDirectories(dir);
            Path lib = dir.resolve("libopforgeemu.so");
            FileTime newest = FileTime.fromMillis(0);
            List<Path> sources = new ArrayList<>();
            for (Path d : List.of(cuda, cpp)) {
                try (Stream<Path> s = Files.list(d)) {
                    s.forEach(sources::add);
                }
            }
            for (Path s : sources) if (Files.getLastModifiedTime(s).compareTo(newest) > 0) newest = Files.getLastModifiedTime(s);
            if (!Files.exists(lib) || Files.getLastModifiedTime(lib).compareTo(newest) < 0) {
                String javaHome = System.getProperty("java.home");
                if (!Files.exists(Path.of(javaHome, "include", "jni.h"))) {
                    return unavailable = "no JNI headers under " + javaHome + "/include (a runtime image without them): the kernel emulator cannot be built";
                }
                List<String> cmd = List.of("g++", "-O2", "-std=c++17", "-shared", "-fPIC", "-Wno-unknown-pragmas",
                        "-I" + javaHome + "/include", "-I" + javaHome + "/include/linux", "-I" + cuda,
                        "-include", cpp.resolve("emu_shim.h").toString(), "-o", lib.toString(), cpp.resolve("emu.cpp").toString());
                Process p;
                try {
                    p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                } catch (IOException e) {
                    return unavailable = "g++ is not available to build the kernel emulator: " + e.getMessage();
                }
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    throw new IllegalStateException("building the kernel emulator failed: " + String.join(" ", cmd) + "\n" + out);
                }
            }
            System.load(lib.toString());
            loaded = true;
            return null;
        } catch (IOException e) {
            return unavailable = "cannot build the kernel emulator: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unavailable = "interrupted while building the kernel emulator";
        }
    }

    private static native long nMalloc(long bytes);

    private static native void nFree(long address);

    private static native void nMemset(long address, long bytes);

    private static native void nCopyIn(long address, Object array, long bytes);

    private static native void nCopyOut(long address, Object array, long bytes);

    private static native String nLaunch(String name, int gx, int gy, int gz, int block, int smem, byte[] params, int[] offsets);

    /** Allocated bytes by address, to catch frees of unknown addresses. */
    private final java.util.Map<Long, Long> live = new java.util.HashMap<>();
    private final long capacity;
    private long used;
    int launches;

    /** An emulated device with {@code capacity} bytes (allocations beyond it fail as out of memory). */
    EmuDriver(long capacity) {
        String why = load();
        if (why != null) throw new IllegalStateException(why);
        this.capacity = capacity;
    }

    @Override public long malloc(long bytes) {
        if (bytes <= 0) throw new IllegalArgumentException("malloc of " + bytes + " bytes");
        if (used + bytes > capacity) throw new OutOfMemory("emulated device full: " + used + " + " + bytes + " > " + capacity);
        long a = nMalloc(bytes);
        if (a == 0) throw new OutOfMemory("host allocation of " + bytes + " bytes failed");
        live.put(a, bytes);
        used += bytes;
        return a;
    }

    @Override public void free(long address) {
        Long b = live.remove(address);
        if (b == null) throw new IllegalArgumentException("free of unknown address 0x" + Long.toHexString(address));
        used -= b;
        nFree(address);
    }

    private void check(long address, long bytes) {
        // the address must lie in one live allocation
        for (var e : live.entrySet()) {
            if (address >= e.getKey() && address + bytes <= e.getKey() + e.getValue()) return;
        }
        throw new IllegalArgumentException("access of " + bytes + " bytes at 0x" + Long.toHexString(address) + " outside every allocation");
    }

    @Override public void memsetZero(long address, long bytes) {
        check(address, bytes);
        nMemset(address, bytes);
    }

    @Override public void copyIn(long address, float[] data) { check(address, 4L * data.length); nCopyIn(address, data, 4L * data.length); }

    @Override public void copyIn(long address, double[] data) { check(address, 8L * data.length); nCopyIn(address, data, 8L * data.length); }

    @Override public void copyIn(long address, int[] data) { check(address, 4L * data.length); nCopyIn(address, data, 4L * data.length); }

    @Override public void copyOut(long address, float[] data) { check(address, 4L * data.length); nCopyOut(address, data, 4L * data.length); }

    @Override public void copyOut(long address, double[] data) { check(address, 8L * data.length); nCopyOut(address, data, 8L * data.length); }

    @Override public void launch(Kernels.Kernel kernel, int gridX, int gridY, int gridZ, int block, int sharedBytes, KernelArgs args) {
        if (gridX < 1 || gridY < 1 || gridZ < 1 || gridY > 65535 || gridZ > 65535 || block < 1 || block > 1024) {
            throw new IllegalArgumentException(kernel.name() + ": invalid launch grid " + gridX + "x" + gridY + "x" + gridZ + ", block " + block);
        }
        if (sharedBytes > 48 * 1024) throw new IllegalArgumentException(kernel.name() + ": " + sharedBytes + " bytes of dynamic shared memory > 48 KiB");
        List<KernelArgs.Param> ps = args.params();
        int[] offsets = new int[ps.size()];
        int size = 0;
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = size;
            size += (ps.get(i).bytes().length + 15) / 16 * 16;
        }
        byte[] packed = new byte[Math.max(size, 1)];
        for (int i = 0; i < offsets.length; i++) System.arraycopy(ps.get(i).bytes(), 0, packed, offsets[i], ps.get(i).bytes().length);
        launches++;
        String err = nLaunch(kernel.name(), gridX, gridY, gridZ, block, sharedBytes, packed, offsets);
        if (err != null) throw new IllegalStateException(err);
    }

    @Override public void synchronize() {}

    @Override public String describe() { return "host emulation of the CUDA kernels"; }

    @Override public long totalMemory() { return capacity; }

    @Override public int multiprocessors() { return 2; }

    @Override public void close() {
        for (long a : live.keySet()) nFree(a);
        live.clear();
        used = 0;
    }
}
