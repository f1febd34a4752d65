package dev.berth.sessions;

import dev.berth.backing.BackingService;
import dev.berth.backing.BackingServices;
import dev.berth.backing.ConnectionPools;
import dev.berth.config.BerthConfig;
import dev.berth.config.DatabaseUrl;

import com.zaxxer.hikari.HikariDataSource;

import org.eclipse.jetty.session.DatabaseAdaptor;
import org.eclipse.jetty.session.JDBCSessionDataStore;
import org.eclipse.jetty.session.SessionDataStoreFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/** {@code jdbc}: Jetty's JDBC store with versioned writes ({@link VersionedJdbcSessionDataStore}) on a HikariCP pool. */
final class JdbcSessionStore implements SessionStoreType {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcSessionStore.class);
    /** A session's load or save is one short statement: one that waits longer is on a connection the network lost. */
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(5);

    @Override
    public SessionStores create(BerthConfig.Sessions settings, BackingServices backing) {
        BerthConfig.Sessions.Jdbc jdbc = settings.jdbc();
        DatabaseUrl url = DatabaseUrl.parse(jdbc.url().orElseThrow(), jdbc.username(), jdbc.password());
        HikariDataSource pool = backing.own(new HikariDataSource(
                ConnectionPools.boundEachQuery(ConnectionPools.config("berth-sessions", url, jdbc.poolSize()), url, QUERY_TIMEOUT)));
        BackingService service = ConnectionPools.service("sessions-jdbc", pool);
        DatabaseAdaptor adaptor = new DatabaseAdaptor();
        adaptor.setDatasource(pool);
        SessionDataStoreFactory store = manager -> {
            JDBCSessionDataStore.SessionTableSchema schema = new JDBCSessionDataStore.SessionTableSchema();
            schema.setTableName(jdbc.table());
            VersionedJdbcSessionDataStore rows = new VersionedJdbcSessionDataStore();
            rows.setDatabaseAdaptor(adaptor);
            rows.setSessionTableSchema(schema);
            return rows;
        };
        LOG.info("Sessions are kept in the database at {} (table {}, at most {} connections)", url, jdbc.table(), jdbc.poolSize());
        return SessionStores.shared(settings, store, service, backing);
    }
}
