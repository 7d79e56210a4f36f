package org.opforge.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opforge.api.OperatorFactory;
import org.opforge.it.bundles.throwing.ThrowingOperator;
import org.opforge.runtime.BundleInfo;
import org.opforge.runtime.ContainerConfig;
import org.opforge.runtime.OpForgeContainer;
import org.opforge.runtime.OperatorInfo;
import org.opforge.tensor.Tensor;

/**
 * Drives a real container through install, hot update, failures and uninstall, all by changing
 * files in the watched directory.
 */
class HotDeployTest {
    private static final Duration WITHIN = Duration.ofSeconds(3);

    @Test
    void installUpdateFailuresAndUninstallWhileOtherBundlesKeepRunning(@TempDir Path tmp) throws Exception {
        Path deploy = Files.createDirectories(tmp.resolve("deploy"));
        TestBundles.Built jars = TestBundles.buildAll(tmp.resolve("built"));
        Tensor x = Tensor.of(new float[] {1, -2, 0.5f, 4}, 2, 2);
        Set<Thread> threadsBefore = Thread.getAllStackTraces().keySet();

        EventLog events = new EventLog();
        ContainerConfig config = ContainerConfig.of(deploy).withListener(e -> events.add(e.line()));
        try (OpForgeContainer c = OpForgeContainer.start(config)) {
            // install
            TestBundles.deploy(jars.alpha(), deploy, "alpha.jar");
            TestBundles.deploy(jars.swap1(), deploy, "swap.jar");
            events.awaitLine(0, "bundle installed: org.opforge.it.alpha 1.0.0", WITHIN);
            events.awaitLine(0, "bundle installed: org.opforge.it.swap 1.0.0", WITHIN);
            events.awaitLine(0, "operator registered: alpha (bundle org.opforge.it.alpha 1.0.0)", WITHIN);
            events.awaitLine(0, "operator registered: swap (bundle org.opforge.it.swap 1.0.0)", WITHIN);
            assertEquals(List.of("alpha", "swap"), names(c.operators()));
            assertArrayEquals(new float[] {1, -2, 0.5f, 4}, apply(c, "swap", x), "v1 is y = x");
            assertArrayEquals(new float[] {3, -6, 1.5f, 12}, apply(c, "alpha", x));
            OperatorFactory alphaService = c.operator("alpha");
            long alphaId = bundle(c, "org.opforge.it.alpha").id();

            // hot update by replacing the file: new version, new behaviour; alpha untouched
            int mark = events.lines().size();
            TestBundles.deploy(jars.swap2(), deploy, "swap.jar");
            int unreg = events.awaitLine(mark, "operator unregistered: swap (bundle org.opforge.it.swap 1.0.0)", WITHIN);
            int upd = events.awaitLine(mark, "bundle updated: org.opforge.it.swap 2.0.0 (was 1.0.0)", WITHIN);
            int reg = events.awaitLine(mark, "operator registered: swap (bundle org.opforge.it.swap 2.0.0)", WITHIN);
            assertTrue(unreg < upd && upd < reg, "old service goes, bundle updates, new service comes: " + events.lines());
            assertArrayEquals(new float[] {2, -4, 1, 8}, apply(c, "swap", x), "v2 is y = 2x");
            assertEquals("test operator swap v2: y = 2x", c.operator("swap").description());
            assertSame(alphaService, c.operator("alpha"), "alpha's service object survives the swap");
            assertEquals(alphaId, bundle(c, "org.opforge.it.alpha").id());
            assertTrue(events.lines().stream().noneMatch(l -> l.contains("unregistered: alpha")), events.lines().toString());

            // a bundle that cannot resolve: reported with the reason, the rest keeps running
            mark = events.lines().size();
            TestBundles.deploy(jars.broken(), deploy, "broken.jar");
            events.awaitLine(mark, "bundle installed: org.opforge.it.broken 1.0.0", WITHIN);
            String failed = events.awaitPrefix(mark, "bundle failed: org.opforge.it.broken 1.0.0: ", WITHIN);
            assertTrue(failed.contains("org.opforge.it.nowhere"), failed);
            assertEquals("installed", bundle(c, "org.opforge.it.broken").state());
            assertTrue(bundle(c, "org.opforge.it.broken").problem().orElse("").contains("org.opforge.it.nowhere"));

            // a component that throws on activation: reported with the exception, the rest keeps running
            mark = events.lines().size();
            TestBundles.deploy(jars.throwing(), deploy, "throwing.jar");
            String thrown = events.awaitPrefix(mark, "bundle failed: org.opforge.it.throwing 1.0.0: ", WITHIN);
            assertTrue(thrown.contains(ThrowingOperator.MESSAGE) && thrown.contains("IllegalStateException"), thrown);
            assertTrue(bundle(c, "org.opforge.it.throwing").problem().orElse("").contains(ThrowingOperator.MESSAGE));
            assertEquals(List.of("alpha", "swap"), names(c.operators()));
            assertArrayEquals(new float[] {3, -6, 1.5f, 12}, apply(c, "alpha", x));
            assertArrayEquals(new float[] {2, -4, 1, 8}, apply(c, "swap", x));

            // uninstall by deleting the file
            mark = events.lines().size();
            Files.delete(deploy.resolve("swap.jar"));
            events.awaitLine(mark, "operator unregistered: swap (bundle org.opforge.it.swap 2.0.0)", WITHIN);
            events.awaitLine(mark, "bundle uninstalled: org.opforge.it.swap 2.0.0", WITHIN);
            assertEquals(List.of("alpha"), names(c.operators()));
            assertEquals(List.of("org.opforge.it.alpha", "org.opforge.it.broken", "org.opforge.it.throwing"),
                    c.bundles().stream().map(BundleInfo::symbolicName).collect(Collectors.toList()));
            assertSame(alphaService, c.operator("alpha"));
        }
        assertNoThreadsLeft(threadsBefore);
    }

