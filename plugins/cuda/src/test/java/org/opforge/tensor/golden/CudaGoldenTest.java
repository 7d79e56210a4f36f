package org.opforge.tensor.golden;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.opforge.cuda.CudaTestAccess;
import org.opforge.tensor.Device;
import org.opforge.tensor.backend.Backend;
import org.opforge.tensor.backend.Backends;

/**
 * The engine's golden suite (platform/tensor's {@link GoldenTest} harness and handlers, from its test
 * jar) with every input and parameter leaf on a CUDA device: the real GPU ({@code cuda:0}) when the
 * probe finds one, and the host emulation of the kernels ({@code cudaemu:0}) wherever g++ builds it.
 * A device that is absent skips its files with the reason.
 */
class CudaGoldenTest {

    @TestFactory
    Stream<DynamicNode> goldenFilesOnEachCudaDevice() throws IOException {
        Path dir = GoldenTest.goldenDir();
        if (!Files.isDirectory(dir)) fail("golden directory " + dir + " does not exist (set -Dgolden.dir=...)");
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(f -> f.getFileName().toString().endsWith(".h5")).sorted().forEach(files::add);
        }
        Map<String, GoldenCase> handlers = GoldenTest.handlersByCase();
        List<DynamicNode> devices = new ArrayList<>();
        for (CudaTestAccess.Target t : CudaTestAccess.targets()) {
            devices.add(DynamicContainer.dynamicContainer(t.name(), files.stream().map(f -> DynamicTest.dynamicTest(
                    f.getFileName().toString(), f.toUri(), () -> {
                        String why = t.reason().get();
                        assumeTrue(why == null, t.name() + ": " + why);
                        Backend be = t.backend().get();
                        if (!Backends.has(be.device())) Backends.register(be);
                        run(f, handlers, be.device());
                    }))));
        }
        return devices.stream();
    }

    private static void run(Path file, Map<String, GoldenCase> handlers, Device device) {
        HdfGoldenFile g = HdfGoldenFile.open(file, device);
        GoldenComparison.run(g, GoldenTest.handler(file, g.caseName(), handlers));
    }
}
