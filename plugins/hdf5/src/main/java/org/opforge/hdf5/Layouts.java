package org.opforge.hdf5;

import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.opforge.api.data.DataFormatException;

/**
 * The file layouts the plugin reads, in detection order, and how each maps stored datasets to
 * logical fields. Detection tries each layout's signature in turn; a forced layout skips
 * detection and reports precisely what of its expectations the file does not meet.
 */
final class Layouts {
    static final String NATIVE = "native";
    static final String FNO_MAT = "fno-mat";
    static final String PDEBENCH_GROUPS = "pdebench-groups";
    static final String PDEBENCH_DARCY = "pdebench-darcy";
    static final String PDEBENCH_1D = "pdebench-1d";
    static final String DEEPONET = "deeponet";
    static final String NEURALOP = "neuralop";
    static final String GENERIC = "generic";

    /** Detection order: the most specific signatures first, the catch-all last. */
    static final List<String> ALL = List.of(NATIVE, FNO_MAT, PDEBENCH_GROUPS, PDEBENCH_DARCY, PDEBENCH_1D, DEEPONET, NEURALOP, GENERIC);

    private static final Pattern DIGITS = Pattern.compile("\\d+");

    private Layouts() {}

    /** What a layout makes of a file. */
    record Parsed(String layout, int samples, LinkedHashMap<String, Field> fields, LinkedHashMap<String, Field> constants,
                  Map<String, String> roles) {}

    /** Access to the open file while parsing. */
    record Ctx(Path path, Hdf5Files.Opened opened, ChunkCache cache) {
        Group root() { return opened.hdf(); }

        StoredArray array(Dataset ds) {
            return StoredArray.of(path, ds, opened.channel(), opened.userBlock(), opened.size(), cache);
        }

        /** A root-level dataset that must exist. */
        Dataset required(String key, String expectation) {
            Node n = root().getChildren().get(key);
            if (n instanceof Dataset d) return d;
            throw new DataFormatException(path, key, expectation,
                    n == null ? "no such key; root keys: " + root().getChildren().keySet() : "a group");
        }

        Dataset optional(String key) {
            return root().getChildren().get(key) instanceof Dataset d ? d : null;
        }
    }

    static Parsed parse(Ctx ctx, String forced) {
        String layout = forced;
        if (layout == null) {
            layout = detect(ctx);
        } else if (!ALL.contains(layout)) {
            throw new DataFormatException(ctx.path(), null, "a layout among " + ALL, "the layout name '" + forced + "'");
        }
        return switch (layout) {
            case NATIVE -> parseNative(ctx);
            case FNO_MAT -> parseMat(ctx);
            case PDEBENCH_GROUPS -> parseGroups(ctx);
            case PDEBENCH_DARCY -> parseDarcy(ctx);
            case PDEBENCH_1D -> parse1d(ctx);
            case DEEPONET -> parseDeepOnet(ctx);
            case NEURALOP -> parseNeuralop(ctx);
            default -> parseGeneric(ctx);
        };
    }

    static String detect(Ctx ctx) {
        Group root = ctx.root();
        Map<String, Node> kids = root.getChildren();
        if ("dataset".equals(stringAttr(root, "opforge_format"))) return NATIVE;
        if (isMatlab(ctx)) return FNO_MAT;
        if (!kids.isEmpty() && kids.values().stream().anyMatch(n -> n.isGroup() && DIGITS.matcher(n.getName()).matches()
                && ((Group) n).getChildren().get("data") instanceof Dataset)) {
            return PDEBENCH_GROUPS;
        }
        if (ctx.optional("nu") != null && ctx.optional("tensor") != null) return PDEBENCH_DARCY;
        if (ctx.optional("tensor") != null && ctx.optional("x-coordinate") != null) return PDEBENCH_1D;
        if (ctx.optional("u") != null && ctx.optional("s") != null && ctx.optional("y") != null) return DEEPONET;
        if (ctx.optional("x") != null && ctx.optional("y") != null) return NEURALOP;
        return GENERIC;
    }

    // ============================================================================================
    // native
    // ============================================================================================

