package org.opforge.tensor.nn.init;

import org.opforge.tensor.DType;
import org.opforge.tensor.Device;
import org.opforge.tensor.Rng;
import org.opforge.tensor.Tensor;

/**
 * Creates the initial value of a parameter of a given shape from a seeded generator; the same
 * generator state gives the same values. Factories are in {@link Init}.
 */
@FunctionalInterface
public interface Initializer {
    Tensor create(Rng rng, DType dtype, Device device, int... shape);

    /** float32 on the CPU. */
    default Tensor create(Rng rng, int... shape) {
        return create(rng, DType.FLOAT32, Device.CPU, shape);
    }
}
