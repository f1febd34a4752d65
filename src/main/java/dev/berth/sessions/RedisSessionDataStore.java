package dev.berth.sessions;

import org.eclipse.jetty.session.AbstractSessionDataStore;
import org.eclipse.jetty.session.SessionContext;
import org.eclipse.jetty.session.SessionData;
import org.eclipse.jetty.session.UnreadableSessionDataException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.util.SafeEncoder;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Keeps a context's sessions in Redis (or Valkey), one key per session, so that several Berth instances behind
 * a load balancer share them. The value is a {@link SessionRecord}.
 *
 * <p>Every save is a compare-and-set, run by Redis as one script ({@link #SAVE}): it replaces the record only if
 * the record still has the version this instance read (a new session: only if there is none), so a save from a
 * copy that another request has meanwhile changed, or that another instance has invalidated, is refused with a
 * {@link SessionConflict} instead of undoing that change. Each save also carries a random write id, so a save
 * sent again after its reply was lost finds its own record and counts as done, and a late original that Redis
 * runs after a newer save finds the version moved on and changes nothing.
 *
 * <p>Each key expires in Redis ({@code PXAT}) three grace periods after the session does. Jetty's scavenger looks
 * for sessions that no instance holds once per grace period, for those that expired at least one grace period
 * before, so a running instance finds an expired session within about two grace periods (plus its scavenge
 * interval), loads it and invalidates it, which runs the application's session listeners. After that nobody would
 * look at the key, and Redis drops it: that is the orphan clean-up, and {@link #doCleanOrphans} only sweeps records
 * that lost their TTL. Sessions that never expire have no TTL.
 *
 * <p>The commands a request sends (GET, GETRANGE, the save and delete scripts) are sent once more when they met a
 * connection the server had closed ({@link #retriedOnce}); the scavenger's SCAN and the orphan sweep's DEL are not
 * (they run again at the next scavenge). Any other failure surfaces as an exception from the method that met it.
 */
final class RedisSessionDataStore extends AbstractSessionDataStore {

    /** Grace periods a key outlives its session: see the class comment. */
    static final int GRACE_PERIODS_KEPT = 3;

    private static final Logger LOG = LoggerFactory.getLogger(RedisSessionDataStore.class);

    /**
     * KEYS[1] the session's key; ARGV[1] the version the save replaces (empty for a new session), ARGV[2] the
     * record, ARGV[3] when Redis may drop it (ms since the epoch, 0 for never). Answers 1 when saved, 2 when this
     * very record (version and write id) is there already, 0 when the record there is another version, -1 when
     * the session is gone.
     */
    static final byte[] SAVE = SafeEncoder.encode(String.join("\n",
            "local head = redis.call('GETRANGE', KEYS[1], 0, 56)",
            "local record = ARGV[2]",
            "if string.byte(head, 1) == 2 and string.sub(head, 10, 25) == string.sub(record, 10, 25) then return 2 end",
            "if string.byte(head, 1) == 0 then return -1 end",
            "if ARGV[1] == '' then",
            "  if head ~= '' then return 0 end",
            "else",
            "  if head == '' then return -1 end",
            "  local format = string.byte(head, 1)",
            "  local version = (format == 2 and string.sub(head, 10, 17)) or (format == 1 and string.sub(head, 50, 57)) or ''",
            "  if version ~= ARGV[1] then return 0 end",
            "end",
            "if ARGV[3] == '0' then redis.call('SET', KEYS[1], record) else redis.call('SET', KEYS[1], record, 'PXAT', ARGV[3]) end",
            "return 1"));
    private static final byte[] NEW_SESSION = new byte[0];

    /**
     * KEYS[1] the session's key; ARGV[1] how long the tombstone lasts (ms). Replaces a record with a tombstone
     * (one byte, {@link SessionRecord#TOMBSTONE}), so that a save of the session that arrives late (sent before
     * the delete, held in the network past the read timeout) finds it gone instead of bringing it back. A Redis
     * too full for the tombstone still deletes the key. Answers 1 when there was a record, 0 otherwise.
     */
    static final byte[] DELETE = SafeEncoder.encode(String.join("\n",
            "local head = redis.call('GETRANGE', KEYS[1], 0, 0)",
            "if head == '' or string.byte(head, 1) == 0 then return 0 end",
            "local tomb = redis.pcall('SET', KEYS[1], string.char(0), 'PX', ARGV[1])",
            "if type(tomb) == 'table' and tomb.err then redis.call('DEL', KEYS[1]) end",
            "return 1"));
    /** Longer than a save can be held in the network and still land: TCP gives up on a connection long before. */
    static final Duration TOMBSTONE = Duration.ofMinutes(5);

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
     * Every command sent through here may be sent twice: GET, GETRANGE and the delete script are idempotent, and a
     * save sent again finds its own write id. So one that met a connection the server closed (it restarted, or dropped an idle
     * client), or whose reply did not come in time, is sent once more on a fresh one. This replaces a PING on
     * every borrow, which cost two round trips a request.
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
        if (record == null || SessionRecord.isTombstone(record)) {
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
        SessionConflict.advance(data, lastSaveTime);
        byte[] record = SessionRecord.encode(data, ThreadLocalRandom.current().nextLong());
        byte[] replacing = lastSaveTime > 0 ? ByteBuffer.allocate(Long.BYTES).putLong(lastSaveTime).array() : NEW_SESSION;
        byte[] removeAt = SafeEncoder.encode(Long.toString(removalTime(data)));
        byte[] key = SafeEncoder.encode(keys.key(id));
        Object reply = retriedOnce(() -> redis.eval(SAVE, List.of(key), List.of(replacing, record, removeAt)));
        long outcome = reply instanceof Long number ? number : 0;
        if (outcome == 0) {
            throw new SessionConflict(lastSaveTime > 0 ? "another request saved it since this copy was read"
                    : "another request created a session with its id");
        }
        if (outcome < 0) {
            throw new SessionConflict("it was removed (invalidated, or expired) since this copy was read");
        }
    }

    @Override
    public boolean delete(String id) {
        byte[] key = SafeEncoder.encode(keys.key(id));
        byte[] lasts = SafeEncoder.encode(Long.toString(TOMBSTONE.toMillis()));
        return Long.valueOf(1).equals(retriedOnce(() -> redis.eval(DELETE, List.of(key), List.of(lasts))));
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
