package org.opforge.operators.deeponet;

import org.opforge.api.OperatorFactory;
import org.osgi.service.component.annotations.Component;

/** The "deeponet" factory: see {@link Family#DEEPONET}. */
@Component(service = OperatorFactory.class, immediate = true)
public final class DeepOnetFactory extends FamilyFactory {
    public DeepOnetFactory() {
        super(Family.DEEPONET);
    }
}
