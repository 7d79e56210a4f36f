package org.opforge.operators.deeponet;

import org.opforge.api.OperatorFactory;
import org.osgi.service.component.annotations.Component;

/** The "pi-deeponet" factory: see {@link Family#PHYSICS}. */
@Component(service = OperatorFactory.class, immediate = true)
public final class PhysicsInformedDeepOnetFactory extends FamilyFactory {
    public PhysicsInformedDeepOnetFactory() {
        super(Family.PHYSICS);
    }
}
