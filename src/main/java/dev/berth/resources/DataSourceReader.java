package dev.berth.resources;

import dev.berth.base.Secrets;
import dev.berth.config.DatabaseUrl;

import java.sql.Connection;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Reads a {@code <Resource type="javax.sql.DataSource">} written for Tomcat's DBCP (or DBCP 1, or Tomcat's
 * jdbc-pool) into a {@link DataSourceDefinition}. {@code auth}, {@code scope} and {@code description} are
 * accepted without a word: they change nothing when Berth builds the pool.
 */
final class DataSourceReader {

    /** Factories whose attributes Berth reads as they are meant: Tomcat's DBCP 2 and 1, Commons DBCP 2 and 1, jdbc-pool. */
    private static final Set<String> DBCP_FACTORIES = Set.of(
            "org.apache.tomcat.dbcp.dbcp2.BasicDataSourceFactory",
            "org.apache.tomcat.dbcp.dbcp.BasicDataSourceFactory",
            "org.apache.commons.dbcp2.BasicDataSourceFactory",
            "org.apache.commons.dbcp.BasicDataSourceFactory",
            "org.apache.tomcat.jdbc.pool.DataSourceFactory");

    private DataSourceReader() {
    }

    static DataSourceDefinition read(Attributes resource, String name, Warnings warnings) {
        resource.accept("auth", "scope", "description");
        factory(resource, warnings);
        DatabaseUrl url = url(resource);
        OptionalInt maxPoolSize = PoolSizing.maxPoolSize(resource, warnings);
        OptionalInt minIdle = PoolSizing.minIdle(resource, warnings);
        Optional<Duration> connectionTimeout = PoolSizing.connectionTimeout(resource, warnings);
        PoolSizing.maxIdle(resource, warnings);
        return new DataSourceDefinition(name, url, resource.text("driverClassName").map(String::strip), maxPoolSize, minIdle,
                connectionTimeout, resource.text("validationQuery"), resource.bool("defaultAutoCommit"),
                resource.bool("defaultReadOnly"), isolation(resource), connectionProperties(resource));
    }

    private static void factory(Attributes resource, Warnings warnings) {
        Optional<String> factory = resource.text("factory").map(String::strip);
        if (factory.isEmpty()) {
            return;
        }
        if (DBCP_FACTORIES.contains(factory.get())) {
            warnings.addOncePer("factory " + factory.get(), resource, "factory=\"" + factory.get()
                    + "\" not used: Berth pools connections with HikariCP, set from the same attributes");
        } else {
            warnings.add(resource, "factory=\"" + factory.get() + "\" of " + resource.describe()
                    + " not used: Berth pools connections with HikariCP, set from the DBCP attributes of this <Resource>");
        }
    }

    /** An empty {@code username} or {@code password} counts as not given, so that a postgres:// URL's own can apply. */
    private static DatabaseUrl url(Attributes resource) {
        String url = resource.required("url");
        Optional<String> username = resource.text("username").filter(user -> !user.isEmpty());
        Optional<String> password = resource.text("password").filter(secret -> !secret.isEmpty());
        try {
            return DatabaseUrl.parse(url, username, password);
        } catch (IllegalArgumentException e) {
            throw resource.error("url=\"" + Secrets.mask(url) + "\" of " + resource.describe() + " is not usable: " + e.getMessage());
        }
    }

    private static OptionalInt isolation(Attributes resource) {
        Optional<String> level = resource.text("defaultTransactionIsolation");
        if (level.isEmpty()) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(switch (level.get().strip().toUpperCase(Locale.ROOT)) {
            case "NONE" -> Connection.TRANSACTION_NONE;
            case "READ_UNCOMMITTED" -> Connection.TRANSACTION_READ_UNCOMMITTED;
            case "READ_COMMITTED" -> Connection.TRANSACTION_READ_COMMITTED;
            case "REPEATABLE_READ" -> Connection.TRANSACTION_REPEATABLE_READ;
            case "SERIALIZABLE" -> Connection.TRANSACTION_SERIALIZABLE;
            default -> throw resource.error(resource.quoted("defaultTransactionIsolation") + " of " + resource.describe()
                    + " is not NONE, READ_UNCOMMITTED, READ_COMMITTED, REPEATABLE_READ or SERIALIZABLE");
        });
    }

    /** DBCP's {@code name=value;name=value}. Never quoted in a message: a password may be among them. */
    private static Map<String, String> connectionProperties(Attributes resource) {
        Map<String, String> properties = new LinkedHashMap<>();
        for (String entry : resource.text("connectionProperties").orElse("").split(";")) {
            int equals = entry.indexOf('=');
            if (entry.isBlank()) {
                continue;
            }
            if (equals <= 0 || entry.substring(0, equals).isBlank()) {
                throw resource.error("connectionProperties of " + resource.describe()
                        + " has an entry that is not name=value (entries are separated by ;)");
            }
            properties.put(entry.substring(0, equals).strip(), entry.substring(equals + 1).strip());
        }
        return properties;
    }
}
