package dev.berth.testing;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import org.junit.jupiter.api.Test;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The real PostgreSQL and Redis servers that tests start for themselves. */
class ExternalServersTest {

    /** PostgreSQL's invalid_password and PgJDBC's connection_unable_to_connect. */
    private static final String INVALID_PASSWORD = "28P01";
    private static final String CONNECTION_REFUSED = "08001";

    @Test
    void redisAnswersPingWithThePasswordAndRefusesWithoutIt() {
        try (RedisServer redis = RedisServer.start(); Jedis withUrl = new Jedis(URI.create(redis.url()));
                Jedis anonymous = new Jedis("127.0.0.1", redis.port())) {
            assertThat(withUrl.ping()).isEqualTo("PONG");
            assertThatThrownBy(anonymous::ping).isInstanceOf(JedisDataException.class).hasMessageContaining("NOAUTH");
        }
    }

    @Test
    void aStoppedRedisRefusesConnectionsAndARestartedOneAnswersOnTheSamePort() {
        try (RedisServer redis = RedisServer.start()) {
            int port = redis.port();
            redis.stop();
            assertThatThrownBy(() -> ping(redis)).isInstanceOf(JedisConnectionException.class);

            redis.restart();
            assertThat(redis.port()).isEqualTo(port);
            assertThat(ping(redis)).isEqualTo("PONG");
        }
    }

    @Test
    void aClosedRedisLeavesNoProcessAndNoFilesBehind() {
        RedisServer redis = RedisServer.start();
        redis.close();
        assertThat(ProcessHandle.of(redis.pid())).isEmpty();
        assertThat(redis.directory()).doesNotExist();
    }

    @Test
    void postgresAcceptsBerthWithThePasswordAndRejectsAWrongOne() throws SQLException {
        try (PostgresServer postgres = PostgresServer.start();
                Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
                Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery("select 1")) {
            assertThat(result.next()).isTrue();
            assertThat(result.getInt(1)).isEqualTo(1);
            assertThat(connection.getCatalog()).isEqualTo(postgres.database());

            assertThatThrownBy(() -> DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), "wrong").close())
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo(INVALID_PASSWORD));
        }
    }

    @Test
    void postgresDatabaseUrlNamesTheSameServerAndCredentials() {
        try (PostgresServer postgres = PostgresServer.start()) {
            URI url = URI.create(postgres.databaseUrl());
            assertThat(url.getScheme()).isEqualTo("postgres");
            assertThat(url.getUserInfo()).isEqualTo(postgres.user() + ":" + postgres.password());
            assertThat(url.getHost() + ":" + url.getPort()).isEqualTo("127.0.0.1:" + postgres.port());
            assertThat(url.getPath()).isEqualTo("/" + postgres.database());
            assertThat(postgres.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + postgres.port() + "/berth");
        }
    }

    @Test
    void aStoppedPostgresRefusesConnectionsAndARestartedOneStillHasItsData() throws SQLException {
        try (PostgresServer postgres = PostgresServer.start()) {
            int port = postgres.port();
            sql(postgres, "create table kept (word text)", "insert into kept values ('still here')");

            postgres.stop();
            assertThatThrownBy(() -> connect(postgres).close())
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo(CONNECTION_REFUSED));

            postgres.restart();
            assertThat(postgres.port()).isEqualTo(port);
            try (Connection connection = connect(postgres); Statement statement = connection.createStatement();
                    ResultSet result = statement.executeQuery("select word from kept")) {
                assertThat(result.next()).isTrue();
                assertThat(result.getString(1)).isEqualTo("still here");
            }
        }
    }

    @Test
    void stoppingPostgresEndsItsOpenConnections() throws SQLException {
        try (PostgresServer postgres = PostgresServer.start(); Connection open = connect(postgres)) {
            postgres.stop();
            assertThat(open.isValid(5)).isFalse();
        }
    }

    @Test
    void aClosedPostgresLeavesNoProcessAndNoFilesBehind() {
        PostgresServer postgres = PostgresServer.start();
        long pid = postgres.pid();
        List<ProcessHandle> children = ProcessHandle.of(pid).orElseThrow().descendants().toList();
        postgres.close();
        assertThat(ProcessHandle.of(pid)).isEmpty();
        assertThat(children).isNotEmpty().noneMatch(ProcessHandle::isAlive);
        assertThat(postgres.directory()).doesNotExist();
    }

    @Test
    void theServersRunTheBinariesServerBinariesNamesNotTheMachines() {
        try (PostgresServer postgres = PostgresServer.start(); RedisServer redis = RedisServer.start()) {
            assertThat(executable(postgres.pid())).isEqualTo(ServerBinaries.postgresBin().path().orElseThrow().resolve("postgres").toString());
            assertThat(executable(redis.pid())).isEqualTo(ServerBinaries.redisServer().path().orElseThrow().toString());
        }
    }

    private static String executable(long pid) {
        return ProcessHandle.of(pid).flatMap(process -> process.info().command()).orElseThrow();
    }

    private static Connection connect(PostgresServer postgres) throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
    }

    private static void sql(PostgresServer postgres, String... statements) throws SQLException {
        try (Connection connection = connect(postgres); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static String ping(RedisServer redis) {
        try (Jedis jedis = new Jedis(URI.create(redis.url()))) {
            return jedis.ping();
        }
    }
}
