package org.opforge.tensor.backend;

/**
 * Counter-based random fills: element {@code i} is a pure function of {@code (seed, counter + i)}, so
 * the values do not depend on the thread count or the device.
 */
public interface RandomKernels {
    /** Uniform on [low, high). */
    void uniform(Buffer out, long seed, long counter, double low, double high);

    /** Normal with the given mean and standard deviation. */
    void normal(Buffer out, long seed, long counter, double mean, double std);
}
