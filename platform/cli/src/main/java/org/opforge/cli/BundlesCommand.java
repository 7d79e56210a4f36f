package org.opforge.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.opforge.runtime.BundleInfo;
import org.opforge.runtime.OpForgeContainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code opforge bundles}: the bundles a container on the deploy directory holds, and their problems. */
@Command(name = "bundles", mixinStandardHelpOptions = true,
        description = {"List the bundles of a container started on the deploy directory: state, version, file and why a bundle does not work.",
                "Files of the deploy directory that are not deployed (not a bundle, or a duplicate of one) are listed as 'ignored', with the reason."})
public final class BundlesCommand implements Callable<Integer> {
    @Mixin DeployOptions deploy;
    @Spec CommandSpec spec;

    @Mixin JsonOption json;

    @Option(names = "--all", description = "include the framework's own bundles (SCR, Config Admin, File Install)")
    boolean all;

    @Override
    public Integer call() {
        List<BundleInfo> bundles = new ArrayList<>();
        try (OpForgeContainer c = deploy.start()) {
            if (all) bundles.addAll(c.frameworkBundles());
            bundles.addAll(c.bundles());
            bundles.addAll(c.ignoredFiles());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json.enabled()) {
            List<Map<String, Object>> list = new ArrayList<>();
            for (BundleInfo b : bundles) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", b.id());
                m.put("symbolicName", b.symbolicName());
                m.put("version", b.version());
                m.put("state", b.state());
                m.put("file", b.file());
                m.put("problem", b.problem().orElse(null));
                list.add(m);
            }
            Output.json(out, list);
        } else if (bundles.isEmpty()) {
            out.println("no bundles in " + deploy.deployDir().toAbsolutePath());
        } else {
            List<List<String>> rows = new ArrayList<>();
            for (BundleInfo b : bundles) {
                rows.add(List.of(b.id() < 0 ? "-" : Long.toString(b.id()), b.state(), b.symbolicName(), b.version(),
                        b.file().isEmpty() ? "-" : b.file(), b.problem().orElse("")));
            }
            Output.table(out, List.of("ID", "STATE", "BUNDLE", "VERSION", "FILE", "PROBLEM"), rows);
        }
        return 0;
    }
}
