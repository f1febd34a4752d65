package dev.berth.sessions;

import dev.berth.backing.BackingService;
import dev.berth.backing.BackingServices;
import dev.berth.config.BerthConfig;
import dev.berth.observe.Observer;


import org.eclipse.jetty.ee11.webapp.WebAppContext;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.session.AbstractSessionCacheFactory;
import org.eclipse.jetty.session.AbstractSessionDataStore;
import org.eclipse.jetty.session.SessionDataStore;
import org.eclipse.jetty.session.SessionDataStoreFactory;
import org.eclipse.jetty.util.component.LifeCycle;

import java.time.Duration;
import java.util.Optional;

/**
 * Where the application's HTTP sessions live ({@code berth.sessions.store}) and how its session cookie
 * reads; each store is made by its {@link SessionStoreType}. {@code memory} is Jetty's default, {@code file}
 * survives a restart of this instance ({@link FileSessionStore}), and {@code jdbc} ({@link JdbcSessionStore}) and
 * {@code redis} ({@link RedisSessionStore}) are shared by instances: a request reads its session from the store
 * unless another request on this instance holds it ({@link OneCopySessionCache}), a changed session is written
 * before the response is committed, so the client's next request finds it on any instance, and a write only
 * replaces the version it read, so no instance undoes another's change ({@link SessionConflict}).
 */
public final class SessionStores {

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
        return SessionStoreType.of(settings.store()).create(settings, backing);
    }

    /** Jetty's default: sessions in this instance's memory, nothing to install. */
    static SessionStores inMemory(BerthConfig.Sessions settings) {
        return new SessionStores(settings, null, null, Optional.empty());
    }

    /** A store on this instance alone, behind the cache {@code cache}. */
    static SessionStores local(BerthConfig.Sessions settings, AbstractSessionCacheFactory cache, SessionDataStoreFactory store) {
        return new SessionStores(settings, cache, store, Optional.empty());
    }

    /**
     * A store the instances share, reached over the network: {@code service} checks it for readiness, the session
     * cache keeps one copy per instance, and {@link #install} wraps each store in the guard that reports its failures.
     */
    static SessionStores shared(BerthConfig.Sessions settings, SessionDataStoreFactory store, BackingService service,
                                        BackingServices backing) {
        backing.add(service);
        AbstractSessionCacheFactory cache = OneCopySessionCache.factory();
        cache.setRemoveUnloadableSessions(true);
        return new SessionStores(settings, cache, manager -> {
            SessionDataStore data = store.getSessionDataStore(manager);
            if (data instanceof AbstractSessionDataStore periodic) {
                periodic.setSavePeriodSec(savePeriod(settings, manager.getMaxInactiveInterval()));
            }
            return data;
        }, Optional.of(service));
    }

    /**
     * A changed session is written when the response commits, before the client can ask another instance. A
     * session only read is written when the request ends, possibly after the client's next request reached
     * another instance and changed it: that write would undo the change. So unchanged sessions are written
     * only every save period, which is short enough (a quarter of the timeout) to keep their expiry current.
     */
    static int savePeriod(BerthConfig.Sessions settings, int warTimeoutSeconds) {
        long timeout = settings.timeout().map(Duration::toSeconds).orElse((long) warTimeoutSeconds);
        long period = settings.savePeriod().toSeconds();
        return (int) Math.min(Integer.MAX_VALUE, timeout > 0 ? Math.min(period, Math.max(1, timeout / 4)) : period);
    }

    /**
     * Makes the store the server's, for every context it starts from now on; a remote store's calls are told to
     * {@code observer}.
     */
    public void install(Server server, Observer observer) {
        if (store != null) {
            server.addBean(cache);
            server.addBean(remote.isEmpty() ? store
                    : (SessionDataStoreFactory) manager -> new GuardedSessionDataStore(store.getSessionDataStore(manager), remote.get(), observer));
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
