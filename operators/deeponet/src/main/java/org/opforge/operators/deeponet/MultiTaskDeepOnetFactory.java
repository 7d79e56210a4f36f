package org.opforge.operators.deeponet;

import org.opforge.api.OperatorFactory;
import org.osgi.service.component.annotations.Component;

/** The "deeponet-multitask" factory: see {@link Family#MULTITASK}. */
@Component(service = OperatorFactory.class, immediate = true)
public final class MultiTaskDeepOnetFactory extends FamilyFactory {
    public MultiTaskDeepOnetFactory() {
        super(Family.MULTITASK);
    }
}
