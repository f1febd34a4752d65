package dev.berth.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Where the PostgreSQL and Redis binaries are: never the machine's own, so every run uses the same versions.
 * The build unpacks them from Maven artifacts into target/test-servers (pom.xml, execution test-servers, on
 * the platforms both artifacts cover), and the first test that needs one installs it under java.io.tmpdir
 * ({@link ServerInstall}). A system property ({@link PostgresServer#BIN_PROPERTY}, {@link RedisServer#BINARY_PROPERTY})
 * names other binaries instead, which also lets a run pretend there are none
 * ({@code -Dberth.test.redis-server=/nowhere}) to see the skip.
 */
final class ServerBinaries {

    private static final Path UNPACKED = Path.of("target", "test-servers");
    private static final String[] POSTGRES_TOOLS = {"initdb", "postgres", "pg_ctl"};

    private static Binaries postgres;
    private static Binaries redis;

    private ServerBinaries() {
    }

    /** The directory of initdb, postgres and pg_ctl. */
    static synchronized Binaries postgresBin() {
        String override = System.getProperty(PostgresServer.BIN_PROPERTY);
        if (override != null) {
            Path bin = Path.of(override).toAbsolutePath();
            return Stream.of(POSTGRES_TOOLS).allMatch(tool -> isExecutable(bin.resolve(tool))) ? Binaries.at(bin)
                    : Binaries.absent("-D" + PostgresServer.BIN_PROPERTY + "=" + override + " is not a directory with initdb, postgres and pg_ctl");
        }
        if (postgres == null) {
            postgres = installed("postgresql", UNPACKED.resolve("postgresql").resolve("postgresql.txz"), TarXz::extract, "bin");
        }
        return postgres;
    }

    /** The redis-server executable. */
    static synchronized Binaries redisServer() {
        String override = System.getProperty(RedisServer.BINARY_PROPERTY);
        if (override != null) {
            Path file = Path.of(override).toAbsolutePath();
            return isExecutable(file) ? Binaries.at(file)
                    : Binaries.absent("-D" + RedisServer.BINARY_PROPERTY + "=" + override + " is not an executable file");
        }
        if (redis == null) {
            redis = installed("redis", UNPACKED.resolve("redis").resolve("redis-server"), ServerBinaries::executableCopy, "redis-server");
        }
        return redis;
    }

    /** {@code wanted} in the install of {@code unpacked}, which {@code unpacking} makes. */
    private static Binaries installed(String name, Path unpacked, ServerInstall.Unpacking unpacking, String wanted) {
        if (!Files.isRegularFile(unpacked)) {
            return Binaries.absent(unpacked + " is missing: the build unpacks it (mvn generate-test-resources) on Linux amd64 and"
                    + " aarch64 only, and this is " + System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        }
        try {
            return Binaries.at(ServerInstall.of(name, unpacked, unpacking).resolve(wanted));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install " + unpacked + " under java.io.tmpdir", e);
        }
    }

    private static void executableCopy(Path file, Path directory) throws IOException {
        Path copy = Files.copy(file, directory.resolve(file.getFileName()));
        Files.setPosixFilePermissions(copy, TarXz.permissions(0755));
    }

    private static boolean isExecutable(Path file) {
        return Files.isRegularFile(file) && Files.isExecutable(file);
    }
}
