package org.opforge.operators.deeponet;

import org.opforge.api.OperatorFactory;
import org.osgi.service.component.annotations.Component;

/** The "mionet" factory: see {@link Family#MIONET}. */
@Component(service = OperatorFactory.class, immediate = true)
public final class MioNetFactory extends FamilyFactory {
    public MioNetFactory() {
        super(Family.MIONET);
    }
}
