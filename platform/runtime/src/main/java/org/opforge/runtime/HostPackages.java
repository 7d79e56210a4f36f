package org.opforge.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * Builds {@code org.osgi.framework.system.packages.extra}: the host libraries whose classes bundles
 * must share with the host (the service API, the tensor engine, slf4j). Each library is named by one
 * of its classes; the packages come from its jar (or class directory): the Export-Package header
 * when the jar is a bundle, so the versions are the ones bnd computed imports against; otherwise
 * every package holding a class, at {@code fallbackVersion}.
 */
final class HostPackages {
    private HostPackages() {}

    static String exportClause(List<Class<?>> anchors, String fallbackVersion) {
        List<String> clauses = new ArrayList<>();
        for (Class<?> anchor : anchors) clauses.add(exportsOf(anchor, fallbackVersion));
        return String.join(",", clauses);
    }

    private static String exportsOf(Class<?> anchor, String fallbackVersion) {
        Path location = locationOf(anchor);
        try {
            Manifest manifest = manifestOf(location);
            String exports = manifest == null ? null : manifest.getMainAttributes().getValue("Export-Package");
            if (exports != null && !exports.isBlank()) return exports;
            List<String> clauses = new ArrayList<>();
            for (String pkg : packagesIn(location)) clauses.add(pkg + ";version=\"" + fallbackVersion + "\"");
            if (clauses.isEmpty()) throw new ContainerException("no packages found in " + location + " (holding " + anchor.getName() + ")");
            return String.join(",", clauses);
        } catch (IOException e) {
            throw new ContainerException("cannot read host library " + location + ": " + e.getMessage(), e);
        }
    }

    private static Path locationOf(Class<?> anchor) {
        CodeSource cs = anchor.getProtectionDomain().getCodeSource();
        if (cs == null || cs.getLocation() == null) {
            throw new ContainerException("cannot locate the jar of " + anchor.getName() + " to export its packages");
        }
        try {
            return Paths.get(cs.getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new ContainerException("odd location of " + anchor.getName() + ": " + cs.getLocation(), e);
        }
    }

    private static Manifest manifestOf(Path location) throws IOException {
        if (Files.isDirectory(location)) {
            Path mf = location.resolve(JarFile.MANIFEST_NAME);
            if (!Files.isRegularFile(mf)) return null;
            try (InputStream in = Files.newInputStream(mf)) {
                return new Manifest(in);
            }
        }
        try (JarFile jar = new JarFile(location.toFile())) {
            return jar.getManifest();
        }
    }

    /** Packages that directly hold at least one class, skipping META-INF (multi-release versions included). */
    static TreeSet<String> packagesIn(Path location) throws IOException {
        TreeSet<String> packages = new TreeSet<>();
        if (Files.isDirectory(location)) {
            try (Stream<Path> files = Files.walk(location)) {
                files.filter(p -> p.toString().endsWith(".class"))
                        .map(p -> location.relativize(p).toString().replace('\\', '/'))
                        .forEach(name -> addPackage(packages, name));
            }
        } else {
            try (JarFile jar = new JarFile(location.toFile())) {
                Enumeration<JarEntry> entries = jar.entries();
                while (entries.hasMoreElements()) {
                    String name = entries.nextElement().getName();
                    if (name.endsWith(".class")) addPackage(packages, name);
                }
            }
        }
        return packages;
    }

    private static void addPackage(TreeSet<String> packages, String classFile) {
        if (classFile.startsWith("META-INF/")) return;
        int slash = classFile.lastIndexOf('/');
        if (slash > 0) packages.add(classFile.substring(0, slash).replace('/', '.'));
    }
}
