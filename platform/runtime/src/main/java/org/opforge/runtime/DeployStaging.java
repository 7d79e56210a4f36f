package org.opforge.runtime;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipException;
import org.opforge.api.io.IoErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stands between the user's deploy directory and File Install, which watches a private staging
 * directory instead. Each scan checks the deploy directory's files before File Install sees them:
 * <ul>
 *   <li>a {@code *.jar} that is not a bundle (not a regular file, not a zip, truncated, no
 *       {@code Bundle-SymbolicName}) is ignored and reported once, with the reason, instead of being
 *       retried by File Install, which kept every container waiting for it until its start timeout;</li>
 *   <li>of several files holding the same symbolic name, the one deployed first (else the first by
 *       name) is staged and the others are reported as duplicates and ignored, so deleting one of
 *       them never uninstalls the bundle while another still deploys it (File Install would have
 *       mapped both files to one bundle and uninstalled it with either);</li>
 *   <li>a valid bundle is copied to the staging directory as {@code <symbolic name>.jar}, so replacing
 *       its file, or the file deploying it changing, updates it in place; a file that is changing
 *       (size or time differ from the previous scan) waits for the next scan, so a jar being copied
 *       in is never read half-written.</li>
 * </ul>
 * Configuration files ({@code *.cfg}, {@code *.config}) are mirrored by name. Not thread-safe: one
 * thread scans.
 */
final class DeployStaging {
    private static final Logger LOG = LoggerFactory.getLogger(DeployStaging.class);

    /** Called once for each file ignored, per version of the file. */
    interface Ignored {
        void ignored(String file, String reason);
    }

    /** What a scan saw of a file: its size and time, and for a jar, what it holds. */
    private record Seen(long size, long modified, String symbolicName, String version, String problem) {
        boolean sameAs(BasicFileAttributes a) {
            return a.size() == size && a.lastModifiedTime().toMillis() == modified;
        }
    }

    private final Path deployDir;
    private final Path stagingDir;
    private final Ignored ignored;
    private final Map<String, Seen> seen = new HashMap<>();
    /** symbolic name -> the deploy file staged for it. */
    private Map<String, String> chosen = Map.of();
    /**
     * symbolic name -> the deploy file last staged for it, kept after it is unstaged so that the
     * uninstall File Install then does is still known as a deployed bundle's (read by other threads).
     */
    private final Map<String, String> lastFile = new java.util.concurrent.ConcurrentHashMap<>();
    /** symbolic name -> the (size, time) of the chosen file when it was copied. */
    private final Map<String, Seen> staged = new HashMap<>();
    /** The files ignored, as {@link #ignoredFiles()} lists them (replaced whole: read by other threads). */
    private volatile List<BundleInfo> ignoredFiles = List.of();
    private final Map<String, Seen> reported = new HashMap<>();
    /** jar -> its size and time at the last scan, while it has not stood still for a scan. */
    private final Map<String, Seen> stillness = new HashMap<>();
    private volatile int pending;

    DeployStaging(Path deployDir, Path stagingDir, Ignored ignored) {
        this.deployDir = deployDir;
        this.stagingDir = stagingDir;
        this.ignored = ignored;
    }

    Path stagingDir() { return stagingDir; }

    /** The deploy file a bundle installed from {@code location} (a file in the staging directory) came from, else null. */
    String deployFile(Path location) {
        if (!stagingDir.equals(location.getParent())) return null;
        String name = location.getFileName().toString();
        if (!name.endsWith(".jar")) return null;
        return lastFile.get(name.substring(0, name.length() - 4));
    }

    /** The files ignored now, with their symbolic name when they have one, and why. */
    List<BundleInfo> ignoredFiles() {
        return ignoredFiles;
    }

    /** Whether every jar of the deploy directory has been seen and either staged or ignored. */
    boolean allStaged() {
        return pending == 0;
    }

