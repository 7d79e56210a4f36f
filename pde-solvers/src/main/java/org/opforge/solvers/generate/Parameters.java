package org.opforge.solvers.generate;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Validated parameter values of one problem: every declared parameter, defaults filled in. Immutable. */
public final class Parameters {
    private final String problem;
    private final Map<String, Object> values;

    private Parameters(String problem, Map<String, Object> values) {
        this.problem = problem;
        this.values = Collections.unmodifiableMap(values);
    }

    /**
     * Parses raw values against the specs.
     *
     * @throws IllegalArgumentException for an unknown name (listing the known ones) or a bad value (naming it)
     */
    public static Parameters parse(String problem, List<ParameterSpec> specs, Map<String, ?> raw) {
        Map<String, ParameterSpec> byName = new LinkedHashMap<>();
        for (ParameterSpec s : specs) {
            byName.put(s.name(), s);
        }
        for (String k : raw.keySet()) {
            if (!byName.containsKey(k)) {
                throw new IllegalArgumentException("problem '" + problem + "' has no parameter '" + k + "'; its parameters are " + byName.keySet());
            }
        }
        Map<String, Object> v = new LinkedHashMap<>();
        for (ParameterSpec s : specs) {
            Object r = raw.get(s.name());
            if (r == null) {
                if (s.defaultValue() != null) {
                    v.put(s.name(), s.defaultValue());
                }
            } else {
                v.put(s.name(), s.parse(r));
            }
        }
        return new Parameters(problem, v);
    }

    public String problem() {
        return problem;
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public int getInt(String name) {
        return ((Number) require(name)).intValue();
    }

    public long getLong(String name) {
        return ((Number) require(name)).longValue();
    }

    public double getDouble(String name) {
        return ((Number) require(name)).doubleValue();
    }

    public String getString(String name) {
        return require(name).toString();
    }

    public ParameterSpec.ArrayValue getArray(String name) {
        return (ParameterSpec.ArrayValue) require(name);
    }

    private Object require(String name) {
        Object v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("problem '" + problem + "': parameter '" + name + "' has no value");
        }
        return v;
    }

    /** All scalar values (arrays left out), for the data set's attributes. */
    public Map<String, Object> scalars() {
        Map<String, Object> m = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (!(v instanceof ParameterSpec.ArrayValue)) {
                m.put(k, v);
            }
        });
        return m;
    }
}
