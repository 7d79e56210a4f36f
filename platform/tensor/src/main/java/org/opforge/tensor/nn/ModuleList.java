package org.opforge.tensor.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An indexed list of child modules (PyTorch's {@code nn.ModuleList}): children are named
 * {@code 0, 1, ...}, so their state-dict keys read {@code blocks.0.skip.weight}.
 */
public final class ModuleList<M extends Module> extends Module {
    private final List<M> items = new ArrayList<>();

    public M add(M module) {
        registerModule(Integer.toString(items.size()), module);
        items.add(module);
        return module;
    }

    public M get(int i) { return items.get(i); }

    public int size() { return items.size(); }

    public List<M> items() { return Collections.unmodifiableList(items); }
}
