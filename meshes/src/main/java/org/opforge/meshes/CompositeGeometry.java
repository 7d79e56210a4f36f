package org.opforge.meshes;

import java.util.function.DoubleSupplier;

/**
 * Boolean combinations of two domains. SDFs combine as {@code min(a, b)} (union),
 * {@code max(a, b)} (intersection) and {@code max(a, -b)} (difference): inside the result their
 * magnitude is a lower bound of the distance to the boundary, which is what Walk-on-Spheres needs.
 */
final class CompositeGeometry implements Geometry2D {
    enum Op { UNION, INTERSECTION, DIFFERENCE }

    private final Op op;
    private final Geometry2D a;
    private final Geometry2D b;
    private final Box2D bounds;

    CompositeGeometry(Op op, Geometry2D a, Geometry2D b) {
        if (a == null || b == null) {
            throw new IllegalArgumentException("composite geometry needs two non-null operands");
        }
        this.op = op;
        this.a = a;
        this.b = b;
        Box2D box = switch (op) {
            case UNION -> a.bounds().union(b.bounds());
            case INTERSECTION -> a.bounds().intersection(b.bounds());
            case DIFFERENCE -> a.bounds();
        };
        if (box == null) {
            throw new IllegalArgumentException("intersection of " + a + " and " + b + " is empty: their bounding boxes do not overlap");
        }
        this.bounds = box;
    }

    @Override
    public double sdf(double x, double y) {
        double da = a.sdf(x, y);
        double db = b.sdf(x, y);
        return switch (op) {
            case UNION -> Math.min(da, db);
            case INTERSECTION -> Math.max(da, db);
            case DIFFERENCE -> Math.max(da, -db);
        };
    }

    @Override
    public boolean contains(double x, double y) {
        return switch (op) {
            case UNION -> a.contains(x, y) || b.contains(x, y);
            case INTERSECTION -> a.contains(x, y) && b.contains(x, y);
            case DIFFERENCE -> a.contains(x, y) && !b.contains(x, y);
        };
    }

    @Override
    public Box2D bounds() {
        return bounds;
    }

    @Override
    public double perimeter() {
        return a.perimeter() + b.perimeter();
    }

    /**
     * Samples the parts' boundaries in proportion to their lengths and keeps the points that lie on
     * the combined boundary: a point of {@code ∂a} survives a union when it is not inside {@code b},
     * an intersection when it is inside {@code b}, and so on.
     */
    @Override
    public double[] sampleBoundary(int n, DoubleSupplier uniform01) {
        double pa = a.perimeter();
        double pb = b.perimeter();
        double[] xy = new double[2 * n];
        long tries = 0;
        long limit = 1000L * n + 100000L;
        for (int i = 0; i < n; ) {
            if (++tries > limit) {
                throw new IllegalStateException("found only " + i + " of " + n + " boundary points of " + this + " after " + limit
                        + " tries: the combined boundary is empty or negligible");
            }
            boolean fromA = uniform01.getAsDouble() * (pa + pb) < pa;
            double[] p = (fromA ? a : b).sampleBoundary(1, uniform01);
            boolean insideOther = (fromA ? b : a).contains(p[0], p[1]);
            boolean keep = switch (op) {
                case UNION -> !insideOther;
                case INTERSECTION -> insideOther;
                case DIFFERENCE -> fromA ? !insideOther : insideOther;
            };
            if (keep) {
                xy[2 * i] = p[0];
                xy[2 * i + 1] = p[1];
                i++;
            }
        }
        return xy;
    }

    @Override
    public String toString() {
        return op.name().toLowerCase() + "(" + a + ", " + b + ")";
    }
}
