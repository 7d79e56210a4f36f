package org.opforge.it.bundles.swap.v1;

import org.opforge.api.OperatorFactory;
import org.opforge.it.bundles.common.ScaleOperatorFactory;
import org.osgi.service.component.annotations.Component;

/** Version 1 of the hot-swapped bundle. */
@Component(service = OperatorFactory.class, immediate = true)
public class SwapOperator extends ScaleOperatorFactory {
    public SwapOperator() {
        super("swap", 1.0, "test operator swap v1: y = x");
    }
}