    /**
     * Scans the deploy directory and brings the staging directory in line.
     *
     * @param initial the first scan: files are taken as they are, without waiting for them to be still
     * @return whether anything in the staging directory changed
     */
    boolean sync(boolean initial) throws IOException {
        Files.createDirectories(stagingDir);
        Map<String, Seen> now = new TreeMap<>();
        Map<String, Path> configs = new TreeMap<>();
        List<String> listed = new ArrayList<>();
        int waiting = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(deployDir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.endsWith(".cfg") || name.endsWith(".config")) {
                    if (Files.isRegularFile(f)) configs.put(name, f);
                    continue;
                }
                if (!name.endsWith(".jar")) continue;
                listed.add(name);
                BasicFileAttributes a;
                try {
                    a = Files.readAttributes(f, BasicFileAttributes.class);
                } catch (IOException e) {
                    now.put(name, new Seen(-1, -1, null, null, "cannot be read: " + describe(f, e)));
                    continue;
                }
                Seen before = seen.get(name);
                if (before != null && before.sameAs(a)) {
                    now.put(name, before);
                } else if (initial) {
                    now.put(name, inspect(f, a));
                } else {
                    // changing, or new since the last scan: look again when its size and time stand still
                    Seen last = stillness.get(name);
                    if (last != null && last.sameAs(a)) {
                        stillness.remove(name);
                        now.put(name, inspect(f, a));
                    } else {
                        stillness.put(name, new Seen(a.size(), a.lastModifiedTime().toMillis(), null, null, null));
                        if (before != null) now.put(name, before);
                        waiting++;
                    }
                }
            }
        }
        stillness.keySet().retainAll(listed);
        seen.clear();
        seen.putAll(now);
        pending = waiting;

        // the bundle each symbolic name is deployed from: the one already staged while it stays valid, else the first by name
        Map<String, String> previous = chosen;
        Map<String, String> next = new LinkedHashMap<>();
        Map<String, String> problemsNow = new TreeMap<>();
        for (Map.Entry<String, String> c : previous.entrySet()) {
            Seen s = now.get(c.getValue());
            if (s != null && s.problem() == null && c.getKey().equals(s.symbolicName())) next.put(c.getKey(), c.getValue());
        }
        for (Map.Entry<String, Seen> e : now.entrySet()) {
            Seen s = e.getValue();
            if (s.problem() != null) {
                problemsNow.put(e.getKey(), s.problem());
                continue;
            }
            String owner = next.putIfAbsent(s.symbolicName(), e.getKey());
            if (owner != null && !owner.equals(e.getKey())) {
                problemsNow.put(e.getKey(), "duplicate: bundle " + s.symbolicName() + " is already deployed from " + owner + "; this file is ignored");
            }
        }

        // known before File Install can see a new staged file, so its install event names the deploy file
        chosen = Map.copyOf(next);
        lastFile.putAll(next);
        boolean changed = false;
        for (Map.Entry<String, String> e : next.entrySet()) {
            String bsn = e.getKey();
            Path source = deployDir.resolve(e.getValue());
            Seen s = now.get(e.getValue());
            Path target = stagingDir.resolve(bsn + ".jar");
            Seen copied = staged.get(bsn);
            boolean same = copied != null && copied.size() == s.size() && copied.modified() == s.modified()
                    && e.getValue().equals(previous.get(bsn)) && Files.exists(target);
            if (same) continue;
            // another file with the same bytes took over (the first copy was deleted): nothing to update
            if (Files.exists(target) && Files.size(target) == s.size() && Files.mismatch(target, source) == -1) {
                staged.put(bsn, s);
                continue;
            }
            copy(source, target);
            staged.put(bsn, s);
            changed = true;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(stagingDir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                boolean keep = name.endsWith(".jar") ? next.containsKey(name.substring(0, name.length() - 4)) : configs.containsKey(name);
                if (!keep) {
                    Files.deleteIfExists(f);
                    if (name.endsWith(".jar")) staged.remove(name.substring(0, name.length() - 4));
                    changed = true;
                }
            }
        }
        for (Map.Entry<String, Path> c : configs.entrySet()) {
            Path target = stagingDir.resolve(c.getKey());
            if (!Files.exists(target) || Files.mismatch(target, c.getValue()) != -1) {
                copy(c.getValue(), target);
                changed = true;
            }
        }

        List<BundleInfo> list = new ArrayList<>();
        problemsNow.forEach((file, reason) -> {
            Seen s = now.get(file);
            String bsn = s.symbolicName() == null ? "-" : s.symbolicName();
            String version = s.version() == null ? "-" : s.version();
            list.add(new BundleInfo(-1, bsn, version, "ignored", file, Optional.of(reason)));
        });
        ignoredFiles = List.copyOf(list);
        reported.keySet().retainAll(problemsNow.keySet());
        for (Map.Entry<String, String> p : problemsNow.entrySet()) {
            Seen s = now.get(p.getKey());
            if (!Objects.equals(reported.get(p.getKey()), s)) {
                reported.put(p.getKey(), s);
                ignored.ignored(p.getKey(), p.getValue());
            }
        }
        return changed;
    }

    /** Checks that {@code f} is a bundle: a regular file, a readable zip, a manifest naming the bundle. */
    private static Seen inspect(Path f, BasicFileAttributes a) {
        long size = a.size();
        long modified = a.lastModifiedTime().toMillis();
        if (a.isDirectory()) return new Seen(size, modified, null, null, "a directory, not a bundle jar");
        if (!a.isRegularFile()) {
            return new Seen(size, modified, null, null, Files.isSymbolicLink(f) && !Files.exists(f)
                    ? "a symbolic link to nothing" : "not a regular file (a FIFO, device or socket)");
        }
        try (JarFile jar = new JarFile(f.toFile(), false)) {
            Manifest m = jar.getManifest();
            if (m == null) return new Seen(size, modified, null, null, "not an OSGi bundle: the jar has no META-INF/MANIFEST.MF");
            Attributes main = m.getMainAttributes();
            String bsn = main.getValue("Bundle-SymbolicName");
            if (bsn == null || bsn.isBlank()) return new Seen(size, modified, null, null, "not an OSGi bundle: no Bundle-SymbolicName in its manifest");
            bsn = bsn.split(";")[0].trim();
            String version = main.getValue("Bundle-Version");
            version = version == null ? "0.0.0" : version.trim();
            if (!bsn.matches("[A-Za-z0-9_.-]+")) {
                return new Seen(size, modified, bsn, version, "Bundle-SymbolicName '" + bsn + "' is not a valid symbolic name");
            }
            return new Seen(size, modified, bsn, version, null);
        } catch (ZipException e) {
            return new Seen(size, modified, null, null, size == 0 ? "an empty file, not a jar"
                    : "not a valid jar (zip) file: " + e.getMessage() + "; truncated or not a jar");
        } catch (IOException | SecurityException e) {
            return new Seen(size, modified, null, null, "cannot be read as a jar: " + (e instanceof IOException io ? IoErrors.cause(io) : e.getMessage()));
        }
    }

    private static String describe(Path f, IOException e) {
        String unreadable = IoErrors.unreadable(f);
        return unreadable != null ? unreadable : IoErrors.cause(e);
    }

    /** Copies through a temporary name and a move, so File Install never sees half a file. */
    private void copy(Path source, Path target) throws IOException {
        Path tmp = stagingDir.resolve("." + target.getFileName() + ".part");
        Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        LOG.debug("staged {} as {}", source, target);
    }
}
