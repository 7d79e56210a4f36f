package org.opforge.operators.fno;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opforge.operators.fno.models.Gino;
import org.opforge.operators.fno.models.GinoSpec;
import org.opforge.tensor.Autograd;
import org.opforge.tensor.DType;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;

/**
 * The GINO against the WoS-NO PyTorch peer's TinyGINO with the same weights
 * ({@code src/test/resources/golden/gino.h5}, written by {@code src/test/resources/peer/gino_golden.py}):
 * outputs at the points and their Laplacian in the query points by double backward.
 */
class GinoGoldenTest {
    @Test
    void matchesThePeersOutputsAndLaplacian() throws Exception {
        GoldenFile f = GoldenFile.of(resource("golden/gino.h5"));
        assertEquals("gino", f.caseName());
        GinoSpec spec = new GinoSpec(3, f.specInt("c_in"), f.specInt("width"), f.specInt("modes"), f.specInt("layers"), f.specInt("lat_n"),
                ((Number) f.spec().get("lat_box")).doubleValue(), ((Number) f.spec().get("r_in")).doubleValue(), f.specInt("kh"), 64);
        Gino g = new Gino(spec, new Rng(1));
        Map<String, Tensor> state = new HashMap<>();
        f.group("params").forEach((k, v) -> state.put(k, v));
        g.loadStateDict(state);
        g.to(DType.FLOAT64);
        Tensor pts = f.group("inputs").get("points").to(DType.FLOAT64);
        Tensor feats = f.group("inputs").get("features").to(DType.FLOAT64);
        int b = feats.size(0);
        int p = pts.size(0);
        Tensor points = pts.unsqueeze(0).expand(b, p, 2);
        double[] u = g.forward(points, feats, points).toDoubleArray();
        double[] expected = f.group("outputs").get("u").toDoubleArray();
        double scale = maxAbs(expected);
        for (int k = 0; k < u.length; k++) assertEquals(expected[k], u[k], 2e-5 * scale, "u at " + k);

        Tensor q = points.detach().requiresGrad(true);
        Tensor uq = g.forward(points, feats, q);
        Tensor g1 = Autograd.grad(uq.sum(), null, true, q)[0];
        Tensor lap = null;
        for (int d = 0; d < 2; d++) {
            Tensor gd = Autograd.grad(g1.slice(2, d, d + 1).sum(), null, true, q)[0].slice(2, d, d + 1);
            lap = lap == null ? gd : lap.add(gd);
        }
        double[] l = lap.toDoubleArray();
        double[] expectedLap = f.group("outputs").get("laplacian").toDoubleArray();
        double lscale = maxAbs(expectedLap);
        for (int k = 0; k < l.length; k++) assertEquals(expectedLap[k], l[k], 2e-4 * lscale, "Laplacian at " + k);
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) m = Math.max(m, Math.abs(x));
        return m;
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(GinoGoldenTest.class.getClassLoader().getResource(name).toURI());
    }
}
