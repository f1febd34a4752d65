package dev.berth.migrate;

import dev.berth.base.Version;
import dev.berth.files.LockedDirectory;

import org.apache.commons.codec.digest.DigestUtils;
import org.apache.tomcat.jakartaee.Migration;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.ZipFile;

/**
 * Converts a Java EE 8 WAR to Jakarta with Apache Tomcat's migration tool and keeps the result in a cache
 * keyed by the WAR's SHA-256, the tool's version and Berth's profile, so the next start costs no conversion.
 * A converted WAR is written in a folder of its own and moved into place in one step: an entry in the cache
 * is always whole, and what an interrupted conversion leaves is removed by the next. One that does not open as a zip anyway (a disk that lost it) is never used: it is made again.
 */
final class Migrator {

    static final String TOOL_VERSION = Version.migrationTool();

    /** The tool reports every archive on java.util.logging's console; Berth says what matters in one line. */
    private static final Logger TOOL_LOG = quiet(Logger.getLogger("org.apache.tomcat.jakartaee"));

    private static Logger quiet(Logger logger) {
        logger.setLevel(Level.WARNING);
        return logger;
    }

    private static final String CONVERTING = "converting-";
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Migrator.class);

    private Migrator() {
    }

    /** A converted WAR: where it is and whether this call made it (false: taken from the cache). */
    record Converted(Path war, boolean fromCache) {
    }

    /**
     * The cached conversion of {@code war}, made now when there is none. A conversion is written in a
     * {@link LockedDirectory} {@code converting-*} of the cache and moved into place whole; the folders of
     * conversions whose process died (SIGKILL, a lost machine) are removed first, whether or not this one is cached.
     */
    static Converted cached(Path war, Path cacheDir) throws IOException {
        String suffix = war.getFileName().toString().endsWith(".jar") ? ".jar" : ".war";
        Path entry = cacheDir.resolve(sha256(war) + "-" + TOOL_VERSION + "-" + ContainerProfile.ID + suffix);
        Files.createDirectories(cacheDir);
        LockedDirectory.removeAbandoned(cacheDir, name -> name.startsWith(CONVERTING), lockless -> false);
        if (Files.isRegularFile(entry)) {
            if (opens(entry)) {
                return new Converted(entry, true);
            }
            Files.delete(entry);
        }
        try (LockedDirectory converting = LockedDirectory.claim(cacheDir, () -> CONVERTING + UUID.randomUUID())) {
            Path converted = converting.path().resolve("converted" + suffix);
            convert(war, converted);
            if (suffix.equals(".jar")) {
                // a berth.classpath jar's loader takes no class-load transformer: its calls to removed methods are bridged here
                RemovedServletMethods.bridge(converted);
            }
            Files.move(converted, entry, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        return new Converted(entry, false);
    }

    /** Converts {@code source} (a WAR file or directory) into {@code destination}. */
    static void convert(Path source, Path destination) throws IOException {
        Migration migration = new Migration();
        migration.setSource(source.toFile());
        migration.setDestination(destination.toFile());
        migration.setEESpecProfile(new ContainerProfile());
        migration.execute();
        if (Files.isRegularFile(destination)) {
            List<String> pages = RemovedPageSyntax.stripFrom(destination);
            if (!pages.isEmpty()) {
                LOG.warn("{}: {} JSP page{} used what Jakarta Pages 4 removed: isThreadSafe is dropped, so they serve requests "
                        + "concurrently as every Jakarta page does, and a jsp:plugin shows its jsp:fallback text ({})",
                        source.getFileName(), pages.size(), pages.size() == 1 ? "" : "s",
                        String.join(", ", pages.subList(0, Math.min(5, pages.size()))) + (pages.size() > 5 ? ", ..." : ""));
            }
        }
    }

    private static boolean opens(Path war) {
        try (ZipFile zip = new ZipFile(war.toFile())) {
            return zip.size() > 0;
        } catch (IOException e) {
            return false;
        }
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return DigestUtils.sha256Hex(in);
        }
    }
}
