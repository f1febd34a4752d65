package dev.berth.sessions;

import org.eclipse.jetty.session.AbstractSessionDataStoreFactory;
import org.eclipse.jetty.session.SessionDataStore;
import org.eclipse.jetty.session.SessionManager;

import java.net.URI;

/** Placeholder replaced by the Redis store. */
final class RedisSessionDataStoreFactory extends AbstractSessionDataStoreFactory implements AutoCloseable {
    RedisSessionDataStoreFactory(URI url, int poolSize) {
    }

    void ping() {
        throw new UnsupportedOperationException();
    }

    @Override
    public SessionDataStore getSessionDataStore(SessionManager manager) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close() {
    }
}
