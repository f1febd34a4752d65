package dev.berth.sessions;

import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.util.SafeEncoder;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads the expiry of many sessions without their attributes: SCAN for the keys, then one pipeline of
 * {@code GETRANGE key 0 8} per page, so a scan costs two round trips per page of keys.
 */
final class Expiries {

    private static final int PAGE = 500;

    private final UnifiedJedis redis;

    Expiries(UnifiedJedis redis) {
        this.redis = redis;
    }

    /** The expiry of each of these keys that holds a session; keys that are gone are left out. */
    Map<String, Long> of(Collection<String> keys) {
        if (keys.isEmpty()) {
            return Map.of();
        }
        Map<String, Response<byte[]>> heads = new LinkedHashMap<>();
        try (AbstractPipeline pipeline = redis.pipelined()) {
            for (String key : keys) {
                heads.put(key, pipeline.getrange(SafeEncoder.encode(key), 0, SessionRecord.HEAD - 1));
            }
            pipeline.sync();
        }
        Map<String, Long> expiries = new HashMap<>();
        heads.forEach((key, head) -> SessionRecord.expiry(headOf(head)).ifPresent(expiry -> expiries.put(key, expiry)));
        return expiries;
    }

    /**
     * The head, or null for a key of another type: not a session, and no reason to fail a whole scan. Any other
     * error (LOADING while Redis restarts, say) is thrown: read as "gone", it would expire live sessions.
     */
    private static byte[] headOf(Response<byte[]> head) {
        try {
            return head.get();
        } catch (JedisDataException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("WRONGTYPE")) {
                return null;
            }
            throw e;
        }
    }

    /** Hands over the expiries of the sessions whose keys match the pattern, a page at a time. */
    void scan(String pattern, Consumer<Map<String, Long>> page) {
        ScanParams params = new ScanParams().match(pattern).count(PAGE);
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> keys = redis.scan(cursor, params);
            page.accept(of(keys.getResult()));
            cursor = keys.getCursor();
        } while (!ScanParams.SCAN_POINTER_START.equals(cursor));
    }
}
