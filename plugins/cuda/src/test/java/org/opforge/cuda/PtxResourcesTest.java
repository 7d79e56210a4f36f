package org.opforge.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The shipped PTX matches the Java side without a GPU: every kernel the backend launches is an
 * {@code .entry} of its module with the parameter list {@link Kernels} declares, and every entry
 * of the PTX is one the backend knows.
 */
class PtxResourcesTest {
    private static final Pattern ENTRY = Pattern.compile("\\.visible\\s+\\.entry\\s+(\\w+)\\s*\\(([^)]*)\\)");
    private static final Pattern PARAM = Pattern.compile("\\.param\\s+(?:\\.align\\s+(\\d+)\\s+)?\\.(\\w+)(?:\\s+\\.ptr[^\\s]*(?:\\s+\\.\\w+)*)?\\s+\\w+(?:\\[(\\d+)\\])?");

    /** Entry name to signature in KernelArgs codes, parsed from one PTX text. */
    static Map<String, String> entries(String ptx) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = ENTRY.matcher(ptx);
        while (m.find()) {
            List<String> codes = new ArrayList<>();
            for (String p : m.group(2).split(",")) {
                if (p.isBlank()) continue;
                Matcher q = PARAM.matcher(p.trim());
                if (!q.find()) throw new AssertionError("unparsed PTX parameter '" + p.trim() + "' of " + m.group(1));
                String type = q.group(2);
                codes.add(switch (type) {
                    case "u64", "s64", "b64" -> "p|l";
                    case "u32", "s32", "b32" -> "i";
                    case "f64" -> "d";
                    case "b8" -> ("8".equals(q.group(1)) ? "S" : "G") + q.group(3);
                    default -> throw new AssertionError("PTX parameter type ." + type + " of " + m.group(1));
                });
            }
            out.put(m.group(1), String.join(" ", codes));
        }
        return out;
    }

    static String ptx(String module) {
        return new String(JCudaDriverApi.ptx(module), 0, JCudaDriverApi.ptx(module).length - 1, StandardCharsets.US_ASCII);
    }

    @Test
    void everyLaunchedKernelIsAnEntryWithTheDeclaredParameters() {
        List<String> errors = new ArrayList<>();
        Map<String, Map<String, String>> byModule = new LinkedHashMap<>();
        for (String module : Kernels.MODULES) byModule.put(module, entries(ptx(module)));
        for (Kernels.Kernel k : Kernels.all().values()) {
            Map<String, String> es = byModule.get(k.module());
            String sig = es == null ? null : es.get(k.name());
            if (sig == null) {
                errors.add(k.name() + ": no .entry in " + k.module() + ".ptx");
                continue;
            }
            String[] want = k.signature().split(" "), have = sig.split(" ");
            boolean ok = want.length == have.length;
            for (int i = 0; ok && i < want.length; i++) {
                ok = have[i].equals("p|l") ? want[i].equals("p") || want[i].equals("l") : have[i].equals(want[i]);
            }
            if (!ok) errors.add(k.name() + ": Java declares (" + k.signature() + "), " + k.module() + ".ptx has (" + sig + ")");
        }
        for (var e : byModule.entrySet()) {
            for (String name : e.getValue().keySet()) {
                if (!Kernels.all().containsKey(name)) errors.add(e.getKey() + ".ptx: entry " + name + " is not declared in Kernels");
            }
        }
        if (!errors.isEmpty()) fail(String.join("\n", errors));
    }

    @Test
    void ptxTargetsComputeCapability80AndIsComplete() {
        for (String module : Kernels.MODULES) {
            String text = ptx(module);
            assertTrue(text.contains(".target sm_80"), module + ".ptx should target sm_80 (compute_80), header: "
                    + text.substring(0, Math.min(400, text.length())));
            assertTrue(text.contains(".address_size 64"), module + ".ptx: 64-bit addresses");
            // a truncated file would end inside a function body
            assertEquals('}', text.stripTrailing().charAt(text.stripTrailing().length() - 1), module + ".ptx ends mid-function");
        }
    }

    @Test
    void signatureParserReadsStructsAndScalars() {
        String ptx = ".visible .entry k(\n\t.param .u64 .ptr .align 1 k_param_0,\n\t.param .u32 k_param_1,\n\t.param .f64 k_param_2,\n"
                + "\t.param .align 8 .b8 k_param_3[200],\n\t.param .align 4 .b8 k_param_4[76]\n)\n{\n}";
        assertEquals("p|l i d S200 G76", entries(ptx).get("k"));
    }
}
