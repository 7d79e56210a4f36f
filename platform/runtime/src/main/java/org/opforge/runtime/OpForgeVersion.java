package org.opforge.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The OpForge release this runtime belongs to, as Maven wrote it into the jar. */
public final class OpForgeVersion {
    private static final String VERSION = load();

    private OpForgeVersion() {}

    /** The Maven version ("0.1.0-SNAPSHOT"). */
    public static String maven() { return VERSION; }

    /**
     * The OSGi form of {@link #maven()}: numeric major.minor.micro with the rest as qualifier
     * ("0.1.0.SNAPSHOT"), the version the host exports its library packages at when their jar does
     * not declare one.
     */
    public static String osgi() {
        String v = VERSION;
        int dash = v.indexOf('-');
        String numbers = dash < 0 ? v : v.substring(0, dash);
        String qualifier = dash < 0 ? "" : v.substring(dash + 1).replaceAll("[^A-Za-z0-9_-]", "_");
        String[] parts = numbers.split("\\.");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            if (i > 0) sb.append('.');
            sb.append(i < parts.length && parts[i].matches("\\d+") ? parts[i] : "0");
        }
        if (!qualifier.isEmpty()) sb.append('.').append(qualifier);
        return sb.toString();
    }

    private static String load() {
        try (InputStream in = OpForgeVersion.class.getResourceAsStream("opforge-runtime.properties")) {
            if (in == null) throw new IllegalStateException("opforge-runtime.properties is missing from the runtime jar");
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read opforge-runtime.properties", e);
        }
    }
}
