package org.opforge.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;

/** The bundle headers bnd computed (in the classes directory the tests run from). */
class BundleManifestTest {
    /** The bundle's location: the classes directory under Maven, or the opforge-cuda jar (plugins/cuda/gpu-session.sh). */
    private static Path location() throws Exception {
        return Path.of(CudaBackend.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** An entry of the bundle, or null when absent. */
    private static byte[] entry(String name) throws Exception {
        Path loc = location();
        if (Files.isDirectory(loc)) {
            Path p = loc.resolve(name);
            return Files.exists(p) ? Files.readAllBytes(p) : null;
        }
        try (JarFile jar = new JarFile(loc.toFile())) {
            JarEntry e = jar.getJarEntry(name);
            if (e == null) return null;
            try (InputStream in = jar.getInputStream(e)) {
                return in.readAllBytes();
            }
        }
    }

    private static Manifest manifest() throws Exception {
        byte[] mf = entry("META-INF/MANIFEST.MF");
        assertTrue(mf != null, "bnd writes META-INF/MANIFEST.MF into " + location());
        return new Manifest(new java.io.ByteArrayInputStream(mf));
    }

    @Test
    void nativeCodeNamesTheEmbeddedDriverLibraryWithTheOptionalClause() throws Exception {
        String nc = manifest().getMainAttributes().getValue("Bundle-NativeCode");
        assertTrue(nc != null && nc.startsWith("lib/libJCudaDriver-12.6.0-linux-x86_64.so;"), "Bundle-NativeCode: " + nc);
        assertTrue(nc.contains("osname=Linux") && nc.contains("processor=x86-64"), nc);
        assertTrue(nc.replace(" ", "").endsWith(",*"), "the ', *' clause keeps the bundle resolvable elsewhere: " + nc);
        byte[] lib = entry("lib/libJCudaDriver-12.6.0-linux-x86_64.so");
        assertTrue(lib != null && lib.length > 100_000, "the library is in the bundle");
    }

    @Test
    void jcudaIsEmbeddedAndTheComponentIsImmediate() throws Exception {
        var a = manifest().getMainAttributes();
        assertEquals("org.opforge.cuda", a.getValue("Bundle-SymbolicName"));
        String priv = a.getValue("Private-Package");
        assertTrue(priv.contains("jcuda.driver") && priv.contains("org.opforge.cuda"), "Private-Package: " + priv);
        String imports = a.getValue("Import-Package");
        assertTrue(!imports.contains("jcuda"), "JCuda is embedded, not imported: " + imports);
        assertTrue(priv.contains("jcuda.runtime"), "the verifier needs jcuda.runtime's types: " + priv);
        assertTrue(a.getValue("Export-Package") == null, "the implementation stays private");
        String xml = new String(entry("OSGI-INF/org.opforge.cuda.CudaComputeService.xml"), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(xml.contains("immediate=\"true\"") && xml.contains("org.opforge.api.compute.ComputeBackendService"), xml);
        for (String m : Kernels.MODULES) assertTrue(entry("org/opforge/cuda/" + m + ".ptx") != null, m + ".ptx in the bundle");
    }
}
