package org.opforge.tensor.golden;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.opforge.tensor.Tensor;

/**
 * Runs one golden file through its handler and compares outputs and gradients. Every mismatch of
 * the file is collected, so one failure message lists all of them.
 */
public final class GoldenComparison {
    private GoldenComparison() {}

    /** Runs {@code handler} on {@code g} and throws an AssertionError naming every dataset out of tolerance. */
    public static void run(HdfGoldenFile g, GoldenCase handler) {
        String file = g.path().getFileName().toString();
        double tol = handler.tolerance(g);
        Map<String, Tensor> outs = handler.run(g);
        List<String> errors = new ArrayList<>();
        for (String name : g.outputNames()) {
            if (!outs.containsKey(name)) errors.add(file + ": handler returned no output '" + name + "' (returned " + outs.keySet() + ")");
        }
        for (String name : outs.keySet()) {
            if (!g.outputNames().contains(name)) errors.add(file + ": handler returned output '" + name + "' that the file does not hold " + g.outputNames());
        }
        if (!errors.isEmpty()) throw new AssertionError(String.join("\n", errors));

        for (String name : g.outputNames()) compare(file, "outputs/" + name, outs.get(name), g.expectedOutput(name), tol, errors);

        if (!g.upstreamNames().isEmpty()) {
            Tensor loss = null;
            for (String name : g.outputNames()) {
                Tensor term = innerProduct(outs.get(name), g.upstream(name));
                loss = loss == null ? term : loss.add(term);
            }
            if (loss == null || !loss.requiresGrad()) {
                errors.add(file + ": the outputs do not depend on any leaf that requires a gradient; cannot check grads/");
            } else {
                loss.backward();
            }
            checkGrads(g, file, "inputs", g.inputGradNames(), tol, errors);
            checkGrads(g, file, "params", g.paramGradNames(), tol, errors);
        }
        if (!errors.isEmpty()) throw new AssertionError(errors.size() + " mismatch(es), tol " + tol + ":\n" + String.join("\n", errors));
    }

    /** sum(out * u) for real outputs, sum(Re out * Re u + Im out * Im u) for complex ones; u moves to out's device. */
    static Tensor innerProduct(Tensor out, Tensor u) {
        u = u.to(out.device());
        if (out.dtype().isComplex() || u.dtype().isComplex()) {
            return out.real().mul(u.real().to(out.dtype().toReal())).sum()
                    .add(out.imag().mul(u.imag().to(out.dtype().toReal())).sum());
        }
        return out.mul(u.to(out.dtype())).sum();
    }

    private static void checkGrads(HdfGoldenFile g, String file, String group, List<String> names, double tol, List<String> errors) {
        for (String name : names) {
            String ds = "grads/" + group + "/" + name;
            Tensor leaf = g.leafIfCreated(group, name);
            if (leaf == null) {
                errors.add(file + ": " + ds + " exists but the handler never asked for " + group + "/" + name);
                continue;
            }
            if (leaf.grad() == null) {
                errors.add(file + ": " + ds + ": no gradient reached " + group + "/" + name);
                continue;
            }
            compare(file, ds, leaf.grad(), g.expectedGrad(group, name), tol, errors);
        }
    }

    /**
     * Appends a message when {@code got} differs from {@code ref} in shape or by more than
     * tol * max|ref| (absolute tol when ref is all zero) in any real slot; NaN always fails.
     */
    static void compare(String file, String dataset, Tensor got, Tensor ref, double tol, List<String> errors) {
        if (got == null) {
            errors.add(file + ": " + dataset + ": handler produced null");
            return;
        }
        if (!Arrays.equals(got.shape(), ref.shape())) {
            errors.add(file + ": " + dataset + ": shape " + Arrays.toString(got.shape()) + " != expected " + Arrays.toString(ref.shape()));
            return;
        }
        if (got.dtype().isComplex() != ref.dtype().isComplex()) {
            errors.add(file + ": " + dataset + ": dtype " + got.dtype() + " but the reference is " + ref.dtype());
            return;
        }
        double[] a = got.toDoubleArray(), b = ref.toDoubleArray();
        double scale = 0, err = 0;
        int worst = -1;
        for (int i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
        for (int i = 0; i < b.length; i++) {
            double e = Math.abs(a[i] - b[i]);
            if (!(e <= err)) {
                err = Double.isNaN(e) ? Double.POSITIVE_INFINITY : e;
                worst = i;
            }
        }
        double bound = tol * (scale > 0 ? scale : 1.0);
        if (!(err <= bound)) {
            int slots = got.dtype().isComplex() ? 2 : 1;
            int flat = worst / slots;
            errors.add(String.format("%s: %s: max|got-ref| = %.3e > %.1e * max|ref| (max|ref| = %.3e, relative %.3e); worst at %s%s: got %s, expected %s",
                    file, dataset, err, tol, scale, err / (scale > 0 ? scale : 1.0), Arrays.toString(unravel(flat, ref.shape())),
                    slots == 2 ? (worst % 2 == 0 ? ".re" : ".im") : "", a[worst], b[worst]));
        }
    }

    private static int[] unravel(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int i = shape.length - 1; i >= 0; i--) {
            idx[i] = shape[i] == 0 ? 0 : flat % shape[i];
            flat = shape[i] == 0 ? 0 : flat / shape[i];
        }
        return idx;
    }
}
