package org.opforge.it.bundles.throwing;

import org.opforge.api.OperatorFactory;
import org.opforge.it.bundles.common.ScaleOperatorFactory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/** Resolves and starts, but its component throws when SCR activates it. */
@Component(service = OperatorFactory.class, immediate = true)
public class ThrowingOperator extends ScaleOperatorFactory {
    public static final String MESSAGE = "deliberate activation failure of the throwing test operator";

    public ThrowingOperator() {
        super("throwing", 1.0, "fails on activation");
    }

    @Activate
    void activate() {
        throw new IllegalStateException(MESSAGE);
    }
}
