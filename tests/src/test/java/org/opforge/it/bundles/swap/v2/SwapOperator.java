package org.opforge.it.bundles.swap.v2;

import org.opforge.api.OperatorFactory;
import org.opforge.it.bundles.common.ScaleOperatorFactory;
import org.osgi.service.component.annotations.Component;

/** Version 2 of the hot-swapped bundle: same name, different behaviour. */
@Component(service = OperatorFactory.class, immediate = true)
public class SwapOperator extends ScaleOperatorFactory {
    public SwapOperator() {
        super("swap", 2.0, "test operator swap v2: y = 2x");
    }
}
