package org.opforge.runtime;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.resource.Namespace;

/** Works out why a bundle is not doing its job: unresolved requirements, components that failed to activate. */
final class Diagnosis {
    private static final Pattern PACKAGE = Pattern.compile("\\(osgi\\.wiring\\.package=([^)]+)\\)");
    private static final Pattern FLOOR = Pattern.compile("\\(version>=([^)]+)\\)");
    private static final Pattern CEILING = Pattern.compile("\\(!\\(version>=([^)]+)\\)\\)");
    private static final String SCR = "org.osgi.service.component.runtime.ServiceComponentRuntime";
    /** ComponentConfigurationDTO.FAILED_ACTIVATION (DS 1.4). */
    private static final int FAILED_ACTIVATION = 16;

    private final BundleContext context;

    Diagnosis(BundleContext context) {
        this.context = context;
    }

    /**
     * Why {@code bundle} cannot resolve: its mandatory requirements that no installed bundle offers,
     * or, when each is offered (a provider that itself does not resolve, a uses conflict), the
     * framework's own account, obtained by a transient start.
     */
    String unresolved(Bundle bundle) {
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        List<String> missing = new ArrayList<>();
        if (revision != null) {
            for (BundleRequirement req : revision.getDeclaredRequirements(null)) {
                if (Namespace.RESOLUTION_OPTIONAL.equals(req.getDirectives().get(Namespace.REQUIREMENT_RESOLUTION_DIRECTIVE))) continue;
                if (PackageNamespace.RESOLUTION_DYNAMIC.equals(req.getDirectives().get(Namespace.REQUIREMENT_RESOLUTION_DIRECTIVE))) continue;
                String effective = req.getDirectives().get(Namespace.REQUIREMENT_EFFECTIVE_DIRECTIVE);
                if (effective != null && !Namespace.EFFECTIVE_RESOLVE.equals(effective)) continue;
                if (!offered(req)) missing.add(describe(req));
            }
        }
        if (!missing.isEmpty()) return "unresolved: " + String.join("; ", missing);
        try {
            bundle.start(Bundle.START_TRANSIENT);
            return null;
        } catch (BundleException | IllegalStateException e) {
            return "unresolved: " + e.getMessage();
        }
    }

    private boolean offered(BundleRequirement req) {
        for (Bundle b : context.getBundles()) {
            BundleRevision r = b.adapt(BundleRevision.class);
            if (r == null) continue;
            for (BundleCapability cap : r.getDeclaredCapabilities(req.getNamespace())) {
                if (req.matches(cap)) return true;
            }
        }
        return false;
    }

    private static String describe(BundleRequirement req) {
        String filter = req.getDirectives().getOrDefault(Namespace.REQUIREMENT_FILTER_DIRECTIVE, "");
        if (PackageNamespace.PACKAGE_NAMESPACE.equals(req.getNamespace())) {
            Matcher name = PACKAGE.matcher(filter);
            if (name.find()) {
                Matcher floor = FLOOR.matcher(filter);
                Matcher ceiling = CEILING.matcher(filter);
                String lo = floor.find() ? floor.group(1) : null;
                String hi = ceiling.find() ? ceiling.group(1) : null;
                String range = lo == null ? "" : hi == null ? " version>=" + lo : " version [" + lo + "," + hi + ")";
                return "no bundle exports package " + name.group(1) + range;
            }
        }
        return "nothing provides " + req.getNamespace() + " " + filter;
    }

    /**
     * The components of {@code bundle} whose activation threw, as "component NAME failed to activate:
     * EXCEPTION" lines. SCR's API packages live in a bundle, so the host, which cannot share those
     * classes, reads the runtime service and its DTOs reflectively.
     */
    List<String> failedComponents(Bundle bundle) {
        ServiceReference<?>[] refs;
        try {
            // not getServiceReference: that hides the service when the host's class path holds its own
            // copy of the SCR API (tests, some embedding hosts), which is never wired to SCR
            refs = context.getAllServiceReferences(SCR, null);
        } catch (InvalidSyntaxException e) {
            throw new AssertionError("a null filter cannot be invalid", e);
        }
        if (refs == null || refs[0].getBundle() == null) return List.of();
        ServiceReference<?> ref = refs[0];
        Object scr = context.getService(ref);
        if (scr == null) return List.of();
        List<String> failures = new ArrayList<>();
        try {
            Class<?> api = ref.getBundle().loadClass(SCR);
            Method descriptions = api.getMethod("getComponentDescriptionDTOs", Bundle[].class);
            Method configurations = null;
            for (Method m : api.getMethods()) if (m.getName().equals("getComponentConfigurationDTOs")) configurations = m;
            if (configurations == null) return List.of();
            for (Object desc : (Collection<?>) descriptions.invoke(scr, (Object) new Bundle[] {bundle})) {
                String name = String.valueOf(desc.getClass().getField("name").get(desc));
                for (Object conf : (Collection<?>) configurations.invoke(scr, desc)) {
                    int state = conf.getClass().getField("state").getInt(conf);
                    if (state != FAILED_ACTIVATION) continue;
                    Object failure = conf.getClass().getField("failure").get(conf);
                    failures.add("component " + name + " failed to activate: " + firstCause(String.valueOf(failure)));
                }
            }
        } catch (ReflectiveOperationException | ClassCastException e) {
            return List.of("cannot inspect components: " + e);
        } finally {
            context.ungetService(ref);
        }
        return failures;
    }

    /**
     * The most specific line of a printed stack trace: the last "Caused by:" when there is one,
     * else the first line ("java.lang.IllegalStateException: message").
     */
    static String firstCause(String stackTrace) {
        String cause = null;
        for (String line : stackTrace.split("\\R")) {
            if (cause == null && !line.isBlank()) cause = line.trim();
            if (line.startsWith("Caused by: ")) cause = line.substring("Caused by: ".length()).trim();
        }
        return cause == null ? "(no reason given)" : cause;
    }
}
