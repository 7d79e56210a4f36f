package org.opforge.runtime;

import java.util.Optional;

/**
 * A deployed bundle as the container sees it.
 *
 * @param id           framework bundle id
 * @param symbolicName Bundle-SymbolicName
 * @param version      Bundle-Version
 * @param state        "installed", "resolved", "starting", "active", "stopping"
 * @param file         the jar's file name in the deploy directory (empty for bundles from elsewhere)
 * @param problem      why it is not working, when it is not: unresolved imports, a component that failed to activate
 */
public record BundleInfo(long id, String symbolicName, String version, String state, String file, Optional<String> problem) {}
