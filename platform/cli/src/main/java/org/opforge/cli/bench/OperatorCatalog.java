package org.opforge.cli.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.opforge.api.NeuralOperator;
import org.opforge.api.OpForge;
import org.opforge.api.OperatorFactory;
import org.opforge.api.data.Checkpoint;
import org.opforge.api.decomp.DecompositionService;
import org.opforge.api.pde.DataGenerator;
import org.opforge.api.training.LabelSourceFactory;
import org.opforge.api.pde.DataGeneratorProvider;
import org.opforge.runtime.ContainerConfig;
import org.opforge.runtime.OpForgeContainer;
import org.opforge.runtime.OperatorInfo;

/**
 * Where the commands find the bundles' services (operator factories, data generators, the
 * decomposition service): the services of an OSGi container started on the deploy directory, then
 * those on the class path ({@link java.util.ServiceLoader}, for embedding and tests). A service in
 * the container wins over one of the same name on the class path. The host calls solver and
 * decomposition code only through these API services, so a hot update of their bundle is what runs.
 *
 * <p>The deploy directory is {@code --deploy} when given, else the system property
 * {@value #DEPLOY_PROPERTY} (set by bin/opforge), else {@code <opforge.home>/bundles/deploy}, else
 * {@code bundles/deploy} under the working directory. A directory chosen by default that does not
 * exist or holds no jar starts no container; one named explicitly must exist.
 */
public final class OperatorCatalog implements AutoCloseable {
    /** System property naming the deploy directory; set by the launcher. */
    public static final String DEPLOY_PROPERTY = "opforge.deploy";

    private final OpForgeContainer container;
    private final Path deployDir;

    private OperatorCatalog(OpForgeContainer container, Path deployDir) {
        this.container = container;
        this.deployDir = deployDir;
    }

    /** Factories on the class path only. */
    public static OperatorCatalog classPath() {
        return new OperatorCatalog(null, null);
    }

    /**
     * Starts a container when there is something to host.
     *
     * @param explicit {@code --deploy}, or null for the default
     * @throws IllegalArgumentException when an explicit deploy directory does not exist
     */
    public static OperatorCatalog open(Path explicit) {
        Path dir = explicit != null ? explicit : defaultDeployDir();
        if (explicit != null && !Files.isDirectory(explicit)) {
            throw new IllegalArgumentException("--deploy " + explicit + ": no such directory");
        }
        if (!Files.isDirectory(dir) || !hasJars(dir)) return new OperatorCatalog(null, dir);
        ContainerConfig config = ContainerConfig.of(dir);
        String home = System.getProperty("opforge.home");
        if (home != null) {
            Path framework = Paths.get(home, "bundles", "framework");
            if (Files.isDirectory(framework)) config = config.withFrameworkDir(framework);
        }
        return new OperatorCatalog(OpForgeContainer.start(config), dir);
    }

    /** The deploy directory used when none is given. */
    public static Path defaultDeployDir() {
        String p = System.getProperty(DEPLOY_PROPERTY);
        if (p != null && !p.isBlank()) return Paths.get(p);
        String home = System.getProperty("opforge.home");
        if (home != null && !home.isBlank()) return Paths.get(home, "bundles", "deploy");
        return Paths.get("bundles", "deploy");
    }

    private static boolean hasJars(Path dir) {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.jar")) {
            return s.iterator().hasNext();
        } catch (IOException e) {
            return false;
        }
    }

    /** Every factory by name: the class path's, overridden by the container's. */
    public Map<String, OperatorFactory> factories() {
        Map<String, OperatorFactory> all = new LinkedHashMap<>();
        for (OperatorFactory f : OpForge.operators(OperatorCatalog.class.getClassLoader())) all.put(f.name(), f);
        if (container != null) {
            for (OperatorInfo i : container.operators()) all.put(i.name(), i.factory());
        }
        return all;
    }

    /** The known operator names, sorted. */
    public List<String> names() {
        return new ArrayList<>(new TreeSet<>(factories().keySet()));
    }

    /**
     * The factory called {@code name}.
     *
     * @throws IllegalArgumentException listing the known operators and where they were looked for
     */
    public OperatorFactory factory(String name) {
        OperatorFactory f = factories().get(name);
        if (f != null) return f;
        List<String> names = names();
        throw new IllegalArgumentException("unknown operator '" + name + "'; known operators: "
                + (names.isEmpty() ? "none" : String.join(", ", names)) + " (looked in " + where() + ")");
    }

    /** Whether a factory called {@code name} is known. */
    public boolean has(String name) {
        return factories().containsKey(name);
    }

    /** Every data generator by name, sorted: the class path's providers', overridden by the container's. */
    public Map<String, DataGenerator> generators() {
        Map<String, DataGenerator> all = new java.util.TreeMap<>();
        for (DataGeneratorProvider p : OpForge.services(DataGeneratorProvider.class, OperatorCatalog.class.getClassLoader())) {
            for (DataGenerator g : p.generators()) all.put(g.name(), g);
        }
        if (container != null) {
            for (DataGeneratorProvider p : container.services(DataGeneratorProvider.class)) {
                for (DataGenerator g : p.generators()) all.put(g.name(), g);
            }
        }
        return all;
    }

    /** Every label source factory by name: the class path's, overridden by the container's (the wos-no bundle's "wos"). */
    public Map<String, LabelSourceFactory> labelSources() {
        Map<String, LabelSourceFactory> all = new java.util.TreeMap<>();
        for (LabelSourceFactory f : OpForge.services(LabelSourceFactory.class, OperatorCatalog.class.getClassLoader())) all.put(f.name(), f);
        if (container != null) {
            for (LabelSourceFactory f : container.services(LabelSourceFactory.class)) all.put(f.name(), f);
        }
        return all;
    }

    /**
     * The data generator called {@code name}.
     *
     * @throws IllegalArgumentException listing the known problems and where they were looked for
     */
    public DataGenerator generator(String name) {
        Map<String, DataGenerator> all = generators();
        DataGenerator g = all.get(name);
        if (g != null) return g;
        throw new IllegalArgumentException("unknown problem '" + name + "'; known problems: "
                + (all.isEmpty() ? "none" : String.join(", ", all.keySet())) + " (looked in " + where() + ")");
    }

    /**
     * The decomposition service: the container's, else the class path's.
     *
     * @throws IllegalStateException when neither offers one, saying where it was looked for
     */
    public DecompositionService decomposition() {
        if (container != null) {
            List<DecompositionService> s = container.services(DecompositionService.class);
            if (!s.isEmpty()) return s.get(0);
        }
        List<DecompositionService> s = OpForge.services(DecompositionService.class, OperatorCatalog.class.getClassLoader());
        if (!s.isEmpty()) return s.get(0);
        throw new IllegalStateException("no tensor decomposition service (bundle opforge-tensor-decompositions) in " + where());
    }

    /** Rebuilds a trained operator with the factory its checkpoint names. */
    public NeuralOperator load(Checkpoint checkpoint) {
        return factory(checkpoint.attribute(NeuralOperator.OPERATOR_ATTRIBUTE)).load(checkpoint);
    }

    /** Where factories were looked for, for messages. */
    public String where() {
        String cp = "the class path";
        if (container != null) return "deploy directory " + container.deployDir() + " and " + cp;
        if (deployDir != null) return cp + "; deploy directory " + deployDir.toAbsolutePath().normalize()
                + (Files.isDirectory(deployDir) ? " holds no bundle" : " does not exist");
        return cp;
    }

    @Override
    public void close() {
        if (container != null) container.close();
    }
}
