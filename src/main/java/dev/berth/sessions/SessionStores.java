package dev.berth.sessions;

import dev.berth.backing.BackingService;
import dev.berth.backing.BackingServices;
import dev.berth.backing.ConnectionPools;
import dev.berth.config.BerthConfig;
import dev.berth.config.DatabaseUrl;

import com.zaxxer.hikari.HikariDataSource;

import org.eclipse.jetty.ee11.webapp.WebAppContext;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.session.AbstractSessionCacheFactory;
import org.eclipse.jetty.session.AbstractSessionDataStore;
import org.eclipse.jetty.session.DatabaseAdaptor;
import org.eclipse.jetty.session.DefaultSessionCacheFactory;
import org.eclipse.jetty.session.JDBCSessionDataStore;
import org.eclipse.jetty.session.SessionDataStore;
import org.eclipse.jetty.session.SessionDataStoreFactory;
import org.eclipse.jetty.util.component.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Where the application's HTTP sessions live ({@code berth.sessions.store}) and how its session cookie
 * reads. {@code memory} is Jetty's default. {@code file} is Jetty's file store, written atomically
 * ({@link AtomicFileSessionDataStore}), behind its default cache: sessions survive a restart, or a kill, of one
 * instance. {@code jdbc} (Jetty's JDBC store on a HikariCP pool) and
 * {@code redis} (Berth's store on Jedis) are shared by instances: a request reads its session from the store
 * unless another request on this instance holds it ({@link OneCopySessionCache}), a changed session is written
 * before the response is committed, so the client's next request finds it on any instance, and a write only
 * replaces the version it read, so no instance undoes another's change ({@link SessionConflict}).
 */
public final class SessionStores {

    private static final Logger LOG = LoggerFactory.getLogger(SessionStores.class);
    /** A session's load or save is one short statement: one that waits longer is on a connection the network lost. */
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(5);

    private final BerthConfig.Sessions settings;
    private final AbstractSessionCacheFactory cache;
    private final SessionDataStoreFactory store;
    private final Optional<BackingService> remote;

    private SessionStores(BerthConfig.Sessions settings, AbstractSessionCacheFactory cache, SessionDataStoreFactory store,
                          Optional<BackingService> remote) {
        this.settings = settings;
        this.cache = cache;
        this.store = store;
        this.remote = remote;
    }

    /** The store the settings name; a remote store's pool and readiness check go to {@code backing}. */
    public static SessionStores of(BerthConfig.Sessions settings, BackingServices backing) {
        return switch (settings.store()) {
            case MEMORY -> new SessionStores(settings, null, null, Optional.empty());
            case FILE -> file(settings);
            case JDBC -> jdbc(settings, backing);
            case REDIS -> redis(settings, backing);
        };
    }

    private static SessionStores file(BerthConfig.Sessions settings) {
        File dir = new File(settings.file().dir().orElseThrow());
        int savePeriod = savePeriod(settings, 0);
        SessionDataStoreFactory files = manager -> {
            AtomicFileSessionDataStore store = new AtomicFileSessionDataStore();
            store.setStoreDir(dir);
            store.setSavePeriodSec(savePeriod);
            return store;
        };
        DefaultSessionCacheFactory cache = new DefaultSessionCacheFactory();
        cache.setFlushOnResponseCommit(true);
        LOG.info("Sessions are kept in files under {}", dir.getAbsolutePath());
        return new SessionStores(settings, cache, files, Optional.empty());
    }

    private static SessionStores jdbc(BerthConfig.Sessions settings, BackingServices backing) {
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
        return shared(settings, store, service, backing);
    }

    private static SessionStores redis(BerthConfig.Sessions settings, BackingServices backing) {
        URI url = URI.create(settings.redis().url().orElseThrow().strip());
        RedisSessionDataStoreFactory store = backing.own(new RedisSessionDataStoreFactory(url, RedisSessionDataStoreFactory.DEFAULT_KEY_PREFIX,
                settings.redis().poolSize(), RedisSessionDataStoreFactory.DEFAULT_TIMEOUT, RedisSessionDataStoreFactory.DEFAULT_TIMEOUT));
        BackingService service = new BackingService("sessions-redis", store::probe);
        LOG.info("Sessions are kept in Redis at {} (at most {} connections)", store.maskedUrl(), settings.redis().poolSize());
        return shared(settings, store, service, backing);
    }

    private static SessionStores shared(BerthConfig.Sessions settings, SessionDataStoreFactory store, BackingService service,
                                        BackingServices backing) {
        backing.add(service);
        AbstractSessionCacheFactory cache = OneCopySessionCache.factory();
        cache.setRemoveUnloadableSessions(true);
        return new SessionStores(settings, cache, manager -> {
            SessionDataStore data = store.getSessionDataStore(manager);
            if (data instanceof AbstractSessionDataStore periodic) {
                periodic.setSavePeriodSec(savePeriod(settings, manager.getMaxInactiveInterval()));
            }
            return new GuardedSessionDataStore(data, service);
        }, Optional.of(service));
    }

    /**
     * A changed session is written when the response commits, before the client can ask another instance. A
     * session only read is written when the request ends, possibly after the client's next request reached
     * another instance and changed it: that write would undo the change. So unchanged sessions are written
     * only every save period, which is short enough (a quarter of the timeout) to keep their expiry current.
     */
    private static int savePeriod(BerthConfig.Sessions settings, int warTimeoutSeconds) {
        long timeout = settings.timeout().map(Duration::toSeconds).orElse((long) warTimeoutSeconds);
        long period = settings.savePeriod().toSeconds();
        return (int) Math.min(Integer.MAX_VALUE, timeout > 0 ? Math.min(period, Math.max(1, timeout / 4)) : period);
    }

    /** Makes the store the server's, for every context it starts from now on. */
    public void install(Server server) {
        if (store != null) {
            server.addBean(cache);
            server.addBean(store);
        }
    }

    /**
     * The context's session handler and cookie: HttpOnly (as Tomcat does) and SameSite before the WAR's
     * web.xml is read (the WAR may set its own); the timeout and cookie name of Berth's settings after it (they win).
     */
    public void configure(WebAppContext context) {
        if (remote.isPresent()) {
            context.setSessionHandler(new StoreAwareSessionHandler());
        }
        context.getSessionHandler().setHttpOnly(true);
        context.getSessionHandler().setSameSite(HttpCookie.SameSite.valueOf(settings.sameSite().name()));
        context.addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStarted(LifeCycle event) {
                settings.timeout().ifPresent(timeout -> context.getSessionHandler().setMaxInactiveInterval((int) timeout.toSeconds()));
                settings.cookieName().ifPresent(name -> context.getSessionHandler().setSessionCookie(name));
            }
        });
    }

    /** The started application behind the gate that answers 503 while a remote store is unreachable. */
    public Handler gate(Handler application) {
        if (remote.isEmpty() || !(application instanceof WebAppContext context)) {
            return application;
        }
        return new SessionStoreGate(application, remote.get(), () -> context.getSessionHandler().getSessionCookie());
    }
}
