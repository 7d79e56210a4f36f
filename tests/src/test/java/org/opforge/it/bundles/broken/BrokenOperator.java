package org.opforge.it.bundles.broken;

import org.opforge.api.OperatorFactory;
import org.opforge.it.bundles.common.ScaleOperatorFactory;
import org.osgi.service.component.annotations.Component;

/** Packaged with an import nobody exports, so its bundle never resolves. */
@Component(service = OperatorFactory.class, immediate = true)
public class BrokenOperator extends ScaleOperatorFactory {
    public BrokenOperator() {
        super("broken", 1.0, "never resolves");
    }
}
