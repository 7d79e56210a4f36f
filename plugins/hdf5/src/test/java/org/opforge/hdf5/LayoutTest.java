package org.opforge.hdf5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opforge.api.data.DataFormatException;
import org.opforge.api.data.Dataset;
import org.opforge.api.data.DatasetOptions;
import org.opforge.api.data.DatasetSource;
import org.opforge.api.data.FieldInfo;
import org.opforge.tensor.DType;

/** One test per layout, each on a small file in that exact layout (made by make_fixtures.py). */
class LayoutTest {
    private final DatasetSource source = new Hdf5DatasetSource();

    @Test void nativeWrittenByH5py() {
        try (Dataset ds = source.open(Fixtures.file("native_h5py.h5"))) {
            assertEquals("native", ds.layout());
            assertEquals(6, ds.samples());
            assertEquals(List.of("a", "u"), ds.fields().stream().map(FieldInfo::name).toList());
            assertEquals(List.of("coords/x", "coords/y"), ds.constants().stream().map(FieldInfo::name).toList());
            assertEquals(Map.of("input", "a", "target", "u"), ds.roles());
            assertEquals("darcy", ds.attributes().get("pde"));
            assertEquals(DType.FLOAT64, ds.field("u").dtype());
            assertTrue(ds.field("u").storage().contains("deflate"), ds.field("u").storage());
            Fixtures.assertFormula(ds.readAll("a").toDoubleArray(), 0, 0, 120, 21, "a");
            double[] u = ds.read("u", new int[] {4, 2}).toDoubleArray();
            Fixtures.assertFormula(u, 0, 80, 20, 22, "u sample 4");
            Fixtures.assertFormula(u, 20, 40, 20, 22, "u sample 2");
            assertArrayEquals(new double[] {0, 0.25, 0.5, 0.75, 1}, ds.readAll("coords/x").toDoubleArray(), 0.0);
        }
    }

    @Test void pdebench1d() {
        try (Dataset ds = source.open(Fixtures.file("pdebench_1d.h5"))) {
            assertEquals("pdebench-1d", ds.layout());
            assertEquals(6, ds.samples());
            assertArrayEquals(new int[] {6, 5, 8}, ds.field("tensor").shape());
            assertFalse(ds.field("x-coordinate").perSample());
            assertArrayEquals(new int[] {6}, ds.field("t-coordinate").shape());
            assertEquals(0.01, (Double) ds.attributes().get("Nu"), 0.0);
            double[] b = ds.read("tensor", new int[] {5, 0}).toDoubleArray();
            Fixtures.assertFormula(b, 0, 200, 40, 31, "tensor sample 5");
            Fixtures.assertFormula(b, 40, 0, 40, 31, "tensor sample 0");
            assertEquals(0.0625, ds.readAll("x-coordinate").toDoubleArray()[0], 1e-7);
        }
    }

    @Test void pdebenchDarcy() {
        try (Dataset ds = source.open(Fixtures.file("pdebench_darcy.h5"))) {
            assertEquals("pdebench-darcy", ds.layout());
            assertEquals(4, ds.samples());
            assertArrayEquals(new int[] {4, 8, 8}, ds.field("nu").shape());
            assertArrayEquals(new int[] {4, 1, 8, 8}, ds.field("tensor").shape());
            assertEquals(Map.of("input", "nu", "target", "tensor"), ds.roles());
            assertEquals(List.of("x-coordinate", "y-coordinate"), ds.constants().stream().map(FieldInfo::name).toList());
            Fixtures.assertFormula(ds.read("nu", new int[] {3}).toDoubleArray(), 0, 192, 64, 41, "nu sample 3");
            Fixtures.assertFormula(ds.read("tensor", 1, 2).toDoubleArray(), 0, 64, 128, 42, "tensor samples 1..2");
        }
    }

    @Test void pdebenchPerSampleGroups() {
        try (Dataset ds = source.open(Fixtures.file("pdebench_groups.h5"))) {
            assertEquals("pdebench-groups", ds.layout());
            assertEquals(4, ds.samples());
            assertArrayEquals(new int[] {4, 5, 6, 4, 2}, ds.field("data").shape());
            assertEquals(List.of("grid/t", "grid/x", "grid/y"), ds.constants().stream().map(FieldInfo::name).sorted().toList());
            double[] b = ds.read("data", new int[] {3, 1}).toDoubleArray();
            Fixtures.assertFormula(b, 0, 0, 240, 53, "group 0003");
            Fixtures.assertFormula(b, 240, 0, 240, 51, "group 0001");
            assertArrayEquals(new int[] {6}, ds.field("grid/x").shape());
        }
    }

