package org.opforge.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;

/** The bundle headers bnd computed (in the classes directory the tests run from). */
class BundleManifestTest {
    private static Path classes() throws Exception {
        return Path.of(CudaBackend.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static Manifest manifest() throws Exception {
        Path mf = classes().resolve("META-INF/MANIFEST.MF");
        assertTrue(Files.exists(mf), "bnd writes " + mf + " in process-classes");
        try (InputStream in = Files.newInputStream(mf)) {
            return new Manifest(in);
        }
    }

    @Test
    void nativeCodeNamesTheEmbeddedDriverLibraryWithTheOptionalClause() throws Exception {
        String nc = manifest().getMainAttributes().getValue("Bundle-NativeCode");
        assertTrue(nc != null && nc.startsWith("lib/libJCudaDriver-12.6.0-linux-x86_64.so;"), "Bundle-NativeCode: " + nc);
        assertTrue(nc.contains("osname=Linux") && nc.contains("processor=x86-64"), nc);
        assertTrue(nc.replace(" ", "").endsWith(",*"), "the ', *' clause keeps the bundle resolvable elsewhere: " + nc);
        assertTrue(Files.size(classes().resolve("lib/libJCudaDriver-12.6.0-linux-x86_64.so")) > 100_000, "the library is in the bundle");
    }

    @Test
    void jcudaIsEmbeddedAndTheComponentIsImmediate() throws Exception {
        var a = manifest().getMainAttributes();
        assertEquals("org.opforge.cuda", a.getValue("Bundle-SymbolicName"));
        String priv = a.getValue("Private-Package");
        assertTrue(priv.contains("jcuda.driver") && priv.contains("org.opforge.cuda"), "Private-Package: " + priv);
        String imports = a.getValue("Import-Package");
        assertTrue(!imports.matches(".*jcuda\\.driver.*") && imports.contains("jcuda.runtime;resolution:=optional"), "Import-Package: " + imports);
        assertTrue(a.getValue("Export-Package") == null, "the implementation stays private");
        String xml = Files.readString(classes().resolve("OSGI-INF/org.opforge.cuda.CudaComputeService.xml"));
        assertTrue(xml.contains("immediate=\"true\"") && xml.contains("org.opforge.api.compute.ComputeBackendService"), xml);
        for (String m : Kernels.MODULES) assertTrue(Files.exists(classes().resolve("org/opforge/cuda/" + m + ".ptx")), m + ".ptx in the bundle");
    }
}