    @Test
    void bundlesAlreadyInTheDeployDirAreUpWhenStartReturns(@TempDir Path tmp) throws Exception {
        Path deploy = Files.createDirectories(tmp.resolve("deploy"));
        TestBundles.deploy(TestBundles.alpha(tmp), deploy, "alpha.jar");
        TestBundles.deploy(TestBundles.broken(tmp), deploy, "broken.jar");
        try (OpForgeContainer c = OpForgeContainer.start(deploy)) {
            assertEquals(List.of("alpha"), names(c.operators()));
            BundleInfo broken = bundle(c, "org.opforge.it.broken");
            assertTrue(broken.problem().orElse("").contains("org.opforge.it.nowhere"), broken.toString());
            assertEquals("active", bundle(c, "org.opforge.it.alpha").state());
            assertEquals("alpha.jar", bundle(c, "org.opforge.it.alpha").file());
        }
    }

    private static float[] apply(OpForgeContainer c, String operator, Tensor x) {
        return c.operator(operator).create(Map.of(), 0).apply(x).toFloatArray();
    }

    private static List<String> names(List<OperatorInfo> ops) {
        return ops.stream().map(OperatorInfo::name).collect(Collectors.toList());
    }

    private static BundleInfo bundle(OpForgeContainer c, String bsn) {
        return c.bundles().stream().filter(b -> b.symbolicName().equals(bsn)).findFirst()
                .orElseThrow(() -> new AssertionError("no bundle " + bsn + " in " + c.bundles()));
    }

    /** Every non-daemon thread the container started is gone once it is closed. */
    static void assertNoThreadsLeft(Set<Thread> before) throws InterruptedException {
        List<Thread> left = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t) && !t.isDaemon()).collect(Collectors.toList());
        for (Thread t : left) t.join(2000);
        left.removeIf(t -> !t.isAlive());
        assertFalse(left.stream().anyMatch(Thread::isAlive), "threads left after close: " + left);
    }
}
