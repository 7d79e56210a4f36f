package org.opforge.tensor.golden;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.opforge.tensor.Conv;
import org.opforge.tensor.Norm;
import org.opforge.tensor.Tensor;

/**
 * Golden handlers for convolution, transposed convolution, interpolation and normalization. Every
 * hyperparameter comes from the file's {@code spec}; a size-like entry may be one number (all spatial
 * axes) or a list with one entry per axis, as PyTorch accepts either.
 */
public final class ConvGoldenCases implements GoldenCase {
    private static final Set<String> CASES = Set.of("conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
            "conv_transpose3d", "interpolate", "layer_norm", "group_norm", "instance_norm");

    @Override public Set<String> cases() { return CASES; }

    @Override public Map<String, Tensor> run(GoldenFile f) {
        String c = f.caseName();
        if (c.startsWith("conv_transpose")) return Map.of("y", convTranspose(f, rank(c)));
        if (c.startsWith("conv")) return Map.of("y", conv(f, rank(c)));
        return switch (c) {
            case "interpolate" -> Map.of("y", interpolate(f));
            case "layer_norm" -> Map.of("y", Norm.layerNorm(f.input("x"), f.specInts("normalized_shape"), optionalParam(f, "weight"),
                    optionalParam(f, "bias"), f.specDouble("eps")));
            case "group_norm" -> Map.of("y", Norm.groupNorm(f.input("x"), f.specInt("num_groups"), optionalParam(f, "weight"),
                    optionalParam(f, "bias"), f.specDouble("eps")));
            case "instance_norm" -> Map.of("y", Norm.instanceNorm(f.input("x"), optionalParam(f, "weight"), optionalParam(f, "bias"),
                    f.specDouble("eps")));
            default -> throw new IllegalArgumentException(f.path() + ": case '" + c + "' is not a conv/norm case");
        };
    }

    private static int rank(String caseName) {
        return caseName.charAt(caseName.length() - 2) - '0';
    }

    private static Tensor conv(GoldenFile f, int r) {
        Tensor bias = biasOf(f);
        String mode = f.specHas("padding_mode") ? f.specString("padding_mode") : "zeros";
        return Conv.conv(f.input("x"), f.param("weight"), bias, perAxis(f, "stride", r, 1), perAxis(f, "padding", r, 0),
                perAxis(f, "dilation", r, 1), f.specHas("groups") ? f.specInt("groups") : 1, mode);
    }

    private static Tensor convTranspose(GoldenFile f, int r) {
        return Conv.convTranspose(f.input("x"), f.param("weight"), biasOf(f), perAxis(f, "stride", r, 1), perAxis(f, "padding", r, 0),
                perAxis(f, "output_padding", r, 0), perAxis(f, "dilation", r, 1), f.specHas("groups") ? f.specInt("groups") : 1);
    }

    private static Tensor interpolate(GoldenFile f) {
        String mode = f.specString("mode");
        List<String> keys = switch (mode) {
            case "linear" -> List.of("L_out");
            case "bilinear" -> List.of("H_out", "W_out");
            case "trilinear" -> List.of("D_out", "H_out", "W_out");
            default -> throw new IllegalArgumentException(f.path() + ": interpolate mode '" + mode + "' is not supported");
        };
        int[] size;
        if (f.specHas("size")) {
            size = perAxis(f, "size", keys.size(), -1);
        } else {
            size = new int[keys.size()];
            for (int i = 0; i < size.length; i++) size[i] = f.specInt(keys.get(i));
        }
        if (f.specHas("antialias") && f.specBool("antialias")) {
            throw new IllegalArgumentException(f.path() + ": antialiased interpolation is not supported");
        }
        return Conv.interpolate(f.input("x"), size, mode, f.specBool("align_corners"));
    }

    private static Tensor biasOf(GoldenFile f) {
        if (f.specHas("bias") && !f.specBool("bias")) return null;
        return optionalParam(f, "bias");
    }

    private static Tensor optionalParam(GoldenFile f, String name) {
        return f.paramNames().contains(name) ? f.param(name) : null;
    }

    /** A spec entry given as one number for every axis or as a list of r numbers; {@code missing} when absent (-1: required). */
    private static int[] perAxis(GoldenFile f, String key, int r, int missing) {
        Object v = f.spec().get(key);
        int[] out = new int[r];
        if (v == null) {
            if (missing < 0) throw new IllegalArgumentException(f.path() + ": spec has no '" + key + "'");
            java.util.Arrays.fill(out, missing);
        } else if (v instanceof Number n) {
            java.util.Arrays.fill(out, n.intValue());
        } else if (v instanceof List<?> list && list.size() == r) {
            for (int i = 0; i < r; i++) out[i] = ((Number) list.get(i)).intValue();
        } else {
            throw new IllegalArgumentException(f.path() + ": spec '" + key + "' must be a number or a list of " + r + " numbers, found " + v);
        }
        return out;
    }
}
