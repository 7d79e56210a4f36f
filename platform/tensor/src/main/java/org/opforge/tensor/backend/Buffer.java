package org.opforge.tensor.backend;

import org.opforge.tensor.DType;

/**
 * Storage owned by a {@link Backend}. Contiguous, {@code numel} elements of {@code dtype}
 * (complex interleaved). Only the owning backend reads or writes its contents; everything else
 * goes through {@link Backend#toHost} / {@link Backend#fromHost}.
 */
public interface Buffer {
    Backend backend();

    DType dtype();

    /** Number of elements (a complex element counts once). */
    long numel();
}
