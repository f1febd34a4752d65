package dev.berth.deploy;

import dev.berth.base.BerthException;
import dev.berth.base.ExitCode;
import dev.berth.config.BerthConfig;
import dev.berth.config.ContextPathConverter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The user's WAR, checked before anything is bound: a readable {@code .war} file whose entries are safe to
 * unpack, or an exploded directory with {@code WEB-INF/} (never a plain directory: every file in it would
 * be served). {@link WebApps} turns it into a Jetty context on the deployment thread.
 */
public final class Application {

    private static final Logger LOG = LoggerFactory.getLogger(Application.class);

    private final Path war;
    private final String contextPath;
    private final String folder;
    private final String qualifier;
    private final BerthConfig config;
    private final Optional<Path> usersFile;
    private final long unpackedBytes;

    private Application(Path war, String contextPath, String folder, String qualifier, BerthConfig config, Optional<Path> usersFile,
                        long unpackedBytes) {
        this.war = war;
        this.contextPath = contextPath;
        this.folder = folder;
        this.qualifier = qualifier;
        this.config = config;
        this.usersFile = usersFile;
        this.unpackedBytes = unpackedBytes;
    }

    /**
     * The configured WARs, none for the status page: {@code berth.war} is one WAR (at {@code berth.context-path}), or
     * several as {@code /shop=shop.war,/api=api.war}, each at its own path. Exit 64 for a path given twice or not a
     * context path; exit 66 naming the path and what was found when one is not a WAR.
     */
    public static List<Application> all(BerthConfig config) throws BerthException {
        if (config.war().isEmpty() || config.war().get().isBlank()) {
            return List.of();
        }
        String value = config.war().get().strip();
        // a WAR whose own path has a comma or PATH=-like part (/builds/label=linux/app.war) is one WAR
        boolean oneWar = Files.exists(Path.of(value));
        List<String> entries = oneWar ? List.of(value) : List.of(value.split(","));
        Map<String, Path> byPath = new LinkedHashMap<>();
        for (String entry : entries) {
            String text = entry.strip();
            int equals = text.indexOf('=');
            boolean withPath = !oneWar && text.startsWith("/") && equals > 0;
            if (!withPath && entries.size() > 1) {
                throw new BerthException(ExitCode.USAGE, "berth.war names several WARs, and " + text + " has no context path",
                        "give each its path: /shop=shop.war,/api=api.war");
            }
            String path = withPath ? contextPath(text.substring(0, equals)) : config.contextPath();
            Path war = Path.of(withPath ? text.substring(equals + 1) : text).toAbsolutePath().normalize();
            Path before = byPath.putIfAbsent(path, war);
            if (before != null) {
                throw new BerthException(ExitCode.USAGE, "two WARs at the context path " + path + ": " + before.getFileName() + " and "
                        + war.getFileName(), "give each WAR a path of its own");
            }
        }
        if (byPath.size() > 1 && !config.contextPath().equals("/")) {
            LOG.warn("berth.context-path={} is not used: each of the {} WARs is served at the path given with it", config.contextPath(),
                    byPath.size());
        }
        // the settings' validation has checked that the users file can be read
        Optional<Path> users = config.login().usersFile().map(f -> Path.of(f.strip()).toAbsolutePath().normalize());
        List<Application> applications = new ArrayList<>();
        for (Map.Entry<String, Path> app : byPath.entrySet()) {
            String folder = applications.isEmpty() ? "" : "-" + (applications.size() + 1);
            String qualifier = byPath.size() == 1 ? "" : "@" + app.getKey();
            applications.add(new Application(app.getValue(), app.getKey(), folder, qualifier, config, users,
                    checked(app.getValue(), config)));
        }
        return List.copyOf(applications);
    }

    private static String contextPath(String text) throws BerthException {
        try {
            return new ContextPathConverter().convert(text);
        } catch (IllegalArgumentException e) {
            throw new BerthException(ExitCode.USAGE, "berth.war: " + text + " is not a context path (examples: /, /shop)",
                    "write each WAR as PATH=WAR, such as /shop=shop.war");
        }
    }

    /** What unpacking the WAR will write, in bytes; exit 66 when it is not a WAR. */
    private static long checked(Path path, BerthConfig config) throws BerthException {
        if (!Files.exists(path)) {
            throw new BerthException(ExitCode.NO_INPUT, "the WAR " + path + " does not exist",
                    "give the path of a .war file or an exploded WAR directory");
        }
        if (!Files.isReadable(path) || (Files.isDirectory(path) && !Files.isExecutable(path))) {
            throw new BerthException(ExitCode.NO_INPUT, "the WAR " + path + " cannot be read (permission denied)",
                    "make it readable by the user running Berth");
        }
        if (Files.isDirectory(path)) {
            if (!Files.isDirectory(path.resolve("WEB-INF"))) {
                throw new BerthException(ExitCode.NO_INPUT, "the directory " + path + " has no WEB-INF/, so it is not an exploded WAR; "
                        + "Berth does not serve a plain directory (every file in it would be public)",
                        "give a .war file, or the directory a build unpacked a WAR into (it has WEB-INF/web.xml or WEB-INF/classes)");
            }
            return 0;
        }
        if (Files.isRegularFile(path)) {
            return WarArchive.check(path, config.deploy());
        }
        throw new BerthException(ExitCode.NO_INPUT, "the WAR " + path + " is neither a file nor a directory",
                "give the path of a .war file or an exploded WAR directory");
    }

    /** What unpacking the WAR writes into the work directory, in bytes; 0 for an exploded WAR (it is served where it is). */
    public long unpackedBytes() {
        return unpackedBytes;
    }

    public String name() {
        return war.getFileName().toString();
    }

    /** Where the application is served: {@code berth.context-path}, or its own path when several WARs are given. */
    public String contextPath() {
        return contextPath;
    }

    /** The suffix of its folders in the run folder ({@code war}, {@code war-2}): empty for the first. */
    String folder() {
        return folder;
    }

    /**
     * What tells its DataSources' pools and checks from another application's of the same name: {@code @/shop} when
     * several WARs run, empty for one.
     */
    String qualifier() {
        return qualifier;
    }

    Path war() {
        return war;
    }

    BerthConfig config() {
        return config;
    }

    Optional<Path> usersFile() {
        return usersFile;
    }
}
