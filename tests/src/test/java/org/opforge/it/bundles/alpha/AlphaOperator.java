package org.opforge.it.bundles.alpha;

import org.opforge.api.OperatorFactory;
import org.opforge.it.bundles.common.ScaleOperatorFactory;
import org.osgi.service.component.annotations.Component;

/** A bundle that stays deployed while others come and go. */
@Component(service = OperatorFactory.class, immediate = true)
public class AlphaOperator extends ScaleOperatorFactory {
    public AlphaOperator() {
        super("alpha", 3.0, "test operator alpha: y = 3x");
    }
}
