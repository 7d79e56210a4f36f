package org.opforge.cli;

import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.opforge.api.compute.ComputeBackendService;
import org.opforge.runtime.BundleInfo;
import org.opforge.runtime.ContainerException;
import org.opforge.runtime.OpForgeContainer;
import org.opforge.runtime.OpForgeVersion;
import org.opforge.tensor.backend.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code opforge info}: the machine as OpForge sees it: JVM, cores, whether the SIMD path is on,
 * and whether a CUDA device is usable, or why not.
 */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Show the JVM, CPU cores, SIMD availability (jdk.incubator.vector) and CUDA availability (device, or why there is none).")
public final class InfoCommand implements Callable<Integer> {
    private static final String VECTOR_MODULE = "jdk.incubator.vector";

    @Mixin DeployOptions deploy;
    @Spec CommandSpec spec;

    @Mixin JsonOption json;

    @Override
    public Integer call() {
        Runtime rt = Runtime.getRuntime();
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("opforge", OpForgeVersion.maven());
        info.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ", "
                + System.getProperty("java.vendor") + ")");
        info.put("javaHome", System.getProperty("java.home"));
        info.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " (" + System.getProperty("os.arch") + ")");
        info.put("cores", rt.availableProcessors());
        info.put("maxHeap", String.format(Locale.ROOT, "%.1f GiB", rt.maxMemory() / (double) (1L << 30)));
        info.put("simd", simd());
        info.put("cpuBackend", Backends.cpu().describe());
        info.put("deployDir", deploy.deployDir().toAbsolutePath().normalize().toString());
        info.put("cuda", cuda());
        PrintWriter out = spec.commandLine().getOut();
        if (json.enabled()) {
            Output.json(out, info);
        } else {
            info.forEach((k, v) -> out.println(label(k) + ": " + v));
            out.flush();
        }
        return 0;
    }

    /**
     * "available: ..." with the preferred float vector shape when the JVM resolved the incubator module
     * (started with --add-modules jdk.incubator.vector), else "unavailable: ..." saying how to get it.
     */
    static String simd() {
        Optional<Module> module = ModuleLayer.boot().findModule(VECTOR_MODULE);
        if (module.isEmpty()) {
            return "unavailable: the JVM was started without --add-modules " + VECTOR_MODULE
                    + " (bin/opforge adds it where the JDK has the module)";
        }
        try {
            // reflection: this code is compiled and run without the incubator module as well
            Class<?> floatVector = Class.forName(VECTOR_MODULE + ".FloatVector");
            Object species = floatVector.getField("SPECIES_PREFERRED").get(null);
            Class<?> speciesType = Class.forName(VECTOR_MODULE + ".VectorSpecies");
            Method bits = speciesType.getMethod("vectorBitSize");
            Method lanes = speciesType.getMethod("length");
            return "available: " + VECTOR_MODULE + ", preferred float vectors " + bits.invoke(species) + " bits ("
                    + lanes.invoke(species) + " lanes)";
        } catch (ReflectiveOperationException | LinkageError e) {
            return "unavailable: " + VECTOR_MODULE + " is present but not usable: " + Main.message(e);
        }
    }

    /** The CUDA device from a compute backend bundle, or why there is none. */
    private String cuda() {
        Path dir = deploy.deployDir();
        if (!Files.isDirectory(dir)) return "unavailable: deploy directory " + dir.toAbsolutePath() + " does not exist";
        try (OpForgeContainer c = deploy.start()) {
            List<ComputeBackendService> cuda = c.services(ComputeBackendService.class).stream()
                    .filter(s -> s.device().kind().equals("cuda")).collect(Collectors.toList());
            for (ComputeBackendService s : cuda) if (s.available()) return "available: " + s.device() + " " + s.description();
            if (!cuda.isEmpty()) return "unavailable: " + cuda.get(0).description();
            List<BundleInfo> bundles = c.bundles().stream().filter(b -> b.symbolicName().contains("cuda")).collect(Collectors.toList());
            if (bundles.isEmpty()) return "unavailable: no CUDA backend bundle in " + c.deployDir();
            BundleInfo b = bundles.get(0);
            return "unavailable: bundle " + b.symbolicName() + " " + b.version() + " is " + b.state()
                    + b.problem().map(p -> ": " + p).orElse(" but registered no compute backend");
        } catch (ContainerException e) {
            return "unknown: the container did not start: " + e.getMessage();
        }
    }

    private static String label(String key) {
        switch (key) {
            case "opforge": return "OpForge";
            case "java": return "Java";
            case "javaHome": return "Java home";
            case "os": return "OS";
            case "cores": return "CPU cores";
            case "maxHeap": return "Max heap";
            case "simd": return "SIMD";
            case "cpuBackend": return "CPU backend";
            case "deployDir": return "Deploy dir";
            case "cuda": return "CUDA";
            default: return key;
        }
    }
}
