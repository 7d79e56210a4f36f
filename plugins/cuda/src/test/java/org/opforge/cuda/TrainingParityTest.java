package org.opforge.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.backend.Backends;
import org.opforge.tensor.golden.NnGoldenCases;
import org.opforge.tensor.nn.Functional;
import org.opforge.tensor.nn.MLP;
import org.opforge.tensor.nn.loss.LpLoss;
import org.opforge.tensor.nn.optim.Adam;

/**
 * The acceptance check, small: an FNO-2D and a DeepONet, built from one seed, trained for 20
 * Adam steps on the CPU and on a CUDA device give the same losses within float32 tolerance.
 */
class TrainingParityTest {
    static Stream<TestDevices.Target> targets() { return TestDevices.targets(); }

    private static Device device(TestDevices.Target t) {
        String why = t.reason().get();
        assumeTrue(why == null, t.name() + ": " + why);
        CudaBackend be = t.backend().get();
        if (!Backends.has(be.device())) Backends.register(be);
        return be.device();
    }

    private static List<Double> trainFno(Device device) {
        Rng rng = new Rng(7);
        NnGoldenCases.FNO2d net = new NnGoldenCases.FNO2d(8, 4, 4, 32, 2, rng);
        net.to(device);
        Tensor a = Tensor.randn(new Rng(11), DType.FLOAT32, Device.CPU, 0, 1, 4, 16, 16, 1).to(device);
        Tensor u = a.mul(a).add(a.sin()).to(device);
        Adam opt = new Adam(net, 1e-2);
        LpLoss loss = LpLoss.relative(2, 2);
        List<Double> losses = new ArrayList<>();
        for (int s = 0; s < 20; s++) {
            opt.zeroGrad();
            Tensor l = loss.apply(net.forward(a), u);
            l.backward();
            opt.step();
            losses.add(l.item());
        }
        return losses;
    }

    private static List<Double> trainDeepOnet(Device device) {
        Rng rng = new Rng(3);
        MLP branch = new MLP(new int[] {20, 32, 32}, "tanh", rng), trunk = new MLP(new int[] {2, 32, 32}, "tanh", true, rng);
        branch.to(device);
        trunk.to(device);
        Tensor sensors = Tensor.randn(new Rng(5), DType.FLOAT32, Device.CPU, 0, 1, 16, 20).to(device);
        Tensor points = Tensor.rand(new Rng(6), DType.FLOAT32, Device.CPU, 0, 1, 50, 2).to(device);
        Tensor target = Functional.mm(sensors.slice(1, 0, 2).sin(), points.cos(), false, true);
        java.util.Map<String, Tensor> params = new java.util.LinkedHashMap<>();
        branch.namedParameters().forEach((k, v) -> params.put("branch." + k, v));
        trunk.namedParameters().forEach((k, v) -> params.put("trunk." + k, v));
        Adam opt = new Adam(params, 1e-3);
        List<Double> losses = new ArrayList<>();
        for (int s = 0; s < 20; s++) {
            opt.zeroGrad();
            Tensor pred = Functional.mm(branch.forward(sensors), trunk.forward(points), false, true);
            Tensor d = pred.sub(target);
            Tensor l = d.mul(d).mean();
            l.backward();
            opt.step();
            losses.add(l.item());
        }
        return losses;
    }

    private static void sameLosses(String what, List<Double> cpu, List<Double> dev) {
        assertEquals(cpu.size(), dev.size());
        for (int i = 0; i < cpu.size(); i++) {
            double tol = 1e-4 * Math.abs(cpu.get(i));
            assertEquals(cpu.get(i), dev.get(i), tol, what + ": loss of step " + i + " (cpu " + cpu + ", cuda " + dev + ")");
        }
    }

    @ParameterizedTest @MethodSource("targets")
    void fno2dLossesMatchTheCpuFor20Steps(TestDevices.Target target) {
        Device d = device(target);
        sameLosses("FNO-2D", trainFno(Device.CPU), trainFno(d));
    }

    @ParameterizedTest @MethodSource("targets")
    void deepOnetLossesMatchTheCpuFor20Steps(TestDevices.Target target) {
        Device d = device(target);
        sameLosses("DeepONet", trainDeepOnet(Device.CPU), trainDeepOnet(d));
    }
}
