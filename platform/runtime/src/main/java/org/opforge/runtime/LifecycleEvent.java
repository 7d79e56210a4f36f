package org.opforge.runtime;

import java.util.Objects;

/**
 * Something that happened to a deployed bundle or to an operator service.
 *
 * @param kind         what happened
 * @param symbolicName the bundle's Bundle-SymbolicName
 * @param version      the bundle's version (after an update: the new one)
 * @param detail       the operator name for operator events, the failure reason for
 *                     {@link Kind#BUNDLE_FAILED}, the previous version for {@link Kind#BUNDLE_UPDATED};
 *                     empty otherwise
 */
public record LifecycleEvent(Kind kind, String symbolicName, String version, String detail) {

    public enum Kind {
        BUNDLE_INSTALLED, BUNDLE_UPDATED, BUNDLE_UNINSTALLED, BUNDLE_FAILED, OPERATOR_REGISTERED, OPERATOR_UNREGISTERED,
        /** A file of the deploy directory that is not deployed: not a bundle, or a duplicate; symbolicName is the file's name. */
        FILE_IGNORED
    }

    public LifecycleEvent {
        Objects.requireNonNull(kind, "kind");
        symbolicName = symbolicName == null ? "(no symbolic name)" : symbolicName;
        Objects.requireNonNull(version, "version");
        detail = detail == null ? "" : detail;
    }

    /**
     * One line for humans and scripts, e.g. {@code bundle updated: org.example.op 2.0.0 (was 1.0.0)},
     * {@code bundle failed: org.example.op 1.0.0: missing import ...},
     * {@code operator registered: fno (bundle org.opforge.fno 0.1.0)},
     * {@code file ignored: broken.jar: not a valid jar (zip) file: ...}.
     */
    public String line() {
        String bundle = symbolicName + " " + version;
        switch (kind) {
            case BUNDLE_INSTALLED: return "bundle installed: " + bundle;
            case BUNDLE_UPDATED: return "bundle updated: " + bundle + (detail.isEmpty() ? "" : " (was " + detail + ")");
            case BUNDLE_UNINSTALLED: return "bundle uninstalled: " + bundle;
            case BUNDLE_FAILED: return "bundle failed: " + bundle + ": " + detail;
            case OPERATOR_REGISTERED: return "operator registered: " + detail + " (bundle " + bundle + ")";
            case OPERATOR_UNREGISTERED: return "operator unregistered: " + detail + " (bundle " + bundle + ")";
            case FILE_IGNORED: return "file ignored: " + symbolicName + ": " + detail;
            default: throw new AssertionError(kind);
        }
    }

    @Override public String toString() { return line(); }
}
