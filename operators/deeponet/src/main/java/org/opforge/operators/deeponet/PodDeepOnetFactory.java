package org.opforge.operators.deeponet;

import org.opforge.api.OperatorFactory;
import org.osgi.service.component.annotations.Component;

/** The "pod-deeponet" factory: see {@link Family#POD}. */
@Component(service = OperatorFactory.class, immediate = true)
public final class PodDeepOnetFactory extends FamilyFactory {
    public PodDeepOnetFactory() {
        super(Family.POD);
    }
}
