package dev.berth.sessions;

import dev.berth.backing.BackingServices;
import dev.berth.config.BerthConfig;

import org.eclipse.jetty.session.DefaultSessionCacheFactory;
import org.eclipse.jetty.session.SessionDataStoreFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;

/**
 * {@code file}: Jetty's file store, written atomically ({@link AtomicFileSessionDataStore}), behind its default cache:
 * sessions survive a restart, or a kill, of this instance.
 */
final class FileSessionStore implements SessionStoreType {

    private static final Logger LOG = LoggerFactory.getLogger(FileSessionStore.class);

    @Override
    public SessionStores create(BerthConfig.Sessions settings, BackingServices backing) {
        File dir = new File(settings.file().dir().orElseThrow());
        int savePeriod = SessionStores.savePeriod(settings, 0);
        SessionDataStoreFactory files = manager -> {
            AtomicFileSessionDataStore store = new AtomicFileSessionDataStore();
            store.setStoreDir(dir);
            store.setSavePeriodSec(savePeriod);
            return store;
        };
        DefaultSessionCacheFactory cache = new DefaultSessionCacheFactory();
        cache.setFlushOnResponseCommit(true);
        LOG.info("Sessions are kept in files under {}", dir.getAbsolutePath());
        return SessionStores.local(settings, cache, files);
    }
}
