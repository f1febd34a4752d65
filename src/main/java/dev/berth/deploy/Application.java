package dev.berth.deploy;

import dev.berth.base.BerthException;
import dev.berth.base.ExitCode;
import dev.berth.config.BerthConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The user's WAR, checked before anything is bound: a readable {@code .war} file whose entries are safe to
 * unpack, or an exploded directory with {@code WEB-INF/} (never a plain directory: every file in it would
 * be served). {@link WebApps} turns it into a Jetty context on the deployment thread.
 */
public final class Application {

    private final Path war;
    private final BerthConfig config;
    private final Optional<Path> usersFile;
    private final long unpackedBytes;

    private Application(Path war, BerthConfig config, Optional<Path> usersFile, long unpackedBytes) {
        this.war = war;
        this.config = config;
        this.usersFile = usersFile;
        this.unpackedBytes = unpackedBytes;
    }

    /** The configured WAR, if any; exit 66 naming the path and what was found when it is not a WAR. */
    public static Optional<Application> of(BerthConfig config) throws BerthException {
        if (config.war().isEmpty()) {
            return Optional.empty();
        }
        Path path = Path.of(config.war().get()).toAbsolutePath().normalize();
        if (!Files.exists(path)) {
            throw new BerthException(ExitCode.NO_INPUT, "the WAR " + path + " does not exist",
                    "give the path of a .war file or an exploded WAR directory");
        }
        if (!Files.isReadable(path) || (Files.isDirectory(path) && !Files.isExecutable(path))) {
            throw new BerthException(ExitCode.NO_INPUT, "the WAR " + path + " cannot be read (permission denied)",
                    "make it readable by the user running Berth");
        }
        long unpacked = 0;
        if (Files.isDirectory(path)) {
            if (!Files.isDirectory(path.resolve("WEB-INF"))) {
                throw new BerthException(ExitCode.NO_INPUT, "the directory " + path + " has no WEB-INF/, so it is not an exploded WAR; "
                        + "Berth does not serve a plain directory (every file in it would be public)",
                        "give a .war file, or the directory a build unpacked a WAR into (it has WEB-INF/web.xml or WEB-INF/classes)");
            }
        } else if (Files.isRegularFile(path)) {
            unpacked = WarArchive.check(path, config.deploy());
        } else {
            throw new BerthException(ExitCode.NO_INPUT, "the WAR " + path + " is neither a file nor a directory",
                    "give the path of a .war file or an exploded WAR directory");
        }
        // the settings' validation has checked that the users file can be read
        Optional<Path> users = config.login().usersFile().map(f -> Path.of(f.strip()).toAbsolutePath().normalize());
        return Optional.of(new Application(path, config, users, unpacked));
    }

    /** What unpacking the WAR writes into the work directory, in bytes; 0 for an exploded WAR (it is served where it is). */
    public long unpackedBytes() {
        return unpackedBytes;
    }

    public String name() {
        return war.getFileName().toString();
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
