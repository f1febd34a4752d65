package dev.berth.sessions;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

import java.util.Optional;

/**
 * Redis's {@code maxmemory-policy}, read once when the store first answers. Under {@code allkeys-*} Redis may
 * drop any key when memory runs out, and under {@code volatile-*} any key with an expiry, which every session
 * key has: users are then logged out without a word. Managed services may refuse {@code CONFIG}; {@code INFO
 * memory} says the same, and where neither answers nothing is said.
 */
final class EvictionPolicy {

    private static final Logger LOG = LoggerFactory.getLogger(EvictionPolicy.class);
    private static final String NAME = "maxmemory-policy";

    private EvictionPolicy() {
    }

    static void warnIfItMayEvictSessions(UnifiedJedis redis, String where) {
        read(redis, where).filter(EvictionPolicy::mayEvictSessions).ifPresent(policy -> LOG.warn(
                "Redis at {} runs with maxmemory-policy {}: when its memory is full it may delete sessions and log users out; "
                        + "set maxmemory-policy noeviction (a full Redis then refuses writes, and Berth reports it DOWN)", where, policy));
    }

    static boolean mayEvictSessions(String policy) {
        return policy.startsWith("allkeys-") || policy.startsWith("volatile-");
    }

    private static Optional<String> read(UnifiedJedis redis, String where) {
        try {
            return Optional.ofNullable(redis.configGet(NAME).get(NAME));
        } catch (JedisException refused) {
            try {
                return redis.info("memory").lines().filter(line -> line.startsWith("maxmemory_policy:"))
                        .map(line -> line.substring("maxmemory_policy:".length()).strip()).findFirst();
            } catch (JedisException alsoRefused) {
                LOG.debug("Redis at {} tells neither CONFIG nor INFO memory: {}", where, alsoRefused.toString());
                return Optional.empty();
            }
        }
    }
}
