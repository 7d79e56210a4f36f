package org.opforge.operators.dgno;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.opforge.operators.dgno.layers.DgnoActivation;
import org.opforge.operators.dgno.layers.MultiONet;
import org.opforge.operators.dgno.models.Dgno;
import org.opforge.tensor.Autograd;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;
import org.opforge.tensor.golden.GoldenCase;
import org.opforge.tensor.golden.GoldenComparison;
import org.opforge.tensor.golden.GoldenFile;
import org.opforge.tensor.golden.HdfGoldenFile;
import org.opforge.tensor.nn.Linear;
import org.opforge.tensor.nn.Sequential;
import org.opforge.training.physics.DarcyWeakResidual;
import org.opforge.training.physics.Residual;
import org.opforge.training.physics.WendlandQuadrature;

/**
 * The DGNO golden cases through the engine's golden harness, on every file of the golden directory
 * (system property {@code golden.dir}) whose {@code case} is {@code multionet} or
 * {@code weak_residual_wendland}, sizes from each file's {@code spec}:
 * <ul>
 * <li>{@code multionet}: {@link MultiONet#cartesian} with the file's parameters; output G and the
 *     gradients with respect to x, beta and every parameter.</li>
 * <li>{@code weak_residual_wendland}: {@link DarcyWeakResidual} on the file's centres, with u and s
 *     plain tanh MLPs and {@code grad u} by reverse mode with a graph, so the parameter gradients of
 *     the loss go through a double backward.</li>
 * </ul>
 */
class DgnoGoldenTest {

    /** The handler the engine's {@code GoldenTest} points to for these cases. */
    static final class Cases implements GoldenCase {
        @Override public Set<String> cases() { return Set.of("multionet", "weak_residual_wendland"); }

        @Override public Map<String, Tensor> run(GoldenFile f) {
            return f.caseName().equals("multionet") ? Map.of("G", multionet(f)) : Map.of("loss", weakResidual(f));
        }
    }

    static Path goldenDir() {
        Path p = Path.of(System.getProperty("golden.dir", "../shared/golden"));
        if (p.isAbsolute()) return p;
        for (Path base = Path.of("").toAbsolutePath(); base != null; base = base.getParent()) {
            if (Files.isDirectory(base.resolve(p))) return base.resolve(p).normalize();
        }
        return p.toAbsolutePath();
    }

    @TestFactory
    Stream<DynamicTest> goldenFiles() throws IOException {
        Path dir = goldenDir();
        if (!Files.isDirectory(dir)) fail("golden directory " + dir + " does not exist (set -Dgolden.dir=...)");
        Cases handler = new Cases();
        List<Path> mine;
        try (Stream<Path> s = Files.list(dir)) {
            mine = s.filter(f -> f.toString().endsWith(".h5")).sorted()
                    .filter(f -> handler.cases().contains(HdfGoldenFile.open(f).caseName())).toList();
        }
        assertFalse(mine.isEmpty(), "no golden file of case " + handler.cases() + " in " + dir);
        for (String c : handler.cases()) {
            assertFalse(mine.stream().noneMatch(f -> HdfGoldenFile.open(f).caseName().equals(c)), "no golden file of case " + c + " in " + dir);
        }
        return mine.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> GoldenComparison.run(HdfGoldenFile.open(f), handler)));
    }

    static Tensor multionet(GoldenFile f) {
        DgnoActivation trunk = DgnoActivation.parse(f.specString("act_trunk")), branch = DgnoActivation.parse(f.specString("act_branch"));
        MultiONet net = new MultiONet(f.specInt("coord_dim"), f.specInt("d_beta"), f.specInt("width"), f.specInt("depth"), f.specInt("sum_layers"),
                trunk, branch, new Rng(0));
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (String k : f.paramNames()) state.put(k, f.param(k));
        net.loadStateDict(state, true, true);
        return net.cartesian(f.input("x"), f.input("beta"));
    }

    static Tensor weakResidual(GoldenFile f) {
        Sequential u = mlp(f, "u", f.specInts("u_layers")), s = mlp(f, "s", f.specInts("s_layers"));
        DarcyWeakResidual r = new DarcyWeakResidual(new WendlandQuadrature(f.specInt("int_grid")), f.specDouble("R"), f.specInt("nc"), f.specDouble("f"));
        Tensor x = r.pointsAt(f.input("xc")).requiresGrad(true);
        int p = x.size(0);
        Tensor value = forward(u, x).reshape(p).mul(Dgno.mollifier(x)[0]);
        Tensor grad = Autograd.grad(value, null, true, x)[0];
        Tensor flux = forward(s, x);
        Tensor a = f.input("a").reshape(1, p);
        return r.loss(new Residual.Fields(a, value.unsqueeze(0), grad.unsqueeze(0), flux.unsqueeze(0)));
    }

    /** nn.Sequential(Linear, Tanh, ..., Linear) with the file's parameters {@code name.2i.*}. */
    private static Sequential mlp(GoldenFile f, String name, int[] widths) {
        Sequential seq = new Sequential();
        for (int i = 0; i + 1 < widths.length; i++) seq.add(new Linear(widths[i], widths[i + 1], new Rng(0)));
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (int i = 0; i + 1 < widths.length; i++) {
            state.put(i + ".weight", f.param(name + "." + 2 * i + ".weight"));
            state.put(i + ".bias", f.param(name + "." + 2 * i + ".bias"));
        }
        seq.loadStateDict(state, true, true);
        return seq;
    }

    private static Tensor forward(Sequential mlp, Tensor x) {
        Tensor h = x;
        for (int i = 0; i < mlp.size(); i++) {
            h = mlp.get(i).forward(h);
            if (i + 1 < mlp.size()) h = h.tanh();
        }
        return h;
    }
}
