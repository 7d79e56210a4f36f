package org.opforge.meshes;

import java.util.function.DoubleSupplier;

/** The disc {@code |x - c| < r}; exact SDF {@code |x - c| - r}. */
public record Disc(double cx, double cy, double radius) implements Geometry2D {
    public Disc {
        if (!(radius > 0) || !Double.isFinite(radius)) {
            throw new IllegalArgumentException("disc radius must be positive and finite, got " + radius);
        }
    }

    /** The unit disc at the origin. */
    public static Disc unit() {
        return new Disc(0, 0, 1);
    }

    @Override
    public double sdf(double x, double y) {
        return Math.hypot(x - cx, y - cy) - radius;
    }

    @Override
    public Box2D bounds() {
        return new Box2D(cx - radius, cy - radius, cx + radius, cy + radius);
    }

    @Override
    public double perimeter() {
        return 2 * Math.PI * radius;
    }

    @Override
    public double[] sampleBoundary(int n, DoubleSupplier uniform01) {
        double[] xy = new double[2 * n];
        for (int i = 0; i < n; i++) {
            double t = 2 * Math.PI * uniform01.getAsDouble();
            xy[2 * i] = cx + radius * Math.cos(t);
            xy[2 * i + 1] = cy + radius * Math.sin(t);
        }
        return xy;
    }
}
