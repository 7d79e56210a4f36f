package org.opforge.it;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import aQute.bnd.osgi.Builder;
import aQute.bnd.osgi.Jar;
import org.opforge.api.OperatorFactory;
import org.opforge.api.pde.DataGeneratorProvider;
import org.opforge.it.bundles.alpha.AlphaOperator;
import org.opforge.it.bundles.broken.BrokenOperator;
import org.opforge.it.bundles.throwing.ThrowingOperator;
import org.opforge.tensor.Tensor;

/**
 * Builds the small operator bundles the integration tests deploy, with bnd from the compiled test
 * classes, as bnd-maven-plugin builds real bundles: Declarative Services XML from the annotations,
 * imports computed against the API jar, and a {@code META-INF/services} entry for use without OSGi.
 */
public final class TestBundles {
    private static final String COMMON = "org.opforge.it.bundles.common";

    private TestBundles() {}

    /** Jars of every test bundle, built once into one directory. */
    public record Built(Path alpha, Path swap1, Path swap2, Path broken, Path throwing) {}

    public static Built buildAll(Path dir) {
        return new Built(alpha(dir), swap(dir.resolve("swap-1.jar"), 1), swap(dir.resolve("swap-2.jar"), 2),
                broken(dir), throwing(dir));
    }

    /** The operator that stays deployed: name "alpha", y = 3x. */
    public static Path alpha(Path dir) {
        return build(dir.resolve("alpha.jar"), "org.opforge.it.alpha", "1.0.0", AlphaOperator.class, Map.of());
    }

    /** Versions 1.0.0 (y = x) and 2.0.0 (y = 2x) of the operator "swap", built as {@code file}. */
    public static Path swap(Path file, int version) {
        String pkg = "org.opforge.it.bundles.swap.v" + version;
        return build(file, "org.opforge.it.swap", version + ".0.0", pkg + ".SwapOperator", pkg, Map.of());
    }

    /** A bundle importing a package nobody exports. */
    public static Path broken(Path dir) {
        return build(dir.resolve("broken.jar"), "org.opforge.it.broken", "1.0.0", BrokenOperator.class,
                Map.of("Import-Package", "org.opforge.it.nowhere;version=\"[1.0,2)\",*"));
    }

    /**
     * Versions 1.0.0 (factor 1) and 2.0.0 (factor 2) of the data generator bundle offering the problem
     * "ramp" ({@link org.opforge.it.bundles.common.RampGenerator}), built as {@code file}.
     */
    public static Path ramp(Path file, int version) {
        String pkg = "org.opforge.it.bundles.ramp.v" + version;
        return build(file, "org.opforge.it.ramp", version + ".0.0", DataGeneratorProvider.class, pkg + ".RampGenerators", pkg, Map.of());
    }

    /** A bundle whose component throws on activation. */
    public static Path throwing(Path dir) {
        return build(dir.resolve("throwing.jar"), "org.opforge.it.throwing", "1.0.0", ThrowingOperator.class, Map.of());
    }

    private static Path build(Path out, String bsn, String version, Class<? extends OperatorFactory> component,
                              Map<String, String> headers) {
        return build(out, bsn, version, OperatorFactory.class, component.getName(), component.getPackageName(), headers);
    }

    private static Path build(Path out, String bsn, String version, String component, String pkg, Map<String, String> headers) {
        return build(out, bsn, version, OperatorFactory.class, component, pkg, headers);
    }

    private static Path build(Path out, String bsn, String version, Class<?> service, String component, String pkg,
                              Map<String, String> headers) {
        try (Builder b = new Builder()) {
            b.setProperty("Bundle-SymbolicName", bsn);
            b.setProperty("Bundle-Version", version);
            b.setProperty("-privatepackage", pkg + "," + COMMON);
            b.setProperty("-dsannotations", "*");
            b.setProperty("-includeresource",
                    "META-INF/services/" + service.getName() + ";literal='" + component + "\n'");
            headers.forEach(b::setProperty);
            for (Class<?> c : List.of(TestBundles.class, OperatorFactory.class, Tensor.class)) b.addClasspath(location(c));
            Jar jar = b.build();
            if (!b.getErrors().isEmpty()) throw new IllegalStateException("bnd failed to build " + bsn + ": " + b.getErrors());
            Files.createDirectories(out.toAbsolutePath().getParent());
            jar.write(out.toFile());
            return out;
        } catch (Exception e) {
            throw new IllegalStateException("cannot build test bundle " + bsn + " " + version + ": " + e, e);
        }
    }

    /** The jar or class directory {@code c} was loaded from. */
    public static File location(Class<?> c) {
        try {
            return Paths.get(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toFile();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Puts {@code jar} into {@code deployDir} under {@code name} the way a deployment must: written
     * next to it first, then moved in atomically, so the watcher never reads a half-written jar. The
     * modification time is pushed past the replaced file's, because the watcher compares name, size
     * and mtime and two builds within one clock tick could otherwise look identical.
     */
    public static Path deploy(Path jar, Path deployDir, String name) throws IOException {
        Path target = deployDir.resolve(name);
        Path staging = Files.createTempFile(deployDir.getParent(), name, ".part");
        Files.copy(jar, staging, StandardCopyOption.REPLACE_EXISTING);
        if (Files.exists(target)) {
            long previous = Files.getLastModifiedTime(target).toMillis();
            Files.setLastModifiedTime(staging, FileTime.fromMillis(Math.max(System.currentTimeMillis(), previous + 1000)));
        }
        return Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
