package org.opforge.operators.fno.layers;

import org.opforge.tensor.Tensor;
import org.opforge.tensor.nn.Module;

/** A module that only holds parameters (and nested groups) given from outside, for names like {@code factors.0}. */
final class ParamGroup extends Module {
    /** Registers {@code value} under a possibly dotted name, creating nested groups as needed. */
    void put(String name, Tensor value) {
        int dot = name.indexOf('.');
        if (dot < 0) {
            registerParameter(name, value);
            return;
        }
        group(name.substring(0, dot)).put(name.substring(dot + 1), value);
    }

    /** The parameter under a possibly dotted name. */
    Tensor get(String name) {
        int dot = name.indexOf('.');
        if (dot < 0) return param(name);
        return group(name.substring(0, dot)).get(name.substring(dot + 1));
    }

    private ParamGroup group(String name) {
        Module m = children().get(name);
        if (m == null) return registerModule(name, new ParamGroup());
        return (ParamGroup) m;
    }
}
