package org.opforge.api.training;

import java.util.Map;
import org.opforge.api.data.Dataset;

/**
 * Makes {@link LabelSource}s by name from a training data set, for runners that train an operator
 * on labels redrawn every epoch (e.g. "wos": online Walk-on-Spheres labels from a star-poisson set).
 * Found through {@link java.util.ServiceLoader} on the host's class path.
 */
public interface LabelSourceFactory {
    /** The name a run configuration gives ({@code data.labels}). */
    String name();

    /**
     * A source for the first {@code samples} samples of {@code data}, whose targets have the shape of
     * the training targets.
     *
     * @param options the source's settings (e.g. {@code walks}), as given
     * @throws IllegalArgumentException when the data set lacks a field the source needs, or an option is bad
     */
    LabelSource create(Dataset data, int samples, Map<String, Object> options, long seed);
}