    private static Parsed parseNative(Ctx ctx) {
        LinkedHashMap<String, Field> fields = new LinkedHashMap<>();
        LinkedHashMap<String, Field> constants = new LinkedHashMap<>();
        String first = null;
        int n = -1;
        for (Node node : sorted(ctx.root())) {
            if (node instanceof Dataset ds) {
                StoredArray a = ctx.array(ds);
                if (a.rank() == 0) {
                    throw new DataFormatException(ctx.path(), a.key, "a per-sample field [N, ...] (native layout: every root dataset"
                            + " has the sample axis first; coordinates go under coords/)", "a scalar dataset");
                }
                int[] d = a.intDims();
                if (first == null) {
                    first = a.key;
                    n = d[0];
                } else if (d[0] != n) {
                    throw mismatch(ctx.path(), first, n, a.key, d[0]);
                }
                fields.put(a.key, new Field.Stacked(a.key, a));
            } else if (node instanceof Group g) {
                collectConstants(ctx, g, constants);
            }
        }
        if (first == null) {
            throw new DataFormatException(ctx.path(), null, "at least one per-sample dataset at the root (native layout)",
                    "none; root keys: " + ctx.root().getChildren().keySet());
        }
        Map<String, String> roles = new LinkedHashMap<>();
        for (String role : List.of("input", "target")) {
            String f = stringAttr(ctx.root(), role);
            if (f == null) continue;
            if (!fields.containsKey(f)) {
                throw new DataFormatException(ctx.path(), f, "a per-sample field named by the root attribute '" + role + "'",
                        "no such field; fields: " + fields.keySet());
            }
            roles.put(role, f);
        }
        return new Parsed(NATIVE, n, fields, constants, roles);
    }

    private static void collectConstants(Ctx ctx, Group g, Map<String, Field> out) {
        for (Node node : sorted(g)) {
            if (node instanceof Dataset ds) {
                if (!isNumeric(ds)) continue;
                StoredArray a = ctx.array(ds);
                out.put(a.key, new Field.Constant(a.key, a));
            } else if (node instanceof Group sub) {
                collectConstants(ctx, sub, out);
            }
        }
    }

    // ============================================================================================
    // PDEBench
    // ============================================================================================

    private static Parsed parseDarcy(Ctx ctx) {
        Dataset nuDs = ctx.required("nu", "a dataset [N, X, Y] (layout pdebench-darcy: nu [N, X, Y] coefficient, tensor [N, 1, X, Y] solution)");
        Dataset tDs = ctx.required("tensor", "a dataset [N, 1, X, Y] (layout pdebench-darcy)");
        StoredArray nu = ctx.array(nuDs);
        StoredArray t = ctx.array(tDs);
        requireRank(ctx, nu, 3, "[N, X, Y] (layout pdebench-darcy)");
        int[] a = nu.intDims();
        int[] b = t.intDims();
        if (b.length != 4 || b[1] != 1 || b[2] != a[1] || b[3] != a[2]) {
            throw new DataFormatException(ctx.path(), t.key, "shape [N, 1, X, Y] = [" + a[0] + ", 1, " + a[1] + ", " + a[2]
                    + "] to match nu " + Arrays.toString(a) + " (layout pdebench-darcy)", "shape " + Arrays.toString(b));
        }
        if (b[0] != a[0]) throw mismatch(ctx.path(), nu.key, a[0], t.key, b[0]);
        LinkedHashMap<String, Field> fields = new LinkedHashMap<>();
        fields.put("nu", new Field.Stacked("nu", nu));
        fields.put("tensor", new Field.Stacked("tensor", t));
        return new Parsed(PDEBENCH_DARCY, a[0], fields, otherRootConstants(ctx, fields), roles("nu", "tensor"));
    }

    private static Parsed parse1d(Ctx ctx) {
        StoredArray t = ctx.array(ctx.required("tensor",
                "a dataset [N, T, X] (layout pdebench-1d: tensor [N, T, X], x-coordinate [X], t-coordinate [T or T+1])"));
        requireRank(ctx, t, 3, "[N, T, X] (layout pdebench-1d)");
        int[] d = t.intDims();
        StoredArray x = ctx.array(ctx.required("x-coordinate", "a dataset [X] = [" + d[2] + "] (layout pdebench-1d)"));
        if (x.elements() != d[2]) {
            throw new DataFormatException(ctx.path(), x.key, d[2] + " coordinates, one per grid point of tensor " + Arrays.toString(d),
                    "shape " + Arrays.toString(x.dims));
        }
        LinkedHashMap<String, Field> fields = new LinkedHashMap<>();
        fields.put("tensor", new Field.Stacked("tensor", t));
        return new Parsed(PDEBENCH_1D, d[0], fields, otherRootConstants(ctx, fields), Map.of());
    }

