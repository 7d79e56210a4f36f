package org.opforge.solvers.wos;

/** A scalar function of two coordinates. Implementations used by parallel estimates must be thread-safe. */
@FunctionalInterface
public interface Field2D {
    double value(double x, double y);
}
