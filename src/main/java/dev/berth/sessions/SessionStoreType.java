package dev.berth.sessions;

import dev.berth.backing.BackingServices;
import dev.berth.config.BerthConfig;

/**
 * How one kind of {@code berth.sessions.store} is made from its settings, which its {@link BerthConfig.SessionStore}
 * constant has already checked. A new store is a constant there and a type here; the switch below does not compile
 * without it.
 */
interface SessionStoreType {

    /** The store; a remote one's pool and readiness check go to {@code backing}, which closes them. */
    SessionStores create(BerthConfig.Sessions settings, BackingServices backing);

    static SessionStoreType of(BerthConfig.SessionStore store) {
        return switch (store) {
            case MEMORY -> (settings, backing) -> SessionStores.inMemory(settings);
            case FILE -> new FileSessionStore();
            case JDBC -> new JdbcSessionStore();
            case REDIS -> new RedisSessionStore();
        };
    }
}