    private static Parsed parseGroups(Ctx ctx) {
        List<String> names = new ArrayList<>();
        for (Node n : sorted(ctx.root())) {
            if (n.isGroup() && DIGITS.matcher(n.getName()).matches()) names.add(n.getName());
        }
        if (names.isEmpty()) {
            throw new DataFormatException(ctx.path(), null, "groups named 0000, 0001, ... each holding data [T, X, ..., C] and grid/"
                    + " (layout pdebench-groups)", "no such group; root keys: " + ctx.root().getChildren().keySet());
        }
        names.sort((p, q) -> p.length() != q.length() ? Integer.compare(p.length(), q.length()) : p.compareTo(q));
        StoredArray[] arrays = new StoredArray[names.size()];
        int[] shape = null;
        for (int i = 0; i < arrays.length; i++) {
            Group g = (Group) ctx.root().getChild(names.get(i));
            String key = names.get(i) + "/data";
            if (!(g.getChildren().get("data") instanceof Dataset ds)) {
                throw new DataFormatException(ctx.path(), key, "a dataset (layout pdebench-groups: every sample group holds data)",
                        "no such key; keys of " + names.get(i) + ": " + g.getChildren().keySet());
            }
            arrays[i] = ctx.array(ds);
            if (shape == null) {
                shape = arrays[i].intDims();
            } else if (!Arrays.equals(shape, arrays[i].intDims())) {
                throw new DataFormatException(ctx.path(), key, "shape " + Arrays.toString(shape) + " as " + names.get(0) + "/data",
                        "shape " + Arrays.toString(arrays[i].intDims()));
            } else if (arrays[i].type != arrays[0].type) {
                throw new DataFormatException(ctx.path(), key, "type " + arrays[0].type.label + " as " + names.get(0) + "/data",
                        "type " + arrays[i].type.label);
            }
        }
        LinkedHashMap<String, Field> fields = new LinkedHashMap<>();
        fields.put("data", new Field.PerSample("data", arrays));
        LinkedHashMap<String, Field> constants = new LinkedHashMap<>();
        Group first = (Group) ctx.root().getChild(names.get(0));
        if (first.getChildren().get("grid") instanceof Group grid) {
            for (Node n : sorted(grid)) {
                if (n instanceof Dataset ds && isNumeric(ds)) {
                    String name = "grid/" + n.getName();
                    constants.put(name, new Field.Constant(name, ctx.array(ds)));
                }
            }
        }
        return new Parsed(PDEBENCH_GROUPS, arrays.length, fields, constants, Map.of());
    }

    // ============================================================================================
    // MATLAB v7.3 (FNO)
    // ============================================================================================

    private static boolean isMatlab(Ctx ctx) {
        if (ctx.opened().userBlock() >= 128) {
            try {
                ByteBuffer b = ByteBuffer.allocate(6);
                ctx.opened().channel().read(b, 0);
                if (new String(b.array(), StandardCharsets.US_ASCII).equals("MATLAB")) return true;
            } catch (java.io.IOException e) {
                return false;
            }
        }
        for (Node n : sorted(ctx.root())) {
            if (n instanceof Dataset && n.getAttributes().containsKey("MATLAB_class")) return true;
        }
        return false;
    }

