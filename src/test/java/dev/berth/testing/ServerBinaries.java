package dev.berth.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where the installed server binaries are. A system property ({@link RedisServer#BINARY_PROPERTY},
 * {@link PostgresServer#BIN_PROPERTY}) names them explicitly, which also lets a run pretend one is missing
 * ({@code -Dberth.test.redis-server=/nowhere}) to see the skip.
 */
final class ServerBinaries {

    private static final Path DEBIAN_POSTGRES = Path.of("/usr/lib/postgresql");

    private ServerBinaries() {
    }

    static Optional<Path> redisServer() {
        String override = System.getProperty(RedisServer.BINARY_PROPERTY);
        if (override != null) {
            Path file = Path.of(override).toAbsolutePath();
            return Optional.of(file).filter(ServerBinaries::isExecutable);
        }
        return path().map(dir -> dir.resolve("redis-server")).filter(ServerBinaries::isExecutable).findFirst();
    }

    /**
     * The directory of initdb, postgres and pg_ctl: Debian's /usr/lib/postgresql/VERSION/bin, the highest
     * version first, then the PATH.
     */
    static Optional<Path> postgresBin() {
        String override = System.getProperty(PostgresServer.BIN_PROPERTY);
        Stream<Path> candidates = override != null ? Stream.of(Path.of(override)) : Stream.concat(debianVersions(), path());
        return candidates.filter(dir -> Stream.of("initdb", "postgres", "pg_ctl").allMatch(name -> isExecutable(dir.resolve(name))))
                .findFirst();
    }

    private static Stream<Path> debianVersions() {
        if (!Files.isDirectory(DEBIAN_POSTGRES)) {
            return Stream.empty();
        }
        try (Stream<Path> versions = Files.list(DEBIAN_POSTGRES)) {
            return versions.filter(dir -> dir.getFileName().toString().matches("\\d+(\\.\\d+)?"))
                    .sorted(Comparator.comparingDouble((Path dir) -> Double.parseDouble(dir.getFileName().toString())).reversed())
                    .map(dir -> dir.resolve("bin"))
                    .toList()
                    .stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Stream<Path> path() {
        String path = System.getenv("PATH");
        return path == null ? Stream.empty() : Stream.of(path.split(File.pathSeparator)).filter(dir -> !dir.isEmpty()).map(Path::of);
    }

    private static boolean isExecutable(Path file) {
        return Files.isRegularFile(file) && Files.isExecutable(file);
    }
}
