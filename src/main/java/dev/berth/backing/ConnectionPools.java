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

    private ConnectionPools() {
    }

    /** A pool of at most {@code size} connections to {@code url}; {@code name} appears in Hikari's log lines. */
    public static HikariDataSource newPool(String name, DatabaseUrl url, int size) {
        return new HikariDataSource(config(name, url, size));
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
        config.setValidationTimeout(Duration.ofSeconds(VALIDATION_SECONDS).toMillis());
        // build now, connect later: the probe says when the database answers
        config.setInitializationFailTimeout(-1);
        return config;
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
