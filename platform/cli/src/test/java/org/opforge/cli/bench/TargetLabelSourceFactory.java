package org.opforge.cli.bench;

import java.util.Map;
import org.opforge.api.data.Dataset;
import org.opforge.api.training.LabelSource;
import org.opforge.api.training.LabelSourceFactory;
import org.opforge.tensor.Tensor;

/**
 * A test label source found through ServiceLoader ("test-target"): the data set's {@code y} field,
 * read once and handed out every epoch, with the time spent handing it out. A run on it must train
 * exactly as on the target field, and record that time.
 */
public final class TargetLabelSourceFactory implements LabelSourceFactory {
    @Override public String name() { return "test-target"; }

    @Override
    public LabelSource create(Dataset data, int samples, Map<String, Object> options, long seed) {
        Tensor y = data.read("y", 0, Math.min(samples, data.samples()));
        return new LabelSource() {
            private long nanos;

            @Override public Tensor targets(int epoch) {
                long t0 = System.nanoTime();
                Tensor t = y.detach();
                nanos += Math.max(1, System.nanoTime() - t0);
                return t;
            }

            @Override public double seconds() { return nanos / 1e9; }
        };
    }
}
