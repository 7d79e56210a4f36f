package org.opforge.meshes;

import java.util.function.DoubleSupplier;

/** The open rectangle {@code (x0, x1) x (y0, y1)} with its exact SDF. */
public record Rectangle(double x0, double y0, double x1, double y1) implements Geometry2D {
    public Rectangle {
        if (!(x1 > x0) || !(y1 > y0)) {
            throw new IllegalArgumentException("rectangle needs x0 < x1 and y0 < y1, got (" + x0 + ", " + x1 + ") x (" + y0 + ", " + y1 + ")");
        }
    }

    /** The square of side {@code side} centred at {@code (cx, cy)}. */
    public static Rectangle square(double cx, double cy, double side) {
        if (!(side > 0)) {
            throw new IllegalArgumentException("square side must be positive, got " + side);
        }
        return new Rectangle(cx - side / 2, cy - side / 2, cx + side / 2, cy + side / 2);
    }

    /** The unit square {@code (0,1)^2}. */
    public static Rectangle unitSquare() {
        return new Rectangle(0, 0, 1, 1);
    }

    @Override
    public double sdf(double x, double y) {
        double hx = 0.5 * (x1 - x0);
        double hy = 0.5 * (y1 - y0);
        double qx = Math.abs(x - 0.5 * (x0 + x1)) - hx;
        double qy = Math.abs(y - 0.5 * (y0 + y1)) - hy;
        double outside = Math.hypot(Math.max(qx, 0), Math.max(qy, 0));
        return outside + Math.min(Math.max(qx, qy), 0);
    }

    @Override
    public Box2D bounds() {
        return new Box2D(x0, y0, x1, y1);
    }

    @Override
    public double perimeter() {
        return 2 * ((x1 - x0) + (y1 - y0));
    }

    @Override
    public double[] sampleBoundary(int n, DoubleSupplier uniform01) {
        double w = x1 - x0;
        double h = y1 - y0;
        double p = 2 * (w + h);
        double[] xy = new double[2 * n];
        for (int i = 0; i < n; i++) {
            double s = p * uniform01.getAsDouble();
            double x;
            double y;
            if (s < w) {
                x = x0 + s;
                y = y0;
            } else if (s < w + h) {
                x = x1;
                y = y0 + (s - w);
            } else if (s < 2 * w + h) {
                x = x1 - (s - w - h);
                y = y1;
            } else {
                x = x0;
                y = y1 - (s - 2 * w - h);
            }
            xy[2 * i] = x;
            xy[2 * i + 1] = y;
        }
        return xy;
    }
}