    private static Parsed parseMat(Ctx ctx) {
        // MATLAB stores arrays column-major: a variable of size N x X x Y appears in HDF5 as [Y, X, N]
        Map<String, StoredArray> vars = new LinkedHashMap<>();
        for (Node n : sorted(ctx.root())) {
            if (!(n instanceof Dataset ds) || !isNumeric(ds)) continue; // #refs#, cells, structs, strings
            Object cls = matlabClass(ds);
            if (cls != null && (cls.equals("char") || cls.equals("cell") || cls.equals("struct"))) continue;
            StoredArray a = ctx.array(ds);
            if (a.rank() >= 1) vars.put(a.key, a);
        }
        if (vars.isEmpty()) {
            throw new DataFormatException(ctx.path(), null, "numeric MATLAB variables (layout fno-mat: coeff and sol, or a and u)",
                    "none; root keys: " + ctx.root().getChildren().keySet());
        }
        String anchor = vars.containsKey("coeff") ? "coeff" : vars.containsKey("a") ? "a" : null;
        int n;
        if (anchor != null) {
            n = logicalFirst(vars.get(anchor));
        } else {
            n = mostCommon(vars.values().stream().filter(a -> a.rank() >= 2).mapToInt(Layouts::logicalFirst).toArray(),
                    vars.values().stream().mapToInt(Layouts::logicalFirst).toArray());
        }
        String partner = "coeff".equals(anchor) ? "sol" : "a".equals(anchor) ? "u" : null;
        if (partner != null && vars.containsKey(partner) && logicalFirst(vars.get(partner)) != n) {
            throw mismatch(ctx.path(), anchor, n, partner, logicalFirst(vars.get(partner)));
        }
        LinkedHashMap<String, Field> fields = new LinkedHashMap<>();
        LinkedHashMap<String, Field> constants = new LinkedHashMap<>();
        for (StoredArray a : vars.values()) {
            boolean per = a.rank() >= 2 && logicalFirst(a) == n;
            (per ? fields : constants).put(a.key, new Field.Reversed(a.key, a, per));
        }
        Map<String, String> roles = partner != null && fields.containsKey(partner)
                ? roles(anchor, partner) : Map.of();
        return new Parsed(FNO_MAT, n, fields, constants, roles);
    }

    private static int logicalFirst(StoredArray a) {
        return (int) a.dims[a.rank() - 1];
    }

    private static Object matlabClass(Dataset ds) {
        Attribute c = ds.getAttributes().get("MATLAB_class");
        if (c == null) return null;
        try {
            return Hdf5Files.normalize(c.getData());
        } catch (RuntimeException e) {
            return null;
        }
    }

    // ============================================================================================
    // neuraloperator / DeepONet files, generic
    // ============================================================================================

    private static Parsed parseDeepOnet(Ctx ctx) {
        String e = "(layout deeponet: u [N, m] input functions at sensors, y [m, d] query points, s [N, m] outputs)";
        StoredArray u = ctx.array(ctx.required("u", "a dataset [N, m] " + e));
        StoredArray s = ctx.array(ctx.required("s", "a dataset [N, m] " + e));
        ctx.required("y", "a dataset [m, d] " + e);
        requireRank(ctx, u, 2, "[N, m] " + e);
        requireRank(ctx, s, 2, "[N, m] " + e);
        if (u.dims[0] != s.dims[0]) throw mismatch(ctx.path(), "u", (int) u.dims[0], "s", (int) s.dims[0]);
        LinkedHashMap<String, Field> fields = new LinkedHashMap<>();
        fields.put("u", new Field.Stacked("u", u));
        fields.put("s", new Field.Stacked("s", s));
        return new Parsed(DEEPONET, (int) u.dims[0], fields, otherRootConstants(ctx, fields), roles("u", "s"));
    }

    private static Parsed parseNeuralop(Ctx ctx) {
        String e = "(layout neuralop: x [N, ...] input, y [N, ...] target)";
        StoredArray x = ctx.array(ctx.required("x", "a dataset [N, ...] " + e));
        StoredArray y = ctx.array(ctx.required("y", "a dataset [N, ...] " + e));
        if (x.rank() == 0) requireRank(ctx, x, 1, "[N, ...] " + e);
        if (y.rank() == 0) requireRank(ctx, y, 1, "[N, ...] " + e);
        int n = (int) x.dims[0];
        if (y.dims[0] != n) throw mismatch(ctx.path(), "x", n, "y", (int) y.dims[0]);
        LinkedHashMap<String, Field> fields = new LinkedHashMap<>();
        fields.put("x", new Field.Stacked("x", x));
        fields.put("y", new Field.Stacked("y", y));
        LinkedHashMap<String, Field> constants = new LinkedHashMap<>();
        for (Node node : sorted(ctx.root())) {
            if (!(node instanceof Dataset ds) || fields.containsKey(node.getName()) || !isNumeric(ds)) continue;
            StoredArray a = ctx.array(ds);
            if (n > 1 && a.rank() >= 1 && a.dims[0] == n) fields.put(a.key, new Field.Stacked(a.key, a));
            else constants.put(a.key, new Field.Constant(a.key, a));
        }
        return new Parsed(NEURALOP, n, fields, constants, roles("x", "y"));
    }

