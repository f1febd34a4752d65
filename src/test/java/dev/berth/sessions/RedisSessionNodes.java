package dev.berth.sessions;

import dev.berth.testing.RedisServer;
import org.eclipse.jetty.session.SessionData;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import redis.clients.jedis.RedisClient;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each test of the Redis session store starts on an empty Redis and gets "instances": started Jetty servers
 * ({@link SessionNode}), each with its own factory and so its own connection pool, as two Berth instances behind a
 * load balancer would be. What a test opens through this is closed after it, newest first, and {@link #raw()}
 * looks at Redis directly.
 *
 * <pre>{@code
 * @Started
 * private static RedisServer redis;
 *
 * @RegisterExtension
 * final RedisSessionNodes nodes = new RedisSessionNodes(() -> redis);
 * }</pre>
 */
final class RedisSessionNodes implements BeforeEachCallback, AfterEachCallback {

    /** The grace period of the nodes' stores: a session's key outlives the session by three of them. */
    static final int GRACE_SEC = 60;
    static final String SHOP = "/shop";

    private final Supplier<RedisServer> redis;
    private final Deque<AutoCloseable> opened = new ArrayDeque<>();
    private RedisClient raw;

    /** {@code redis} is asked for the class's server when each test begins, once it has been started. */
    RedisSessionNodes(Supplier<RedisServer> redis) {
        this.redis = redis;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        raw = opened(RedisClient.create(URI.create(redis.get().url())));
        raw.flushAll();
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        while (!opened.isEmpty()) {
            opened.pop().close();
        }
    }

    /** A client of the test's own on the Redis the nodes use, emptied before the test. */
    RedisClient raw() {
        return raw;
    }

    /** An instance serving {@code contextPath}, with a store of {@link #GRACE_SEC}, loading with the test's class loader. */
    SessionNode node(String contextPath, String worker) throws Exception {
        return node(factory(GRACE_SEC), contextPath, worker, getClass().getClassLoader());
    }

    SessionNode node(RedisSessionDataStoreFactory factory, String contextPath, String worker, ClassLoader loader) throws Exception {
        return opened(SessionNode.start(factory, contextPath, worker, loader));
    }

    /** A factory for the Redis of the class, its stores keeping an expired session's key {@code graceSec} times three. */
    RedisSessionDataStoreFactory factory(int graceSec) {
        RedisSessionDataStoreFactory factory = opened(new RedisSessionDataStoreFactory(URI.create(redis.get().url())));
        factory.setGracePeriodSec(graceSec);
        return factory;
    }

    /** {@code closeable}, to be closed after the test. */
    <T extends AutoCloseable> T opened(T closeable) {
        opened.push(closeable);
        return closeable;
    }

    /** The key of a session of {@link #SHOP} on the root virtual host. */
    static String key(String id) {
        return key("_shop", id);
    }

    /** The key of a session of the root virtual host, by canonical ({@code _shop}) or plain ({@code /shop}) path. */
    static String key(String contextPath, String id) {
        return "berth:session:" + contextPath.replace('/', '_') + "_0.0.0.0:" + id;
    }

    /** Every time, the expiry, the ids and the version of {@code loaded} are those of {@code saved}. */
    static void assertSameMetadata(SessionData loaded, SessionData saved) {
        assertThat(loaded.getId()).isEqualTo(saved.getId());
        assertThat(loaded.getContextPath()).isEqualTo(saved.getContextPath());
        assertThat(loaded.getVhost()).isEqualTo(saved.getVhost());
        assertThat(loaded.getCreated()).isEqualTo(saved.getCreated());
        assertThat(loaded.getAccessed()).isEqualTo(saved.getAccessed());
        assertThat(loaded.getLastAccessed()).isEqualTo(saved.getLastAccessed());
        assertThat(loaded.getCookieSet()).isEqualTo(saved.getCookieSet());
        assertThat(loaded.getMaxInactiveMs()).isEqualTo(saved.getMaxInactiveMs());
        assertThat(loaded.getExpiry()).isEqualTo(saved.getExpiry());
        assertThat(loaded.getLastSaved()).isEqualTo(saved.getLastSaved()).isPositive();
    }
}
