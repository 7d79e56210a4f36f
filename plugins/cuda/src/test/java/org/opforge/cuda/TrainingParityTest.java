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
import org.opforge.tensor.nn.Conv2d;
import org.opforge.tensor.nn.Functional;
import org.opforge.tensor.nn.Linear;
import org.opforge.tensor.nn.MLP;
import org.opforge.tensor.nn.Module;
import org.opforge.tensor.nn.SpectralConv2d;
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

    /** fourier_2d.py's FNO without padding, at test size. */
    static final class Fno2d extends Module {
        final int layers;

        Fno2d(int width, int modes, int layers, Rng rng) {
            this.layers = layers;
            registerModule("fc0", new Linear(3, width, rng));
            for (int l = 0; l < layers; l++) {
                registerModule("conv" + l, new SpectralConv2d(width, width, modes, modes, rng));
                registerModule("w" + l, new Conv2d(width, width, 1, rng));
            }
            registerModule("fc1", new Linear(width, 32, rng));
            registerModule("fc2", new Linear(32, 1, rng));
        }

        Tensor forward(Tensor a) {
            int b = a.size(0), h = a.size(1), w = a.size(2);
            Tensor gx = Tensor.linspace(0, 1, h).to(a.device()).reshape(1, h, 1, 1).expand(b, h, w, 1);
            Tensor gy = Tensor.linspace(0, 1, w).to(a.device()).reshape(1, 1, w, 1).expand(b, h, w, 1);
            Tensor x = ((Linear) child("fc0")).forward(Tensor.cat(3, a, gx, gy)).permute(0, 3, 1, 2);
            for (int l = 0; l < layers; l++) {
                x = ((SpectralConv2d) child("conv" + l)).forward(x).add(((Conv2d) child("w" + l)).forward(x));
                if (l < layers - 1) x = x.gelu();
            }
            x = ((Linear) child("fc1")).forward(x.permute(0, 2, 3, 1)).gelu();
            return ((Linear) child("fc2")).forward(x);
        }
    }

    private static List<Double> trainFno(Device device) {
        Rng rng = new Rng(7);
        Fno2d net = new Fno2d(8, 4, 2, rng);
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
