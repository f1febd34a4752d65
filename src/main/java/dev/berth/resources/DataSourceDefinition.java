package dev.berth.resources;

import dev.berth.base.Secrets;
import dev.berth.config.DatabaseUrl;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A pooled {@code javax.sql.DataSource} that a {@code context.xml} declares, in terms of no particular pool: the
 * meanings are Tomcat's, and what a HikariCP pool makes of them is decided where the pool is built. Empty means
 * the file does not say.
 *
 * @param name                 the name under {@code java:comp/env}, such as {@code jdbc/app}
 * @param url                  the JDBC URL with the user and password; a {@code postgres://} URL is already made a
 *                             JDBC one, its credentials moved beside it
 * @param driverClassName      {@code driverClassName}
 * @param maxPoolSize          the most connections open at once: {@code maxTotal}, or DBCP 1's {@code maxActive};
 *                             at least 1. Empty also when the file says "no limit"
 * @param minIdle              the connections kept open while idle: {@code minIdle}, else {@code initialSize}
 * @param connectionTimeout    how long a request waits for a free connection: {@code maxWaitMillis}, or DBCP 1's
 *                             {@code maxWait}; zero means not at all, "forever" is already bounded
 * @param validationQuery      {@code validationQuery}, SQL that proves a connection works (HikariCP's
 *                             {@code connectionTestQuery})
 * @param autoCommit           {@code defaultAutoCommit}
 * @param readOnly             {@code defaultReadOnly}
 * @param transactionIsolation {@code defaultTransactionIsolation} as a {@code java.sql.Connection.TRANSACTION_*}
 *                             constant
 * @param connectionProperties {@code connectionProperties}, the properties handed to the driver, in file order
 */
record DataSourceDefinition(
        String name,
        DatabaseUrl url,
        Optional<String> driverClassName,
        OptionalInt maxPoolSize,
        OptionalInt minIdle,
        Optional<Duration> connectionTimeout,
        Optional<String> validationQuery,
        Optional<Boolean> autoCommit,
        Optional<Boolean> readOnly,
        OptionalInt transactionIsolation,
        Map<String, String> connectionProperties) {

    public DataSourceDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        connectionProperties = Collections.unmodifiableMap(new LinkedHashMap<>(connectionProperties));
    }

    /** Without the password, which may also sit in the URL or among the connection properties. */
    @Override
    public String toString() {
        return "DataSource " + name + " at " + Secrets.mask(url.jdbcUrl()) + url.username().map(user -> " as " + user).orElse("")
                + (connectionProperties.isEmpty() ? "" : " with connection properties " + connectionProperties.keySet());
    }
}
