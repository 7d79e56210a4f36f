package org.opforge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opforge.runtime.BundleInfo;
import org.opforge.runtime.ContainerConfig;
import org.opforge.runtime.OpForgeContainer;

/**
 * Files in the deploy directory that are not bundles, and duplicate bundles: reported with the
 * reason, costing no start-up time, and never uninstalling a bundle another file still deploys.
 */
class DeployFaultsTest {
    private static final Duration WITHIN = Duration.ofSeconds(3);

    @Test
    void filesThatAreNotBundlesAreReportedAndCostNoTime(@TempDir Path tmp) throws Exception {
        Path deploy = Files.createDirectories(tmp.resolve("deploy"));
        Path alpha = TestBundles.alpha(tmp.resolve("built"));
        Files.copy(alpha, deploy.resolve("alpha.jar"));
        Files.writeString(deploy.resolve("not-a-zip.jar"), "garbage");
        byte[] bytes = Files.readAllBytes(alpha);
        Files.write(deploy.resolve("truncated.jar"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        Files.createDirectories(deploy.resolve("folder.jar"));
        EventLog events = new EventLog();
        // the start waited its whole timeout (30 s by default) for the files File Install could never install
        OpForgeContainer c = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> OpForgeContainer.start(ContainerConfig.of(deploy).withListener(e -> events.add(e.line()))));
        try (c) {
            assertEquals(List.of("alpha"), c.operators().stream().map(o -> o.name()).toList());
            List<BundleInfo> ignored = c.ignoredFiles();
            assertEquals(List.of("folder.jar", "not-a-zip.jar", "truncated.jar"), ignored.stream().map(BundleInfo::file).toList());
            assertTrue(ignored.get(0).problem().orElseThrow().contains("a directory"), ignored.toString());
            assertTrue(ignored.get(1).problem().orElseThrow().contains("not a valid jar"), ignored.toString());
            assertTrue(ignored.get(2).problem().orElseThrow().contains("truncated"), ignored.toString());
            events.awaitPrefix(0, "file ignored: not-a-zip.jar: not a valid jar (zip) file", WITHIN);
            events.awaitPrefix(0, "file ignored: folder.jar: a directory", WITHIN);

            // one appearing while the container runs is reported as it appears, once
            int mark = events.lines().size();
            Files.writeString(deploy.resolve("late.jar"), "PK not really");
            events.awaitPrefix(mark, "file ignored: late.jar: ", WITHIN);
            Thread.sleep(600);
            assertEquals(1, events.lines().stream().filter(l -> l.startsWith("file ignored: late.jar")).count(), events.lines().toString());
        }
    }

    @Test
    void aDuplicateIsIgnoredAndDeletingOneCopyKeepsTheBundle(@TempDir Path tmp) throws Exception {
        Path deploy = Files.createDirectories(tmp.resolve("deploy"));
        Path alpha = TestBundles.alpha(tmp.resolve("built"));
        Files.copy(alpha, deploy.resolve("alpha.jar"));
        Files.copy(alpha, deploy.resolve("alpha-copy.jar"));
        EventLog events = new EventLog();
        try (OpForgeContainer c = OpForgeContainer.start(ContainerConfig.of(deploy).withListener(e -> events.add(e.line())))) {
            assertEquals(1, c.bundles().size(), c.bundles().toString());
            String deployed = c.bundles().get(0).file();
            String other = deployed.equals("alpha.jar") ? "alpha-copy.jar" : "alpha.jar";
            BundleInfo dup = c.ignoredFiles().get(0);
            assertEquals(other, dup.file());
            assertEquals("org.opforge.it.alpha", dup.symbolicName());
            assertTrue(dup.problem().orElseThrow().contains("duplicate: bundle org.opforge.it.alpha is already deployed from " + deployed));
            events.awaitPrefix(0, "file ignored: " + other + ": duplicate", WITHIN);

            // delete the deploying file: the other copy takes over, the bundle stays installed
            int mark = events.lines().size();
            Files.delete(deploy.resolve(deployed));
            long deadline = System.nanoTime() + WITHIN.toNanos();
            while (!c.ignoredFiles().isEmpty() && System.nanoTime() < deadline) Thread.sleep(20);
            assertTrue(c.ignoredFiles().isEmpty(), c.ignoredFiles().toString());
            Thread.sleep(800);
            assertEquals(List.of(other), c.bundles().stream().map(BundleInfo::file).toList());
            assertEquals(List.of("alpha"), c.operators().stream().map(o -> o.name()).toList());
            List<String> after = events.lines().subList(mark, events.lines().size());
            assertFalse(after.stream().anyMatch(l -> l.startsWith("bundle uninstalled") || l.startsWith("operator unregistered")),
                    "nothing uninstalled: " + after);

            // deleting the last copy uninstalls it
            Files.delete(deploy.resolve(other));
            events.awaitLine(mark, "bundle uninstalled: org.opforge.it.alpha 1.0.0", WITHIN);
        }
    }
}
