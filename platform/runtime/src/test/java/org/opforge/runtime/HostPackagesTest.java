package org.opforge.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.opforge.api.OperatorFactory;

class HostPackagesTest {

    @Test
    void aBundleJarIsExportedAsItsManifestSays() {
        String clause = HostPackages.exportClause(List.of(OperatorFactory.class), "9.9.9");
        assertTrue(clause.contains("org.opforge.api;version=\"0.1.0\""), clause);
        assertTrue(clause.contains("org.opforge.api.config;version=\"0.1.0\""), clause);
        assertTrue(!clause.contains("9.9.9"), clause);
    }

    @Test
    void aPlainClassDirectoryIsExportedPackageByPackageAtTheFallbackVersion() {
        // the test classes directory has no manifest: every package holding a class is exported
        String clause = HostPackages.exportClause(List.of(HostPackagesTest.class), "1.2.3.SNAPSHOT");
        assertEquals("org.opforge.runtime;version=\"1.2.3.SNAPSHOT\"", clause);
    }
}
