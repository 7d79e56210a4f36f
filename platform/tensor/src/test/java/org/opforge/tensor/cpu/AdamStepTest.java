package org.opforge.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;
import org.opforge.tensor.DType;
import org.opforge.tensor.Rng;
import org.opforge.tensor.backend.Backend;
import org.opforge.tensor.backend.Buffer;

/**
 * The CPU's fused {@link Backend#adamStep} against the SPI's composed default (run through a proxy
 * that forwards every kernel to the CPU backend but keeps the interface's default for adamStep),
 * over several steps of Adam, AdamW and amsgrad, in float32 and float64, with out aliasing p. The
 * tolerance is relative to the O(1) scale of the operands: the parameters pass near 0 by cancellation.
 */
class AdamStepTest {
    private static final CpuBackend CPU = CpuBackend.instance();

    private static Backend composed() {
        InvocationHandler h = (proxy, method, args) -> {
            if (method.getName().equals("adamStep")) return InvocationHandler.invokeDefault(proxy, method, args);
            return method.invoke(CPU, args);
        };
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class}, h);
    }

    private static double[] random(int n, long seed, double scale) {
        Rng r = new Rng(seed);
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = scale * r.nextNormal();
        return d;
    }

    @Test
    void fusedStepMatchesTheComposedDefault() {
        int n = 5003;
        Backend ref = composed();
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int variant = 0; variant < 4; variant++) {
                boolean decoupled = variant == 1, amsgrad = variant == 2;
                double wd = variant == 3 ? 0 : 1e-2;
                Buffer[] a = {CPU.fromHost(random(n, 1, 1), dt), CPU.allocate(dt, n), CPU.allocate(dt, n), amsgrad ? CPU.allocate(dt, n) : null};
                Buffer[] b = {CPU.fromHost(random(n, 1, 1), dt), CPU.allocate(dt, n), CPU.allocate(dt, n), amsgrad ? CPU.allocate(dt, n) : null};
                for (int t = 1; t <= 5; t++) {
                    Buffer g = CPU.fromHost(random(n, 10 + t, t == 3 ? 1e-3 : 1), dt);
                    double bc1 = 1 - Math.pow(0.9, t), bc2 = 1 - Math.pow(0.999, t);
                    Buffer outA = CPU.allocate(dt, n);
                    CPU.adamStep(a[0], g, a[1], a[2], a[3], outA, 1e-2, 0.9, 0.999, 1e-8, wd, decoupled, bc1, bc2);
                    a[0] = outA;
                    // the reference writes in place (out == p)
                    ref.adamStep(b[0], g, b[1], b[2], b[3], b[0], 1e-2, 0.9, 0.999, 1e-8, wd, decoupled, bc1, bc2);
                }
                for (int k = 0; k < 4; k++) {
                    if (a[k] == null) continue;
                    double[] x = CPU.toHostDouble(a[k]), y = CPU.toHostDouble(b[k]);
                    for (int i = 0; i < n; i++) {
                        assertEquals(y[i], x[i], (dt.isDouble() ? 1e-12 : 2e-6) * Math.max(1, Math.abs(y[i])),
                                dt + " variant " + variant + " buffer " + k + " at " + i);
                    }
                }
            }
        }
    }
}
