package org.opforge.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The assembled distribution ({@code bundles/}): each jar on one side only, and the CUDA bundle
 * shipped and active whether or not the machine has a GPU. Runs after the distribution is assembled (failsafe).
 */
class DistributionIT {

    @Test
    void eachBundleIsOnOneSideOnly() throws IOException {
        Set<String> host = artifacts(Launcher.ROOT.resolve("bundles/lib"), true);
        Set<String> deployed = artifacts(Launcher.ROOT.resolve("bundles/deploy"), false);
        for (String bundle : List.of("opforge-pde-solvers", "opforge-meshes", "opforge-tensor-decompositions", "opforge-cuda", "opforge-fno")) {
            assertTrue(deployed.contains(bundle), bundle + " ships in bundles/deploy: " + deployed);
        }
        assertTrue(host.contains("opforge-training"), "the training code is a host library: " + host);
        Set<String> both = new TreeSet<>(host);
        both.retainAll(deployed);
        assertEquals(Set.of(), both, "on the host class path (bundles/lib) and in bundles/deploy at once");
    }

    @Test
    void cudaBundleIsActiveAndInfoSaysOnceWhetherThereIsADevice() throws Exception {
        String bundles = Launcher.run("bundles");
        assertTrue(bundles.lines().anyMatch(l -> l.contains("org.opforge.cuda") && l.contains("active")), bundles);

        Launcher.Output info = Launcher.call("info");
        List<String> cuda = info.stdout().lines().filter(l -> l.startsWith("CUDA: ")).toList();
        assertEquals(1, cuda.size(), info.stdout());
        String line = cuda.get(0);
        assertTrue(line.startsWith("CUDA: available: cuda:0 ") || line.startsWith("CUDA: unavailable: "), line);
        assertFalse(line.contains("no CUDA backend bundle"), "the bundle is deployed: " + line);
        assertEquals(1, (info.stdout() + info.stderr()).lines().filter(l -> l.contains("CUDA")).count(),
                "the reason is told once, on its own line: " + info.stdout() + info.stderr());
    }

    /** Artifact names of the jars in {@code dir}: versioned file names (bundles/lib) lose their version. */
    private static Set<String> artifacts(Path dir, boolean versioned) throws IOException {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar")).forEach(n -> {
                String base = n.substring(0, n.length() - 4);
                names.add(versioned ? base.replaceFirst("-\\d[^-]*(-SNAPSHOT)?$", "") : base);
            });
        }
        assertFalse(names.isEmpty(), dir + " holds no jar: the distribution is assembled by 'mvn install' (module bundles) first");
        return names;
    }
}
