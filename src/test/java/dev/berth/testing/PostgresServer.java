package dev.berth.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

/**
 * A real PostgreSQL cluster of the test's own: initdb into a temporary directory, then postgres on a free
 * loopback port, TCP only, with password (SCRAM) authentication for the superuser {@code berth}, who owns
 * the database {@code berth}. Tuned to start fast, not to survive a crash of the machine. The binaries come
 * from a Maven artifact, not from the machine (see {@link ServerBinaries}); where there are none the test is
 * skipped (failed in CI), see {@link RequiredServer}.
 */
public final class PostgresServer implements ExternalServer {

    /** A system property: the directory of initdb, postgres and pg_ctl to use instead of the artifact's. */
    public static final String BIN_PROPERTY = "berth.test.postgres-bin";

    private static final String BERTH = "berth";

    private final Path bin;
    private final Path directory;
    private final Path data;
    private final ServerAccount account;
    private final String password = ServerProcess.newPassword();
    private final ServerProcess process;
    private int port;

    private PostgresServer(Path bin, Path directory) {
        this.bin = bin;
        this.directory = directory;
        this.data = directory.resolve("data");
        this.account = ServerAccount.forDirectory(directory);
        this.process = new ServerProcess("postgres", directory);
    }

    /** Creates a cluster, starts it and waits until the database {@code berth} takes connections. */
    public static PostgresServer start() {
        Path bin = RequiredServer.require(ServerBinaries.postgresBin(), "PostgreSQL");
        PostgresServer server;
        try {
            server = new PostgresServer(bin, Files.createTempDirectory("berth-postgres"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            server.initdb();
            server.port = server.process.startOnFreePort(server::command, server::acceptsConnections);
            server.execute("postgres", "CREATE DATABASE " + BERTH);
            return server;
        } catch (RuntimeException | Error e) {
            server.close();
            throw e;
        }
    }

    @Override
    public int port() {
        return port;
    }

    public String user() {
        return BERTH;
    }

    @Override
    public String password() {
        return password;
    }

    public String database() {
        return BERTH;
    }

    /** {@code jdbc:postgresql://127.0.0.1:PORT/berth}, without credentials. */
    public String jdbcUrl() {
        return jdbcUrl(port, BERTH);
    }

    /** {@code postgres://berth:PASSWORD@127.0.0.1:PORT/berth}, the shape of Render's DATABASE_URL. */
    public String databaseUrl() {
        return databaseUrlVia(port);
    }

    /** {@link #databaseUrl()} with another port, such as a proxy's in front of this server. */
    public String databaseUrlVia(int port) {
        return "postgres://" + BERTH + ":" + password + "@127.0.0.1:" + port + "/" + BERTH;
    }

    /** Fast shutdown (open connections are ended); the data stays for {@link #restart()}. */
    @Override
    public void stop() {
        process.stop(this::fastShutdown);
    }

    /** Stops it if it runs, starts it again on the same port with the same data, and waits for it. */
    @Override
    public void restart() {
        stop();
        process.startOn(port, command(port), this::acceptsConnections);
    }

    @Override
    public void pause() {
        process.pause();
    }

    @Override
    public void resume() {
        process.resume();
    }

    /** Stops it and deletes its data. */
    @Override
    public void close() {
        process.close(this::fastShutdown);
    }

    long pid() {
        return process.pid();
    }

    Path directory() {
        return directory;
    }

    private void initdb() {
        Path passwordFile = directory.resolve("password");
        try {
            Files.writeString(passwordFile, password);
            process.run(account.command(tool("initdb"), "--pgdata=" + data, "--username=" + BERTH,
                    "--pwfile=" + passwordFile, "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C", "--no-sync"));
            Files.delete(passwordFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> command(int port) {
        // no Unix socket: TCP on 127.0.0.1 only; fsync and full-page writes off, as nothing here outlives the test
        return account.command(tool("postgres"), "-D", data.toString(), "-p", Integer.toString(port),
                "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=",
                "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
                "-c", "shared_buffers=16MB");
    }

    private void fastShutdown() {
        process.run(account.command(tool("pg_ctl"), "stop", "-D", data.toString(), "-m", "fast", "-w", "-t", "30"));
    }

    private boolean acceptsConnections(int port) {
        try (Connection ignored = connect(port, "postgres")) {
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private void execute(String database, String sql) {
        try (Connection connection = connect(port, database); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw process.failure(sql + " failed: " + e);
        }
    }

    private Connection connect(int port, String database) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", BERTH);
        properties.setProperty("password", password);
        properties.setProperty("connectTimeout", "2");
        properties.setProperty("socketTimeout", "10");
        return DriverManager.getConnection(jdbcUrl(port, database), properties);
    }

    private String tool(String name) {
        return bin.resolve(name).toString();
    }

    private static String jdbcUrl(int port, String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }
}
