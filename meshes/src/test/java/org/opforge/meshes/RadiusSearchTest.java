package org.opforge.meshes;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RadiusSearchTest {
    @Test
    void findsExactlyThePointsAnAllPairsSearchFinds() {
        Random r = new Random(4);
        double[] xy = new double[2 * 500];
        for (int k = 0; k < xy.length; k++) {
            xy[k] = 3 * r.nextDouble() - 1;
        }
        for (double radius : new double[] {0.05, 0.3, 5}) {
            RadiusSearch s = new RadiusSearch(xy, radius);
            for (int q = 0; q < 50; q++) {
                double qx = 4 * r.nextDouble() - 1.5;
                double qy = 4 * r.nextDouble() - 1.5;
                List<Integer> found = new ArrayList<>();
                s.forEachNeighbour(qx, qy, (p, d2) -> {
                    assertEquals((xy[2 * p] - qx) * (xy[2 * p] - qx) + (xy[2 * p + 1] - qy) * (xy[2 * p + 1] - qy), d2, 1e-15);
                    found.add(p);
                });
                List<Integer> expected = new ArrayList<>();
                for (int p = 0; p < 500; p++) {
                    if (Math.hypot(xy[2 * p] - qx, xy[2 * p + 1] - qy) < radius) {
                        expected.add(p);
                    }
                }
                found.sort(null);
                assertEquals(expected, found, "query (" + qx + ", " + qy + "), radius " + radius);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new RadiusSearch(xy, 0));
        assertThrows(IllegalArgumentException.class, () -> new RadiusSearch(new double[] {0, Double.NaN}, 1));
    }
}
