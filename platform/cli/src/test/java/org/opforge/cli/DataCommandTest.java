package org.opforge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opforge.api.data.Dataset;
import org.opforge.api.data.DatasetContent;
import org.opforge.api.data.DatasetSource;
import org.opforge.tensor.Tensor;

/** {@code opforge data inspect / convert} through the real top-level command line. */
class DataCommandTest {
    @TempDir Path tmp;

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    private Path sample() {
        Path f = tmp.resolve("d.h5");
        float[] a = {0, 1, 2, 3, 4, 5};
        DatasetSource.find().write(f, DatasetContent.of(Map.of("a", Tensor.of(a, 3, 2)))
                .withCoordinates(Map.of("x", Tensor.of(new float[] {0, 1}, 2))).withAttributes(Map.of("pde", "test")));
        return f;
    }

    @Test void inspectJson() throws Exception {
        Run r = run("data", "inspect", "--json", sample().toString());
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals("native", j.get("layout").asText());
        assertEquals(3, j.get("samples").asInt());
        JsonNode a = j.get("fields").get("a");
        assertEquals("[3,2]", a.get("shape").toString());
        assertEquals("float32", a.get("dtype").asText());
        assertEquals(0.0, a.get("min").asDouble());
        assertEquals(5.0, a.get("max").asDouble());
        assertEquals("test", j.get("attributes").get("pde").asText());
        assertTrue(j.get("constants").has("coords/x"));
    }

    @Test void inspectText() {
        Run r = run("data", "inspect", sample().toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("layout   native"), r.out());
        assertTrue(r.out().contains("[3, 2]"), r.out());
    }

    @Test void errorsAreOneLineAndNonZero() throws Exception {
        Path text = Files.writeString(tmp.resolve("t.h5"), "not hdf5");
        for (String[] args : new String[][] {
                {"data", "inspect", tmp.resolve("missing.h5").toString()},
                {"data", "inspect", text.toString()},
                {"data", "inspect", "--layout", "pdebench-1d", sample().toString()},
                {"data", "convert", text.toString(), tmp.resolve("o.h5").toString()}}) {
            Run r = run(args);
            assertEquals(1, r.code(), String.join(" ", args) + "\n" + r.out() + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains("expected") && r.err().contains("found"), r.err());
            assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        }
        assertFalse(Files.exists(tmp.resolve("o.h5")));
    }

    @Test void nonFiniteValuesFailUnlessAllowed() {
        Path f = tmp.resolve("nan.h5");
        DatasetSource.find().write(f, DatasetContent.of(Map.of("a", Tensor.of(new float[] {1, Float.NaN, Float.POSITIVE_INFINITY, 4}, 2, 2))));
        Run r = run("data", "inspect", f.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("'a' 1 NaN, 1 infinite"), r.err());
        assertEquals(0, run("data", "inspect", "--allow-nonfinite", f.toString()).code());
        Run c = run("data", "convert", f.toString(), tmp.resolve("c.h5").toString());
        assertEquals(1, c.code());
        assertTrue(c.err().contains("1 NaN and 1 infinite"), c.err());
        assertEquals(0, run("data", "convert", "--allow-nonfinite", f.toString(), tmp.resolve("c.h5").toString()).code());
    }

    @Test void convertWritesTheNativeLayout() {
        Path in = tmp.resolve("pdebench.h5");
        Path out = tmp.resolve("native.h5");
        // a PDEBench-style Darcy file written by the plugin itself (as generic fields), converted back to native
        float[] nu = new float[2 * 3 * 3];
        float[] t = new float[2 * 3 * 3];
        for (int i = 0; i < nu.length; i++) {
            nu[i] = i;
            t[i] = -i;
        }
        DatasetSource.find().write(in, DatasetContent.of(Map.of("nu", Tensor.of(nu, 2, 3, 3), "tensor", Tensor.of(t, 2, 1, 3, 3))));
        Run r = run("data", "convert", "--layout", "pdebench-darcy", in.toString(), out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("wrote"), r.out());
        try (Dataset ds = DatasetSource.find().open(out)) {
            assertEquals("native", ds.layout());
            assertEquals("nu", ds.roles().get("input"));
            assertEquals("pdebench-darcy", ds.attributes().get("converted_from_layout"));
            assertEquals(-17.0f, ds.readAll("tensor").toFloatArray()[17]);
        }
    }
}
