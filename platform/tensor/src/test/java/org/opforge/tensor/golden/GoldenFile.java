package org.opforge.tensor.golden;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.opforge.tensor.Tensor;

/** One golden HDF5 file as the handlers see it. */
public interface GoldenFile {
    Path path();

    /** The {@code case} attribute. */
    String caseName();

    /** The parsed {@code spec} JSON (numbers as Number, arrays as List, objects as Map). */
    Map<String, Object> spec();

    int specInt(String key);

    double specDouble(String key);

    String specString(String key);

    /** An int list from the spec (e.g. a shape); a single integer gives a one-element array. */
    int[] specInts(String key);

    /** True when the spec has {@code key}. */
    boolean specHas(String key);

    /** A boolean from the spec. */
    boolean specBool(String key);

    /** True when every dataset of the file is float64 (the tensor-decomposition cases). */
    boolean isFloat64();

    /** Names in {@code inputs/} (complex pairs merged: "x" for "x.re"/"x.im"). */
    List<String> inputNames();

    /** Names in {@code params/}, as PyTorch state_dict keys. */
    List<String> paramNames();

    /** Names in {@code outputs/}. */
    List<String> outputNames();

    /** {@code inputs/<name>} as a leaf tensor (float32, or float64 where stored so; complex merged) that requires a gradient when {@code grads/inputs/<name>} exists. */
    Tensor input(String name);

    /** {@code params/<name>} as a leaf tensor that requires a gradient. */
    Tensor param(String name);

    /** {@code outputs/<name>} (reference values, no grad). */
    Tensor expectedOutput(String name);
}
