package dev.berth.backing;

import dev.berth.config.DatabaseUrl;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.sql.Connection;
import java.time.Duration;

/**
 * HikariCP pools for the databases Berth connects to (the JDBC session store, container DataSources). A pool
 * is built without a connection, so a database that is down at start does not fail the start: the
 * {@link BackingService} of the pool reports it and the deployment waits. A request that needs a connection
 * while the database is down fails after {@link #CONNECTION_WAIT}, not after Hikari's 30 s.
 */
public final class ConnectionPools {

    static final Duration CONNECTION_WAIT = Duration.ofSeconds(3);
    private static final int VALIDATION_SECONDS = 2;
    /** Hikari's smallest: an idle connection is checked this often, so one a failover left dead is found. */
    private static final Duration KEEPALIVE = Duration.ofSeconds(30);

    private ConnectionPools() {
    }

    /** Berth's pool settings, for a caller to refine before it builds the pool. */
    public static HikariConfig config(String name, DatabaseUrl url, int size) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        config.setJdbcUrl(url.jdbcUrl());
        url.username().ifPresent(config::setUsername);
        url.password().ifPresent(config::setPassword);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(Math.min(1, size));
        config.setConnectionTimeout(CONNECTION_WAIT.toMillis());
        config.setValidationTimeout(Duration.ofSeconds(1).toMillis());
        config.setKeepaliveTime(KEEPALIVE.toMillis());
        // build now, connect later: the probe says when the database answers
        config.setInitializationFailTimeout(-1);
        if (isPostgres(url)) {
            // PgJDBC waits 10 s for a connect and forever for a login; a URL's own parameters still win
            config.addDataSourceProperty("connectTimeout", "2");
            config.addDataSourceProperty("loginTimeout", "5");
            config.addDataSourceProperty("cancelSignalTimeout", "2");
            config.addDataSourceProperty("tcpKeepAlive", "true");
        }
        return config;
    }

    /**
     * Bounds every statement's wait for the database: a connection whose packets a failover drops (no reset,
     * no close) fails after {@code timeout} and leaves the pool, instead of holding its request for the
     * kernel's quarter of an hour. Only for pools whose queries are known to be short (the session store's).
     */
    public static HikariConfig boundEachQuery(HikariConfig config, DatabaseUrl url, Duration timeout) {
        if (isPostgres(url)) {
            config.addDataSourceProperty("socketTimeout", Long.toString(Math.max(1, timeout.toSeconds())));
        }
        return config;
    }

    private static boolean isPostgres(DatabaseUrl url) {
        return url.jdbcUrl().startsWith("jdbc:postgresql:");
    }

    /** A backing service that answers when a connection from {@code pool} is valid. */
    public static BackingService service(String name, HikariDataSource pool) {
        return new BackingService(name, probe(pool));
    }

    /** Takes a connection from {@code pool} and checks it. */
    public static BackingService.Probe probe(HikariDataSource pool) {
        return () -> {
            try (Connection connection = pool.getConnection()) {
                if (!connection.isValid(VALIDATION_SECONDS)) {
                    throw new java.sql.SQLException("the connection is not valid");
                }
            }
        };
    }
}
