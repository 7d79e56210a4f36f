package org.opforge.meshes;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;

class MeshesTest {

    @Test
    void nodeAndCellGridCoordinates() {
        UniformGrid n = UniformGrid.unitNodes(2, 5);
        assertEquals(0.25, n.spacing(0), 1e-15);
        assertEquals(1.0, n.coordinate(1, 4), 1e-15);
        assertEquals(25, n.pointCount());
        UniformGrid c = UniformGrid.unitCells(1, 4);
        assertArrayEquals(new double[] {0.125, 0.375, 0.625, 0.875}, c.coordinates(0), 1e-15);
        assertEquals(2 * 5 + 3, n.index(2, 3));
        PointSet p = n.points();
        assertEquals(n.coordinate(0, 2), p.coordinate(13, 0), 0);
        assertEquals(n.coordinate(1, 3), p.coordinate(13, 1), 0);
        UniformGrid t = UniformGrid.unitPeriodic(1, 8);
        assertEquals(0.125, t.spacing(0), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> UniformGrid.unitNodes(2, 1));
        assertThrows(IllegalArgumentException.class, () -> UniformGrid.unitNodes(4, 8));
    }

    @Test
    void prolongationIsExactForLinearFunctionsAndRestrictionIsItsTranspose() {
        for (int m : new int[] {7, 8, 62, 63}) {
            MultigridHierarchy h = MultigridHierarchy.dirichlet(new int[] {m, m}, 2);
            assertTrue(h.levels() >= 2, h.toString());
            int mc = h.interiorSizes(1)[0];
            assertEquals(m / 2, mc);
            // a function vanishing on the fine boundary and linear on each coarse cell: x (m+1 - x) is not,
            // but separable hat-free data g(i)= i on coarse nodes maps to i/2 on fine nodes away from the far edge
            double[] coarse = new double[mc * mc];
            for (int i = 0; i < mc; i++) {
                for (int j = 0; j < mc; j++) {
                    coarse[i * mc + j] = (i + 1) * 2.0 + 3.0 * (j + 1) * 2.0; // value = x + 3y at fine index (2c)
                }
            }
            double[] fine = new double[m * m];
            h.prolongAdd(0, coarse, fine);
            for (int i = 1; i < m - 1; i++) {
                for (int j = 1; j < m - 1; j++) {
                    // interior fine node (i+1, j+1), both neighbours interior coarse nodes when i+2 <= 2mc
                    if (i + 2 <= 2 * mc && j + 2 <= 2 * mc) {
                        assertEquals((i + 1) + 3.0 * (j + 1), fine[i * m + j], 1e-12, "m=" + m + " at " + i + "," + j);
                    }
                }
            }
            // <P c, f> = <c, R f> for random vectors
            Random r = new Random(m);
            double[] c = r.doubles(mc * mc).toArray();
            double[] f = r.doubles(m * m).toArray();
            double[] pc = new double[m * m];
            h.prolongAdd(0, c, pc);
            double[] rf = new double[mc * mc];
            h.restrict(0, f, rf);
            double lhs = 0;
            for (int i = 0; i < f.length; i++) {
                lhs += pc[i] * f[i];
            }
            double rhs = 0;
            for (int i = 0; i < c.length; i++) {
                rhs += c[i] * rf[i];
            }
            assertEquals(lhs, rhs, 1e-10 * Math.abs(lhs));
        }
    }

    @Test
    void fullWeightingPreservesConstantsInTheInterior3d() {
        MultigridHierarchy h = MultigridHierarchy.dirichlet(new int[] {9, 9, 9}, 3);
        double[] ones = new double[9 * 9 * 9];
        java.util.Arrays.fill(ones, 1.0);
        double[] c = new double[4 * 4 * 4];
        h.restrictAverage(0, ones, c);
        assertEquals(1.0, c[(1 * 4 + 1) * 4 + 2], 1e-15);
    }

