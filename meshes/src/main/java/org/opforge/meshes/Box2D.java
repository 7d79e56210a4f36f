package org.opforge.meshes;

/** An axis-aligned rectangle {@code [xmin, xmax] x [ymin, ymax]}. */
public record Box2D(double xmin, double ymin, double xmax, double ymax) {
    public Box2D {
        if (!(xmax >= xmin) || !(ymax >= ymin)) {
            throw new IllegalArgumentException("box needs xmin <= xmax and ymin <= ymax, got [" + xmin + ", " + xmax + "] x ["
                    + ymin + ", " + ymax + "]");
        }
    }

    public double width() {
        return xmax - xmin;
    }

    public double height() {
        return ymax - ymin;
    }

    /** The smallest box holding both. */
    public Box2D union(Box2D o) {
        return new Box2D(Math.min(xmin, o.xmin), Math.min(ymin, o.ymin), Math.max(xmax, o.xmax), Math.max(ymax, o.ymax));
    }

    /** The overlap of both, or {@code null} when they do not overlap. */
    public Box2D intersection(Box2D o) {
        double x0 = Math.max(xmin, o.xmin);
        double y0 = Math.max(ymin, o.ymin);
        double x1 = Math.min(xmax, o.xmax);
        double y1 = Math.min(ymax, o.ymax);
        return x1 >= x0 && y1 >= y0 ? new Box2D(x0, y0, x1, y1) : null;
    }
}