    private static Parsed parseGeneric(Ctx ctx) {
        List<StoredArray> all = new ArrayList<>();
        collectAll(ctx, ctx.root(), all);
        if (all.isEmpty()) {
            throw new DataFormatException(ctx.path(), null, "at least one numeric dataset", "none; root keys: "
                    + ctx.root().getChildren().keySet());
        }
        int[] firsts = all.stream().filter(a -> a.rank() >= 1).mapToInt(a -> (int) a.dims[0]).toArray();
        if (firsts.length == 0) {
            throw new DataFormatException(ctx.path(), null, "a dataset with a sample axis", "only scalar datasets");
        }
        int n = mostCommon(all.stream().filter(a -> a.rank() >= 2).mapToInt(a -> (int) a.dims[0]).toArray(), firsts);
        LinkedHashMap<String, Field> fields = new LinkedHashMap<>();
        LinkedHashMap<String, Field> constants = new LinkedHashMap<>();
        for (StoredArray a : all) {
            if (a.rank() >= 1 && a.dims[0] == n) fields.put(a.key, new Field.Stacked(a.key, a));
            else constants.put(a.key, new Field.Constant(a.key, a));
        }
        return new Parsed(GENERIC, n, fields, constants, Map.of());
    }

    private static void collectAll(Ctx ctx, Group g, List<StoredArray> out) {
        for (Node node : sorted(g)) {
            if (node instanceof Dataset ds && isNumeric(ds)) out.add(ctx.array(ds));
            else if (node instanceof Group sub) collectAll(ctx, sub, out);
        }
    }

    // ============================================================================================
    // helpers
    // ============================================================================================

    private static LinkedHashMap<String, Field> otherRootConstants(Ctx ctx, Map<String, Field> fields) {
        LinkedHashMap<String, Field> c = new LinkedHashMap<>();
        for (Node node : sorted(ctx.root())) {
            if (node instanceof Dataset ds && !fields.containsKey(node.getName()) && isNumeric(ds)) {
                StoredArray a = ctx.array(ds);
                c.put(a.key, new Field.Constant(a.key, a));
            }
        }
        return c;
    }

    static boolean isNumeric(Dataset ds) {
        String n = ds.getDataType().getClass().getSimpleName();
        return n.equals("FloatingPoint") || n.equals("FixedPoint");
    }

    private static void requireRank(Ctx ctx, StoredArray a, int rank, String shape) {
        if (a.rank() != rank) {
            throw new DataFormatException(ctx.path(), a.key, "rank " + rank + " " + shape,
                    "rank " + a.rank() + " shape " + Arrays.toString(a.dims));
        }
    }

    static DataFormatException mismatch(Path file, String a, int na, String b, int nb) {
        return new DataFormatException(file, b, na + " samples along axis 0, as field '" + a + "' has",
                nb + " samples: the fields' sample counts differ");
    }

    /** The most frequent value of {@code preferred} (or of {@code fallback} when empty); ties go to the larger value. */
    private static int mostCommon(int[] preferred, int[] fallback) {
        int[] v = preferred.length > 0 ? preferred : fallback;
        Map<Integer, Integer> count = new HashMap<>();
        for (int x : v) count.merge(x, 1, Integer::sum);
        int best = v[0];
        for (Map.Entry<Integer, Integer> e : count.entrySet()) {
            int c = e.getValue();
            int bc = count.get(best);
            if (c > bc || c == bc && e.getKey() > best) best = e.getKey();
        }
        return best;
    }

    /** A group's members by name, as h5py lists them (jhdf's order depends on the group's storage). */
    static List<Node> sorted(Group g) {
        return new java.util.TreeMap<>(g.getChildren()).values().stream().toList();
    }

    private static Map<String, String> roles(String input, String target) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("input", input);
        m.put("target", target);
        return java.util.Collections.unmodifiableMap(m);
    }

    static String stringAttr(Node node, String name) {
        Attribute a = node.getAttributes().get(name);
        if (a == null) return null;
        try {
            Object v = Hdf5Files.normalize(a.getData());
            return v instanceof String s ? s : null;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