    @Test
    void signedDistancesOfPrimitives() {
        Disc d = Disc.unit();
        assertEquals(-1, d.sdf(0, 0), 1e-15);
        assertEquals(1, d.sdf(2, 0), 1e-15);
        Rectangle s = Rectangle.unitSquare();
        assertEquals(-0.25, s.sdf(0.25, 0.5), 1e-15);
        assertEquals(Math.sqrt(2), s.sdf(2, 2), 1e-12);
        Geometry2D u = d.union(Rectangle.square(2, 0, 1));
        assertTrue(u.contains(2, 0.1));
        assertTrue(u.contains(0, 0.5));
        assertFalse(u.contains(1.2, 0.9));
        Geometry2D i = d.intersection(s);
        assertTrue(i.contains(0.5, 0.5));
        assertFalse(i.contains(0.9, 0.9));
        Geometry2D ring = d.minus(new Disc(0, 0, 0.5));
        assertFalse(ring.contains(0, 0));
        assertTrue(ring.contains(0.75, 0));
        assertThrows(IllegalArgumentException.class, () -> new Disc(0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> d.intersection(new Disc(10, 10, 1)));
    }

    @Test
    void starDistanceIsACertifiedLowerBound() {
        Star star = Star.of(0.1, 0.05);
        Random r = new Random(3);
        double[] boundary = star.sampleBoundary(4000, r::nextDouble);
        for (int k = 0; k < 300; k++) {
            double x = -1.3 + 2.6 * r.nextDouble();
            double y = -1.3 + 2.6 * r.nextDouble();
            double brute = Double.POSITIVE_INFINITY;
            for (int b = 0; b < boundary.length; b += 2) {
                brute = Math.min(brute, Math.hypot(x - boundary[b], y - boundary[b + 1]));
            }
            double sdf = star.sdf(x, y);
            // lower bound of the distance to the curve, and close to it (sampling resolution of the brute force)
            assertTrue(Math.abs(sdf) <= brute + 1e-12, "sdf " + sdf + " exceeds sampled distance " + brute);
            assertTrue(Math.abs(sdf) >= brute - 5e-3, "sdf " + sdf + " far below distance " + brute);
            assertEquals(star.contains(x, y), sdf < 0 || (sdf == 0 && star.contains(x, y)));
        }
        for (int b = 0; b < 200; b += 2) {
            assertEquals(0, star.sdf(boundary[b], boundary[b + 1]), 1e-4);
        }
        assertTrue(star.chordError() < 1e-4);
        assertThrows(IllegalArgumentException.class, () -> Star.of(1.2, 0.0));
    }

    @Test
    void compositeBoundarySamplesLieOnTheCombinedBoundary() {
        Geometry2D g = Disc.unit().union(new Disc(1, 0, 1));
        Random r = new Random(5);
        double[] p = g.sampleBoundary(500, r::nextDouble);
        for (int i = 0; i < p.length; i += 2) {
            assertEquals(0, g.sdf(p[i], p[i + 1]), 1e-12);
        }
        double[] in = g.sampleInterior(500, r::nextDouble);
        for (int i = 0; i < in.length; i += 2) {
            assertTrue(g.contains(in[i], in[i + 1]));
        }
        Geometry2D empty = new Disc(0.9, 0, 0.05).minus(Disc.unit());
        assertThrows(IllegalStateException.class, () -> empty.sampleInterior(1, r::nextDouble));
    }

    @Test
    void quadratureRules() {
        QuadratureRule g = QuadratureRule.gaussLegendre(4, 0, 2);
        assertEquals(Math.pow(2, 8) / 8, g.integrate(x -> Math.pow(x[0], 7)), 1e-10);
        QuadratureRule t = QuadratureRule.tensor(QuadratureRule.gaussLegendre(3, 0, 1), QuadratureRule.gaussLegendre(3, 0, 1));
        assertEquals(1.0 / 9, t.integrate(x -> x[0] * x[0] * x[1] * x[1]), 1e-14);
        // trapezoid on a node grid: second order
        double e1 = Math.abs(QuadratureRule.onGrid(UniformGrid.unitNodes(2, 17)).integrate(x -> Math.exp(x[0] + x[1]))
                - Math.pow(Math.E - 1, 2));
        double e2 = Math.abs(QuadratureRule.onGrid(UniformGrid.unitNodes(2, 33)).integrate(x -> Math.exp(x[0] + x[1]))
                - Math.pow(Math.E - 1, 2));
        assertEquals(4.0, e1 / e2, 0.1);
        double m = QuadratureRule.onGrid(UniformGrid.unitCells(1, 64)).integrate(x -> Math.sin(Math.PI * x[0]));
        assertEquals(2 / Math.PI, m, 1e-3);
    }
}
