package org.opforge.runtime;

import org.opforge.api.OperatorFactory;

/**
 * An operator factory service and the bundle that provides it.
 *
 * @param name          {@link OperatorFactory#name()}
 * @param description   {@link OperatorFactory#description()}
 * @param bundle        symbolic name of the providing bundle
 * @param bundleVersion its version
 * @param factory       the service object; valid until that bundle is updated or uninstalled
 */
public record OperatorInfo(String name, String description, String bundle, String bundleVersion, OperatorFactory factory) {}
