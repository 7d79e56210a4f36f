package org.opforge.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * Finds the jars of the bundles every container runs: Declarative Services (SCR) with the OSGi
 * libraries it does not embed, Configuration Admin, and File Install. The distribution keeps them
 * in {@code bundles/framework}; tests and embedding hosts have them on the class path as Maven
 * dependencies of the runtime, so they are found there by their Bundle-SymbolicName.
 */
final class FrameworkBundles {
    /** In start order: libraries before their users. */
    static final List<String> REQUIRED = List.of(
            "org.osgi.util.function",
            "org.osgi.util.promise",
            "org.osgi.service.component",
            "org.apache.felix.configadmin",
            "org.apache.felix.scr",
            "org.apache.felix.fileinstall");

    private FrameworkBundles() {}

    /** The jars of {@link #REQUIRED}, in that order, from {@code dir}. */
    static List<Path> fromDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new ContainerException("framework bundle directory '" + dir + "' does not exist");
        }
        Map<String, Path> found = new LinkedHashMap<>();
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(dir, "*.jar")) {
            for (Path jar : jars) {
                try (JarFile jf = new JarFile(jar.toFile())) {
                    String bsn = symbolicName(jf.getManifest());
                    if (bsn != null) found.putIfAbsent(bsn, jar);
                }
            }
        } catch (IOException e) {
            throw new ContainerException("cannot read framework bundle directory '" + dir + "': " + e.getMessage(), e);
        }
        return ordered(found, "directory '" + dir + "'");
    }

    /** The jars of {@link #REQUIRED}, in that order, from the class path of {@code loader}. */
    static List<Path> fromClassPath(ClassLoader loader) {
        Map<String, Path> found = new LinkedHashMap<>();
        try {
            Enumeration<URL> manifests = loader.getResources(JarFile.MANIFEST_NAME);
            while (manifests.hasMoreElements()) {
                URL url = manifests.nextElement();
                if (!"jar".equals(url.getProtocol())) continue;
                URLConnection conn = url.openConnection();
                conn.setUseCaches(false);
                try (InputStream in = conn.getInputStream()) {
                    String bsn = symbolicName(new Manifest(in));
                    if (bsn != null && REQUIRED.contains(bsn)) {
                        found.putIfAbsent(bsn, Paths.get(((JarURLConnection) conn).getJarFileURL().toURI()));
                    }
                }
            }
        } catch (IOException | URISyntaxException e) {
            throw new ContainerException("cannot scan the class path for framework bundles: " + e.getMessage(), e);
        }
        return ordered(found, "class path");
    }

    private static List<Path> ordered(Map<String, Path> found, String where) {
        List<Path> out = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String bsn : REQUIRED) {
            Path p = found.get(bsn);
            if (p == null) missing.add(bsn); else out.add(p);
        }
        if (!missing.isEmpty()) {
            throw new ContainerException("framework bundles missing from the " + where + ": " + missing
                    + " (the distribution keeps them in bundles/framework; build it with 'mvn install')");
        }
        return out;
    }

    private static String symbolicName(Manifest m) {
        if (m == null) return null;
        String v = m.getMainAttributes().getValue("Bundle-SymbolicName");
        if (v == null) return null;
        int semi = v.indexOf(';');
        return (semi < 0 ? v : v.substring(0, semi)).trim();
    }
}
