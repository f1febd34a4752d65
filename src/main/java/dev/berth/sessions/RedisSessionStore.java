package dev.berth.sessions;

import dev.berth.backing.BackingService;
import dev.berth.backing.BackingServices;
import dev.berth.config.BerthConfig;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;

/** {@code redis}: Berth's store on Jedis ({@link RedisSessionDataStore}), for Redis and Valkey. */
final class RedisSessionStore implements SessionStoreType {

    private static final Logger LOG = LoggerFactory.getLogger(RedisSessionStore.class);

    @Override
    public SessionStores create(BerthConfig.Sessions settings, BackingServices backing) {
        URI url = URI.create(settings.redis().url().orElseThrow().strip());
        RedisSessionDataStoreFactory store = backing.own(new RedisSessionDataStoreFactory(url, RedisSessionDataStoreFactory.DEFAULT_KEY_PREFIX,
                settings.redis().poolSize(), RedisSessionDataStoreFactory.DEFAULT_TIMEOUT, RedisSessionDataStoreFactory.DEFAULT_TIMEOUT));
        BackingService service = new BackingService("sessions-redis", store::probe);
        LOG.info("Sessions are kept in Redis at {} (at most {} connections)", store.maskedUrl(), settings.redis().poolSize());
        return SessionStores.shared(settings, store, service, backing);
    }
}
