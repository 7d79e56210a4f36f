package org.opforge.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.opforge.api.config.ConfigParameter;
import org.opforge.runtime.OpForgeContainer;
import org.opforge.runtime.OperatorInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code opforge operators}: the operator families a container on the deploy directory offers, with their parameters. */
@Command(name = "operators", mixinStandardHelpOptions = true,
        description = "List the operators registered in a container started on the deploy directory, with their configuration parameters.")
public final class OperatorsCommand implements Callable<Integer> {
    @Mixin DeployOptions deploy;
    @Spec CommandSpec spec;

    @Mixin JsonOption json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (OpForgeContainer c = deploy.start()) {
            List<OperatorInfo> ops = c.operators();
            if (json.enabled()) {
                List<Map<String, Object>> list = new ArrayList<>();
                for (OperatorInfo o : ops) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("name", o.name());
                    m.put("description", o.description());
                    m.put("bundle", o.bundle());
                    m.put("version", o.bundleVersion());
                    List<Map<String, Object>> params = new ArrayList<>();
                    for (ConfigParameter p : o.factory().configSchema().parameters()) {
                        Map<String, Object> pm = new LinkedHashMap<>();
                        pm.put("name", p.name());
                        pm.put("type", p.type().label());
                        pm.put("default", p.defaultValue());
                        pm.put("description", p.description());
                        if (!p.choices().isEmpty()) pm.put("choices", p.choices());
                        params.add(pm);
                    }
                    m.put("parameters", params);
                    list.add(m);
                }
                Output.json(out, list);
            } else if (ops.isEmpty()) {
                out.println("no operators in " + c.deployDir());
            } else {
                for (OperatorInfo o : ops) {
                    out.println(o.name() + "  (" + o.bundle() + " " + o.bundleVersion() + ")  " + o.description());
                    for (ConfigParameter p : o.factory().configSchema().parameters()) {
                        out.println("    " + p.name() + " = " + p.defaultText() + "  [" + p.type().label()
                                + (p.choices().isEmpty() ? "" : ": " + String.join("|", p.choices())) + "]  " + p.description());
                    }
                }
            }
        }
        out.flush();
        return 0;
    }
}
