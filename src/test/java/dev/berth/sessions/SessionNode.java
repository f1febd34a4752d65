package dev.berth.sessions;

import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.Session;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.session.DefaultSessionCache;
import org.eclipse.jetty.session.DefaultSessionIdManager;
import org.eclipse.jetty.session.SessionCache;
import org.eclipse.jetty.session.SessionData;
import org.eclipse.jetty.session.SessionHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.LifeCycle;

import java.util.concurrent.TimeUnit;

/**
 * One Berth instance as far as sessions go: a started Jetty {@link Server} on a loopback port with one
 * context whose session handler keeps its sessions in Redis through a store made by the given factory, as
 * Jetty wires a store. Tests use the store directly (it has its real {@code SessionContext}: canonical path,
 * virtual host, worker name, and the context's class loader around loads and saves) or send requests to a
 * handler that counts them in the session and answers {@code worker:count}.
 *
 * <p>The cache forgets a session when its last request ends ({@code EVICT_ON_SESSION_EXIT}), so each request
 * reads the session from Redis: with Jetty's default (never evict), an instance keeps serving its own copy and
 * misses what the other instance saved. A changed session is written when the response commits.
 */
final class SessionNode implements AutoCloseable {

    static final String COUNT = "count";

    private final Server server;
    private final SessionCache cache;
    private final RedisSessionDataStore store;
    private final String workerName;

    private SessionNode(Server server, SessionCache cache, String workerName) {
        this.server = server;
        this.cache = cache;
        this.store = (RedisSessionDataStore) cache.getSessionDataStore();
        this.workerName = workerName;
    }

    static SessionNode start(RedisSessionDataStoreFactory factory, String contextPath, String workerName,
                             ClassLoader webappLoader) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        DefaultSessionIdManager ids = new DefaultSessionIdManager(server);
        ids.setWorkerName(workerName);
        server.addBean(ids);
        SessionHandler sessions = new SessionHandler();
        sessions.setSessionIdManager(ids);
        DefaultSessionCache cache = new DefaultSessionCache(sessions);
        cache.setEvictionPolicy(SessionCache.EVICT_ON_SESSION_EXIT);
        // written before the response goes out, as Berth's stores are: else the client's next request may reach
        // the other instance before the write, which then counts from a stale session
        cache.setFlushOnResponseCommit(true);
        cache.setSessionDataStore(factory.getSessionDataStore(sessions));
        sessions.setSessionCache(cache);
        sessions.setHandler(new Counter(workerName));
        ContextHandler context = new ContextHandler(sessions, contextPath);
        context.setClassLoader(webappLoader);
        server.setHandler(context);
        server.start();
        return new SessionNode(server, cache, workerName);
    }

    RedisSessionDataStore store() {
        return store;
    }

    /** The session cache in front of the store, as the session handler uses it. */
    SessionCache cache() {
        return cache;
    }

    int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    /** A new session of this context, as the session manager makes one: never saved, last used here. */
    SessionData newSession(String id, long maxInactiveMs) {
        long now = System.currentTimeMillis();
        SessionData data = store.newSessionData(id, now - TimeUnit.MINUTES.toMillis(1), now, now - 1000, maxInactiveMs);
        data.setCookieSet(now - 500);
        data.setLastNode(workerName);
        data.calcAndSetExpiry(now);
        return data;
    }

    @Override
    public void close() {
        LifeCycle.stop(server);
    }

    /** Counts requests in the session and answers {@code worker:count}. */
    private static final class Counter extends Handler.Abstract {

        private final String workerName;

        Counter(String workerName) {
            this.workerName = workerName;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            Session session = request.getSession(true);
            Integer count = (Integer) session.getAttribute(COUNT);
            int next = count == null ? 1 : count + 1;
            session.setAttribute(COUNT, next);
            Content.Sink.write(response, true, workerName + ":" + next, callback);
            return true;
        }
    }
}
