package org.opforge.tensor.nn;

import java.util.ArrayList;
import java.util.List;

/**
 * A state dict that does not fit a module: keys the module needs but the dict lacks, keys the dict
 * has but the module does not, and entries whose shape or kind (real, complex) differ. The message
 * lists every problem at once, naming each key with the expected and the found shape.
 */
public final class StateDictException extends IllegalArgumentException {
    private final List<String> missingKeys;
    private final List<String> unexpectedKeys;
    private final List<String> mismatches;

    public StateDictException(String module, List<String> missingKeys, List<String> unexpectedKeys, List<String> mismatches) {
        super(message(module, missingKeys, unexpectedKeys, mismatches));
        this.missingKeys = List.copyOf(missingKeys);
        this.unexpectedKeys = List.copyOf(unexpectedKeys);
        this.mismatches = List.copyOf(mismatches);
    }

    private static String message(String module, List<String> missing, List<String> unexpected, List<String> mismatches) {
        List<String> parts = new ArrayList<>();
        if (!missing.isEmpty()) parts.add("missing key(s) " + missing);
        if (!unexpected.isEmpty()) parts.add("unexpected key(s) " + unexpected);
        for (String m : mismatches) parts.add("mismatch for " + m);
        return "loading a state dict into " + module + ": " + String.join("; ", parts);
    }

    /** Keys of the module that the state dict lacks. */
    public List<String> missingKeys() { return missingKeys; }

    /** Keys of the state dict that the module does not have. */
    public List<String> unexpectedKeys() { return unexpectedKeys; }

    /** One line per key whose shape or dtype kind differs. */
    public List<String> mismatches() { return mismatches; }
}