    @Test void fnoMatlabTransposed() {
        try (Dataset ds = source.open(Fixtures.file("fno_darcy.mat"))) {
            assertEquals("fno-mat", ds.layout());
            assertEquals(5, ds.samples());
            // stored [8, 7, 5] (column-major MATLAB N x X x Y); read as N x X x Y
            assertArrayEquals(new int[] {5, 7, 8}, ds.field("coeff").shape());
            assertArrayEquals(new int[] {5, 7, 8}, ds.field("sol").shape());
            assertEquals(DType.FLOAT64, ds.field("coeff").dtype());
            assertEquals(Map.of("input", "coeff", "target", "sol"), ds.roles());
            assertEquals(List.of("Kcoeff_x"), ds.constants().stream().map(FieldInfo::name).toList());
            assertArrayEquals(new int[] {1, 3}, ds.field("Kcoeff_x").shape());
            Fixtures.assertFormula(ds.readAll("coeff").toDoubleArray(), 0, 0, 280, 61, "coeff");
            double[] b = ds.read("sol", new int[] {4, 0, 2}).toDoubleArray();
            Fixtures.assertFormula(b, 0, 4 * 56, 56, 62, "sol sample 4");
            Fixtures.assertFormula(b, 56, 0, 56, 62, "sol sample 0");
            Fixtures.assertFormula(b, 112, 2 * 56, 56, 62, "sol sample 2");
            Fixtures.assertFormula(ds.readAll("Kcoeff_x").toDoubleArray(), 0, 0, 3, 63, "Kcoeff_x");
        }
    }

    @Test void neuralopFixtureAndSharedFiles() {
        try (Dataset ds = source.open(Fixtures.file("neuralop.h5"))) {
            assertEquals("neuralop", ds.layout());
            assertEquals(6, ds.samples());
            assertEquals(List.of("visc"), ds.constants().stream().map(FieldInfo::name).toList());
            Fixtures.assertFormula(ds.read("y", new int[] {2}).toDoubleArray(), 0, 32, 16, 72, "y sample 2");
        }
        Path data = repositoryData();
        try (Dataset ds = source.open(data.resolve("darcy_train_16.h5"))) {
            assertEquals("neuralop", ds.layout());
            assertEquals(1000, ds.samples());
            assertArrayEquals(new int[] {1000, 16, 16}, ds.field("x").shape());
            assertEquals("neuraloperator/neuraloperator repository, neuralop/data/datasets/data/darcy_train_16.pt", ds.attributes().get("source"));
            var st = ds.stats("x");
            assertEquals(0.0, st.min(), 0.0);
            assertEquals(1.0, st.max(), 0.0);
        }
        try (Dataset ds = source.open(data.resolve("burgers_train_16.h5"))) {
            assertEquals("neuralop", ds.layout());
            assertEquals(800, ds.samples());
            assertArrayEquals(new int[] {800, 17, 16}, ds.field("y").shape());
            assertEquals(0.01, ds.readAll("visc").toDoubleArray()[0], 1e-7);
            // y[:, 0, :] == x, as the README says
            assertArrayEquals(ds.read("x", new int[] {7}).toFloatArray(), java.util.Arrays.copyOf(ds.read("y", new int[] {7}).toFloatArray(), 16));
        }
    }

    @Test void deeponetFixtureAndSharedFiles() {
        try (Dataset ds = source.open(Fixtures.file("deeponet.h5"))) {
            assertEquals("deeponet", ds.layout());
            assertEquals(Map.of("input", "u", "target", "s"), ds.roles());
            assertArrayEquals(new int[] {10, 1}, ds.field("y").shape());
            Fixtures.assertFormula(ds.read("s", new int[] {5}).toDoubleArray(), 0, 50, 10, 82, "s sample 5");
        }
        try (Dataset ds = source.open(repositoryData().resolve("antiderivative_train.h5"))) {
            assertEquals("deeponet", ds.layout());
            assertEquals(1000, ds.samples());
            assertArrayEquals(new int[] {1000, 100}, ds.field("u").shape());
            assertArrayEquals(new int[] {100, 1}, ds.field("y").shape());
            assertEquals(1001L, ds.attributes().get("seed"));
        }
    }

    @Test void forcedLayout() {
        // the neuralop fixture read as the generic layout: x and y are fields, visc a constant
        try (Dataset ds = source.open(Fixtures.file("neuralop.h5"), DatasetOptions.defaults().withLayout("generic"))) {
            assertEquals("generic", ds.layout());
            assertEquals(Map.of(), ds.roles());
            assertEquals(6, ds.samples());
        }
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> source.open(Fixtures.file("neuralop.h5"), DatasetOptions.defaults().withLayout("pdebench-1d")));
        assertEquals("tensor", e.key());
        assertTrue(e.getMessage().contains("no such key"), e.getMessage());
        DataFormatException u = assertThrows(DataFormatException.class,
                () -> source.open(Fixtures.file("neuralop.h5"), DatasetOptions.defaults().withLayout("pdebench")));
        assertTrue(u.getMessage().contains("pdebench-darcy"), u.getMessage());
    }

    /** The repository's small data sets (benchmark-suites/data, root pom property data.dir). */
    private static Path repositoryData() {
        Path d = Path.of(System.getProperty("data.dir", "../../benchmark-suites/data"));
        assertTrue(Files.isRegularFile(d.resolve("darcy_train_16.h5")), "data directory " + d + " holds no darcy_train_16.h5 (-Ddata.dir=...)");
        return d;
    }
}
