package org.opforge.meshes;

import java.util.function.DoubleSupplier;

/**
 * A bounded 2-D domain given by a signed distance function: {@code sdf(x, y) < 0} inside,
 * {@code > 0} outside, {@code 0} on the boundary.
 *
 * <p>Contract used by Walk-on-Spheres: {@code |sdf(x, y)|} never exceeds the Euclidean
 * distance from {@code (x, y)} to the boundary (it is exact for discs and rectangles, a certified
 * lower bound for star shapes and for unions, intersections and differences). A disc of radius
 * {@code |sdf|} around an interior point therefore lies inside the domain.
 */
public interface Geometry2D {

    /** Signed distance (or a lower bound of its magnitude with the right sign). */
    double sdf(double x, double y);

    /** A box containing the domain. */
    Box2D bounds();

    /** Length of the boundary curve (for composites, an upper bound: the sum of the parts). */
    double perimeter();

    /**
     * Draws {@code n} points on the boundary, uniformly in arc length, interleaved {@code x0,y0,x1,y1,...}.
     *
     * @param uniform01 independent uniform numbers on [0, 1)
     */
    double[] sampleBoundary(int n, DoubleSupplier uniform01);

    /** Whether the point lies strictly inside. */
    default boolean contains(double x, double y) {
        return sdf(x, y) < 0;
    }

    /** Central-difference gradient of the SDF: the outward unit normal near the boundary of an exact SDF. */
    default double[] gradient(double x, double y) {
        double h = 1e-7 * Math.max(1.0, Math.max(bounds().width(), bounds().height()));
        double gx = (sdf(x + h, y) - sdf(x - h, y)) / (2 * h);
        double gy = (sdf(x, y + h) - sdf(x, y - h)) / (2 * h);
        return new double[] {gx, gy};
    }

    /**
     * A boundary point near {@code (x, y)}, for a point close to the boundary (Walk-on-Spheres scores
     * the boundary data there): {@code x - sdf(x) ∇sdf(x) / |∇sdf(x)|}, the closest point for an exact
     * SDF. Shapes with a cheaper or more exact rule override it.
     */
    default double[] project(double x, double y) {
        double s = sdf(x, y);
        double[] g = gradient(x, y);
        double gn = Math.hypot(g[0], g[1]);
        return gn > 0 ? new double[] {x - s * g[0] / gn, y - s * g[1] / gn} : new double[] {x, y};
    }

    /**
     * Draws {@code n} points uniformly inside the domain by rejection from {@link #bounds()}.
     *
     * @throws IllegalStateException when no interior point is found within a generous number of tries
     */
    default double[] sampleInterior(int n, DoubleSupplier uniform01) {
        Box2D b = bounds();
        double[] xy = new double[2 * n];
        long tries = 0;
        long limit = 1000L * n + 100000L;
        for (int i = 0; i < n; ) {
            double x = b.xmin() + b.width() * uniform01.getAsDouble();
            double y = b.ymin() + b.height() * uniform01.getAsDouble();
            if (++tries > limit) {
                throw new IllegalStateException("found only " + i + " of " + n + " interior points of " + this + " after " + limit
                        + " tries: the domain is empty or tiny compared with its bounding box");
            }
            if (sdf(x, y) < 0) {
                xy[2 * i] = x;
                xy[2 * i + 1] = y;
                i++;
            }
        }
        return xy;
    }

    /** Union: inside either domain; SDF {@code min(a, b)}. */
    default Geometry2D union(Geometry2D other) {
        return new CompositeGeometry(CompositeGeometry.Op.UNION, this, other);
    }

    /** Intersection: inside both domains; SDF {@code max(a, b)}. */
    default Geometry2D intersection(Geometry2D other) {
        return new CompositeGeometry(CompositeGeometry.Op.INTERSECTION, this, other);
    }

    /** Difference: inside this domain and outside {@code other}; SDF {@code max(a, -b)}. */
    default Geometry2D minus(Geometry2D other) {
        return new CompositeGeometry(CompositeGeometry.Op.DIFFERENCE, this, other);
    }
}
