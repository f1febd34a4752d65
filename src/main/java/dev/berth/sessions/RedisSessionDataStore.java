package dev.berth.sessions;

import org.eclipse.jetty.session.AbstractSessionDataStore;
import org.eclipse.jetty.session.SessionContext;
import org.eclipse.jetty.session.SessionData;
import org.eclipse.jetty.session.UnreadableSessionDataException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.util.SafeEncoder;

import java.io.IOException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Keeps a context's sessions in Redis (or Valkey), one key per session, so that several Berth instances behind
 * a load balancer share them. The value is a {@link SessionRecord}.
 *
 * <p>Writes follow Jetty's JDBC store: the last write wins, a session never saved before is written whatever is
 * there ({@code SET}), and a later save only replaces a key that still exists ({@code SET XX}), so a save from one
 * instance does not bring back a session that another instance has just invalidated.
 *
 * <p>Each key expires in Redis ({@code PXAT}) three grace periods after the session does. Jetty's scavenger looks
 * for sessions that no instance holds once per grace period, for those that expired at least one grace period
 * before, so a running instance finds an expired session within about two grace periods (plus its scavenge
 * interval), loads it and invalidates it, which runs the application's session listeners. After that nobody would
 * look at the key, and Redis drops it: that is the orphan clean-up, and {@link #doCleanOrphans} only sweeps records
 * that lost their TTL. Sessions that never expire have no TTL.
 *
 * <p>Every failure of Redis surfaces as an exception from the method that met it; nothing is retried here.
 */
final class RedisSessionDataStore extends AbstractSessionDataStore {

    /** Grace periods a key outlives its session: see the class comment. */
    static final int GRACE_PERIODS_KEPT = 3;

    private static final Logger LOG = LoggerFactory.getLogger(RedisSessionDataStore.class);

    private final UnifiedJedis redis;
    private final String keyPrefix;
    private final Expiries expiries;
    private SessionKeys keys;

    RedisSessionDataStore(UnifiedJedis redis, String keyPrefix) {
        this.redis = redis;
        this.keyPrefix = keyPrefix;
        this.expiries = new Expiries(redis);
    }

    @Override
    public void initialize(SessionContext context) throws Exception {
        super.initialize(context);
        keys = new SessionKeys(keyPrefix, context);
    }

    @Override
    public boolean isPassivating() {
        return true;
    }

    /**
     * Every command here is idempotent (GET, GETRANGE, DEL, and a SET of the same bytes with an absolute
     * expiry), so one that met a connection the server closed (it restarted, or dropped an idle client) is
     * sent once more on a fresh one. This replaces a PING on every borrow, which cost two round trips a request.
     */
    static <T> T retriedOnce(Supplier<T> command) {
        try {
            return command.get();
        } catch (JedisConnectionException stale) {
            return command.get();
        }
    }

    @Override
    public SessionData doLoad(String id) throws Exception {
        byte[] record = retriedOnce(() -> redis.get(SafeEncoder.encode(keys.key(id))));
        if (record == null) {
            return null;
        }
        try {
            return SessionRecord.decode(record, id, this);
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            throw new UnreadableSessionDataException(id, _context, e);
        }
    }

    @Override
    public void doStore(String id, SessionData data, long lastSaveTime) throws Exception {
        SetParams params = new SetParams();
        long removeAt = removalTime(data);
        if (removeAt > 0) {
            params.pxAt(removeAt);
        }
        if (lastSaveTime > 0) {
            params.xx();
        }
        byte[] record = SessionRecord.encode(data);
        String reply = retriedOnce(() -> redis.set(SafeEncoder.encode(keys.key(id)), record, params));
        if (reply == null && LOG.isDebugEnabled()) {
            LOG.debug("Session {} not saved: it was deleted meanwhile, by another instance or by its TTL", id);
        }
    }

    @Override
    public boolean delete(String id) {
        return retriedOnce(() -> redis.del(keys.key(id))) > 0;
    }

    @Override
    public boolean doExists(String id) {
        byte[] head = retriedOnce(() -> redis.getrange(SafeEncoder.encode(keys.key(id)), 0, SessionRecord.HEAD - 1));
        return SessionRecord.expiry(head)
            .stream()
            .anyMatch(expiry -> expiry <= 0 || expiry > System.currentTimeMillis());
    }

    /**
     * A candidate (a session this instance's cache thinks has expired) is expired when its key is gone or its
     * stored expiry has passed; otherwise another instance has kept it alive meanwhile.
     */
    @Override
    public Set<String> doCheckExpired(Set<String> candidates, long time) {
        Map<String, Long> stored = expiries.of(candidates.stream().map(keys::key).toList());
        Set<String> expired = new HashSet<>();
        for (String id : candidates) {
            Long expiry = stored.get(keys.key(id));
            if (expiry == null || isExpired(expiry, time)) {
                expired.add(id);
            }
        }
        return expired;
    }

    @Override
    public Set<String> doGetExpired(long before) {
        Set<String> expired = new HashSet<>();
        expiries.scan(keys.contextPattern(), page -> page.forEach((key, expiry) -> {
            if (isExpired(expiry, before)) {
                expired.add(keys.idOf(key));
            }
        }));
        return expired;
    }

    /**
     * Deletes the sessions of any context that expired at or before the time but are still in Redis. With TTLs,
     * only records that lost theirs remain (written by other tools, or copied without TTL); records this store
     * does not recognise are left alone.
     */
    @Override
    public void doCleanOrphans(long time) {
        expiries.scan(keys.allPattern(), page -> {
            String[] orphans = page.entrySet().stream()
                .filter(entry -> isExpired(entry.getValue(), time))
                .map(Map.Entry::getKey)
                .toArray(String[]::new);
            if (orphans.length > 0) {
                LOG.debug("Deleting {} orphaned sessions", orphans.length);
                redis.del(orphans);
            }
        });
    }

    /** When Redis may drop the key: grace periods after the session's expiry; 0 for a session that never expires. */
    private long removalTime(SessionData data) {
        if (data.getExpiry() <= 0) {
            return 0;
        }
        return data.getExpiry() + TimeUnit.SECONDS.toMillis((long) GRACE_PERIODS_KEPT * getGracePeriodSec());
    }

    @Override
    public String toString() {
        return String.format("%s[keys=%s]", super.toString(), keys == null ? keyPrefix : keys.contextPattern());
    }

    private static boolean isExpired(long expiry, long time) {
        return expiry > 0 && expiry <= time;
    }
}
