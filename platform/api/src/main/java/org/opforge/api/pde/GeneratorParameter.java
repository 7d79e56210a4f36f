package org.opforge.api.pde;

import java.util.Objects;

/**
 * One parameter of a {@link DataGenerator}, for listings and help. Immutable.
 *
 * @param name         key in the parameter map ({@code "viscosity"})
 * @param type         value type in words: {@code int}, {@code long}, {@code double}, {@code string},
 *                     {@code boolean}, or {@code array} (a tensor given from code or a file)
 * @param defaultValue the value taken when the key is absent; null when the caller must give it
 * @param description  one line
 * @param range        the accepted values in words ({@code "in [0.0, 1.0]"}, {@code "one of [a, b]"})
 */
public record GeneratorParameter(String name, String type, Object defaultValue, String description, String range) {
    public GeneratorParameter {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(range, "range");
    }
}
