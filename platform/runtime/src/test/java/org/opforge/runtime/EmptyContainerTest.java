package org.opforge.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmptyContainerTest {

    @Test
    void startsFrameworkBundlesOnEmptyDeployDirAndStopsWithoutLeakingThreads(@TempDir Path deploy) throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        Path cache;
        try (OpForgeContainer c = OpForgeContainer.start(deploy)) {
            List<BundleInfo> fw = c.frameworkBundles();
            assertEquals(FrameworkBundles.REQUIRED, fw.stream().map(BundleInfo::symbolicName).collect(Collectors.toList()));
            for (BundleInfo b : fw) assertEquals("active", b.state(), b.symbolicName());
            assertTrue(c.bundles().isEmpty());
            assertTrue(c.operators().isEmpty());
            assertTrue(c.awaitSettled(Duration.ofSeconds(5)));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.operator("fno"));
            assertTrue(e.getMessage().contains("no operator 'fno'") && e.getMessage().contains("available: none"), e.getMessage());
        }
        Set<Thread> leaked = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t) && t.isAlive() && !t.isDaemon())
                .collect(Collectors.toSet());
        for (Thread t : leaked) t.join(2000);
        leaked.removeIf(t -> !t.isAlive());
        assertTrue(leaked.isEmpty(), "threads left after close: " + leaked);
    }

    @Test
    void missingDeployDirIsAnErrorNamingIt(@TempDir Path dir) {
        Path missing = dir.resolve("nope");
        ContainerException e = assertThrows(ContainerException.class, () -> OpForgeContainer.start(missing));
        assertTrue(e.getMessage().contains("deploy directory '" + missing + "' does not exist"), e.getMessage());
    }

    @Test
    void osgiVersionOfMavenVersion() {
        String v = OpForgeVersion.osgi();
        assertTrue(v.matches("\\d+\\.\\d+\\.\\d+(\\.[A-Za-z0-9_-]+)?"), v);
        assertTrue(OpForgeVersion.maven().startsWith(v.substring(0, v.indexOf('.', v.indexOf('.') + 1))), v);
    }

    @Test
    void causeLineOfAStackTrace() {
        String trace = "java.lang.reflect.InvocationTargetException\n\tat x.y(Z.java:1)\n"
                + "Caused by: java.lang.IllegalStateException: boom\n\tat a.b(C.java:2)\n";
        assertEquals("java.lang.IllegalStateException: boom", Diagnosis.firstCause(trace));
        assertEquals("java.lang.IllegalStateException: only", Diagnosis.firstCause("java.lang.IllegalStateException: only\n\tat a.b(C.java:2)"));
    }

    @Test
    void frameworkDirWithoutTheBundlesNamesTheMissingOnes(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("deploy"));
        ContainerException e = assertThrows(ContainerException.class,
                () -> OpForgeContainer.start(ContainerConfig.of(dir.resolve("deploy")).withFrameworkDir(dir)));
        assertTrue(e.getMessage().contains("org.apache.felix.scr"), e.getMessage());
    }
}
