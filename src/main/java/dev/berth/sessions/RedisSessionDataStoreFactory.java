package dev.berth.sessions;

import dev.berth.config.BerthConfig;
import dev.berth.config.RedisUrl;

import org.eclipse.jetty.session.AbstractSessionDataStoreFactory;
import org.eclipse.jetty.session.SessionDataStore;
import org.eclipse.jetty.session.SessionManager;

import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

/**
 * Makes {@link RedisSessionDataStore}s that share one pool of connections to one Redis (or Valkey) server,
 * given as {@code redis://[[user]:password@]host[:port][/database]} or {@code rediss://} for TLS.
 * Nothing connects until the first use, so a factory can be made while Redis is down; {@link #ping()} tells
 * whether it answers. {@link #close()} closes the pool; the stores made by this factory fail after that.
 */
final class RedisSessionDataStoreFactory extends AbstractSessionDataStoreFactory implements AutoCloseable {

    public static final String DEFAULT_KEY_PREFIX = "berth:session:";
    /** Connect and read timeout: short, so a dead server fails a request quickly instead of holding its thread. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    private static final long PROBE_TTL_MILLIS = 10_000;

    private final RedisUrl endpoint;
    private final String keyPrefix;
    private final RedisClient redis;
    /** Outside the sessions' prefix, so no scan of sessions ever meets it; one per instance. */
    private final String probeKey = "berth:probe:" + UUID.randomUUID();
    private volatile boolean policyChecked;

    /** With Berth's defaults: the sessions' key prefix, berth.sessions.redis.pool-size's default, 2 s timeouts. */
    public RedisSessionDataStoreFactory(URI url) {
        this(url, DEFAULT_KEY_PREFIX, Integer.parseInt(BerthConfig.Sessions.Redis.DEFAULT_POOL_SIZE), DEFAULT_TIMEOUT, DEFAULT_TIMEOUT);
    }

    /**
     * @param keyPrefix      starts every key, so that several deployments can share one database
     * @param poolSize       connections at most; also how many requests can talk to Redis at once
     * @param connectTimeout how long to wait for a connection, and for a free one when all are busy
     * @param socketTimeout  how long to wait for an answer
     */
    public RedisSessionDataStoreFactory(URI url, String keyPrefix, int poolSize, Duration connectTimeout,
                                        Duration socketTimeout) {
        if (poolSize < 1) {
            throw new IllegalArgumentException("Redis pool size must be at least 1, not " + poolSize);
        }
        requirePositive("connect timeout", connectTimeout);
        requirePositive("socket timeout", socketTimeout);
        this.endpoint = RedisUrl.parse(url);
        this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
        this.redis = RedisClient.builder()
            .hostAndPort(new HostAndPort(endpoint.host(), endpoint.port()))
            .clientConfig(clientConfig(endpoint, connectTimeout, socketTimeout))
            .poolConfig(poolConfig(poolSize, connectTimeout))
            .build();
    }

    @Override
    public SessionDataStore getSessionDataStore(SessionManager manager) {
        RedisSessionDataStore store = new RedisSessionDataStore(redis, keyPrefix);
        store.setGracePeriodSec(getGracePeriodSec());
        store.setSavePeriodSec(getSavePeriodSec());
        return store;
    }

    /** Asks Redis for PONG; throws, naming the server with its password masked, if it does not answer. */
    public void ping() {
        String reply;
        try {
            reply = RedisSessionDataStore.retriedOnce(redis::ping);
        } catch (JedisException e) {
            throw new IllegalStateException("Redis at " + endpoint + " does not answer: " + e.getMessage(), e);
        }
        if (!"PONG".equals(reply)) {
            throw new IllegalStateException("Redis at " + endpoint + " answered PING with " + reply);
        }
    }

    /**
     * The readiness probe: a small write that expires by itself ({@code SET ... PX}), not a PING. A full Redis
     * ({@code maxmemory} with {@code noeviction}) answers PING and reads but refuses every write: only a write
     * tells whether sessions can be saved. The first time it goes through, a memory policy that may evict
     * sessions is warned about.
     */
    public void probe() {
        String reply;
        try {
            reply = RedisSessionDataStore.retriedOnce(() -> redis.set(probeKey, "1", SetParams.setParams().px(PROBE_TTL_MILLIS)));
        } catch (JedisException e) {
            throw new IllegalStateException("Redis at " + endpoint + " does not take a write: " + e.getMessage(), e);
        }
        if (!"OK".equals(reply)) {
            throw new IllegalStateException("Redis at " + endpoint + " answered a write with " + reply);
        }
        if (!policyChecked) {
            policyChecked = true;
            EvictionPolicy.warnIfItMayEvictSessions(redis, endpoint.toString());
        }
    }

    /** The server's URL with the password masked, for logs and messages. */
    public String maskedUrl() {
        return endpoint.toString();
    }

    /** Closes the connections. Idempotent. */
    @Override
    public void close() {
        redis.close();
    }

    /**
     * RESP2 with AUTH rather than Jedis' default HELLO negotiation, which on a server that is slow to answer
     * tries again on a second connection and so doubles the time a dead server takes to fail. CLIENT SETINFO is
     * off: one round trip less per new connection, and servers before Redis 7.2 do not know it.
     */
    private static JedisClientConfig clientConfig(RedisUrl url, Duration connectTimeout, Duration socketTimeout) {
        return DefaultJedisClientConfig.builder()
            .user(url.user())
            .password(url.password())
            .database(url.database())
            .ssl(url.tls())
            .connectionTimeoutMillis(Math.toIntExact(connectTimeout.toMillis()))
            .socketTimeoutMillis(Math.toIntExact(socketTimeout.toMillis()))
            .clientName("berth")
            .resp2()
            .clientSetInfoConfig(ClientSetInfoConfig.DISABLED)
            .build();
    }

    @Override
    public String toString() {
        return "RedisSessionDataStoreFactory[" + endpoint + ", keys=" + keyPrefix + "*]";
    }

    /** A zero timeout would mean waiting forever on a dead server. */
    private static void requirePositive(String what, Duration timeout) {
        if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Redis " + what + " must be between 1 ms and 24 days, not " + timeout);
        }
    }

    /**
     * No connection is checked when borrowed (a PING per borrow would double the round trips): after Redis restarts
     * (a platform's maintenance) pooled connections are dead, and the store sends a command that met a closed
     * connection once more on a fresh one ({@code RedisSessionDataStore.retriedOnce}).
     */
    private static ConnectionPoolConfig poolConfig(int size, Duration maxWait) {
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(size);
        pool.setMaxIdle(size);
        pool.setMinIdle(0);
        pool.setMaxWait(maxWait);
        pool.setTestOnBorrow(false);
        pool.setJmxEnabled(false);
        return pool;
    }
}
