package org.opforge.operators.wosno;

import java.util.Locale;
import java.util.Map;
import org.opforge.api.data.DataFormatException;
import org.opforge.api.data.Dataset;
import org.opforge.api.training.LabelSource;
import org.opforge.api.training.LabelSourceFactory;
import org.opforge.solvers.wos.WalkOnSpheres;
import org.osgi.service.component.annotations.Component;

/**
 * The "wos" label source factory (a Declarative Services component, and a {@link java.util.ServiceLoader} provider without OSGi): online Walk-on-Spheres
 * labels ({@link WosLabelSource}) for a star-poisson data set: of the point layout (fields {@code x},
 * {@code u}, {@code domain}, {@code coefficients}, attribute {@code n_boundary}), labels at the interior
 * points; of the grid layout (attribute {@code layout = grid}: fields {@code x}, {@code u},
 * {@code mask}, {@code domain}, {@code coefficients}, attribute {@code box}), labels at the inside
 * nodes and 0 outside, for a masked loss ({@code data.mask: mask}). Options: {@code walks} (K, 10),
 * {@code first_step} (stratified-antithetic), {@code epsilon} (1e-3), {@code refresh} (accumulate or
 * fixed).
 */
@Component(service = LabelSourceFactory.class, immediate = true)
public final class WosLabelSourceFactory implements LabelSourceFactory {
    @Override public String name() { return "wos"; }

    @Override
    public LabelSource create(Dataset data, int samples, Map<String, Object> options, long seed) {
        int count = Math.min(samples, data.samples());
        Map<String, Object> o = options == null ? Map.of() : options;
        int walks = Integer.parseInt(String.valueOf(o.getOrDefault("walks", 10)));
        WalkOnSpheres.FirstStep first = WalkOnSpheres.FirstStep.valueOf(String.valueOf(o.getOrDefault("first_step", "stratified-antithetic"))
                .toUpperCase(Locale.ROOT).replace('-', '_'));
        double eps = Double.parseDouble(String.valueOf(o.getOrDefault("epsilon", 1e-3)));
        WosLabelSource.Refresh refresh = WosLabelSource.Refresh.valueOf(String.valueOf(o.getOrDefault("refresh", "accumulate"))
                .toUpperCase(Locale.ROOT));
        if ("grid".equals(String.valueOf(data.attributes().get("layout")))) {
            Object box = data.attributes().get("box");
            if (!(box instanceof Number b)) {
                throw new DataFormatException(data.file(), "box", "a star-poisson grid (attribute box, the half-width of the grid's box)",
                        "no such attribute");
            }
            int[] shape = data.field("mask").shape();
            StarPoissonGrid grid = new StarPoissonGrid(data.read("x", 0, count).toFloatArray(), data.read("u", 0, count).toFloatArray(),
                    data.read("mask", 0, count).toFloatArray(), data.read("domain", 0, count).toFloatArray(),
                    data.read("coefficients", 0, count).toFloatArray(), count, shape[shape.length - 1], b.doubleValue());
            return WosLabelSource.onGrid(grid, walks, first, eps, refresh, seed);
        }
        return new WosLabelSource(StarPoissonSet.read(data, count), walks, first, eps, refresh, seed);
    }
}
