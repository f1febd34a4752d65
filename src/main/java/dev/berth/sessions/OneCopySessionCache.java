package dev.berth.sessions;

import org.eclipse.jetty.server.Session;
import org.eclipse.jetty.session.AbstractSessionCacheFactory;
import org.eclipse.jetty.session.DefaultSessionCache;
import org.eclipse.jetty.session.ManagedSession;
import org.eclipse.jetty.session.SessionCache;
import org.eclipse.jetty.session.SessionData;
import org.eclipse.jetty.session.SessionManager;
import org.eclipse.jetty.util.thread.AutoLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The sessions of a shared store as this instance holds them: one copy of a session while any request uses
 * it, so requests that overlap on one instance see and change the same object, as with the memory store; none
 * once the last has left (it is read from the store again by the next request, which may come after another
 * instance changed it).
 *
 * <p>A copy in use can fall behind: the client's next request went to another instance, which saved a change,
 * and the one after came back here while the first request was still finishing. So a request that joins a copy
 * another request holds reads the store's version first, and when that has moved on, the copy is superseded:
 * the request gets the store's, and the requests still in the old one can no longer save it (their save would
 * fail its version check in the store anyway). A copy whose save was answered 503 is superseded too: the
 * change the client was told was not stored must not be written by a request that shares it, nor read by the next.
 */
final class OneCopySessionCache extends DefaultSessionCache {

    private static final Logger LOG = LoggerFactory.getLogger(OneCopySessionCache.class);

    private final ConcurrentMap<String, ManagedSession> copies;
    private final Set<ManagedSession> superseded = ConcurrentHashMap.newKeySet();
    /** Copies whose id a request renewed, with the old id, whose record goes once the new one is stored. */
    private final Map<ManagedSession, String> renamed = new ConcurrentHashMap<>();

    OneCopySessionCache(SessionManager manager) {
        this(manager, new ConcurrentHashMap<>());
    }

    private OneCopySessionCache(SessionManager manager, ConcurrentMap<String, ManagedSession> copies) {
        super(manager, copies);
        this.copies = copies;
    }

    /**
     * Makes these caches with what they are built on: a copy leaves the cache with its last request
     * ({@code EVICT_ON_SESSION_EXIT}), and a changed session is saved as its response commits. (Jetty's factory
     * sets both on each cache it makes, over anything a constructor set.)
     */
    static AbstractSessionCacheFactory factory() {
        AbstractSessionCacheFactory factory = new AbstractSessionCacheFactory() {
            @Override
            public SessionCache newSessionCache(SessionManager manager) {
                return new OneCopySessionCache(manager);
            }
        };
        factory.setEvictionPolicy(EVICT_ON_SESSION_EXIT);
        factory.setFlushOnResponseCommit(true);
        return factory;
    }

    @Override
    protected ManagedSession getAndEnter(String id, boolean enter) throws Exception {
        ManagedSession session = super.getAndEnter(id, enter);
        if (session == null || !enter || !joinedAnother(session)) {
            return session;
        }
        SessionData stored;
        try {
            stored = isSuperseded(session) ? null : getSessionDataStore().load(id);
        } catch (Exception e) {
            try {
                release(session);
            } catch (Exception alsoFailed) {
                e.addSuppressed(alsoFailed);
            }
            throw e;
        }
        if (!isSuperseded(session) && isCurrent(session, stored)) {
            return session;
        }
        LOG.debug("Session {}: the copy in use is behind the store's (version {}); this request reads the store's", id,
                stored == null ? "none" : stored.getLastSaved());
        supersede(session);
        leave(session);
        return super.getAndEnter(id, true);
    }

    /**
     * Whether the copy is as new as the store's record: versions only grow, so a copy that saved since the store
     * was read is ahead of it, not behind. A copy never saved (a session made by a request still running, whose
     * id that request renews, say) has no record yet and is current.
     */
    private static boolean isCurrent(ManagedSession session, SessionData stored) {
        try (AutoLock ignored = session.lock()) {
            long version = session.getSessionData().getLastSaved();
            return stored == null ? version <= 0 : stored.getLastSaved() <= version;
        }
    }

    /** This request's use of a superseded copy ends; the copy is forgotten once no request holds it. */
    private void leave(ManagedSession session) {
        try (AutoLock ignored = session.lock()) {
            session.release();
            if (session.getRequests() <= 0) {
                superseded.remove(session);
                renamed.remove(session);
            }
        }
    }

    /**
     * A request renews the session's id (at login, against session fixation). Jetty deletes the old id's record
     * and writes the new one here, in the middle of the request: if the request's save then failed and was
     * answered 503, the client would keep its old id, whose record is gone, and be logged out. Here the renewal
     * only moves the copy in the cache; the new id's record is written as the response commits, as any change
     * is, and the old id's record is deleted once that save succeeded ({@link #forgetOldId}).
     */
    @Override
    protected void renewSessionId(ManagedSession session, String newId, String newExtendedId) {
        if (session == null) {
            return;
        }
        try (AutoLock ignored = session.lock()) {
            String oldId = session.getId();
            SessionData data = session.getSessionData();
            data.setId(newId);
            data.setLastSaved(0);
            data.setDirty(true);
            session.setExtendedId(newExtendedId);
            session.onIdChanged();
            doPutIfAbsent(newId, session);
            copies.remove(oldId, session);
            renamed.putIfAbsent(session, oldId);
        }
    }

    /** After the renewed id's record is stored: the old id's record goes, so the old id no longer opens the session. */
    private void forgetOldId(ManagedSession session) throws Exception {
        String oldId = renamed.get(session);
        if (oldId != null && session.getSessionData().getLastSaved() > 0) {
            getSessionDataStore().delete(oldId);
            renamed.remove(session, oldId);
        }
    }

    /** Whether another request was using this copy when this one entered it. */
    private static boolean joinedAnother(ManagedSession session) {
        try (AutoLock ignored = session.lock()) {
            return session.getRequests() > 1;
        }
    }

    /**
     * Takes this copy out of use: no request finds it from now on, and none that holds it can save it. Under the
     * copy's lock, as Jetty's release is, so a release never puts a superseded copy back nor evicts its successor.
     */
    void supersede(ManagedSession session) {
        try (AutoLock ignored = session.lock()) {
            superseded.add(session);
            copies.remove(session.getId(), session);
        }
    }

    boolean isSuperseded(ManagedSession session) {
        try (AutoLock ignored = session.lock()) {
            return superseded.contains(session);
        }
    }

    /** A superseded copy is never put (back) into the cache. */
    @Override
    public Session doPutIfAbsent(String id, ManagedSession session) {
        if (superseded.contains(session)) {
            return null;
        }
        return super.doPutIfAbsent(id, session);
    }

    /** A superseded copy's change cannot be saved: it was read before the store's latest version, or refused. */
    @Override
    public void commit(ManagedSession session) throws Exception {
        if (session != null && isSuperseded(session)) {
            boolean changed;
            try (AutoLock ignored = session.lock()) {
                changed = session.getSessionData().isDirty();
            }
            if (changed) {
                throw new SessionConflict("the store has a newer version than this copy, or this copy's save was refused");
            }
            return;
        }
        super.commit(session);
        if (session != null) {
            forgetOldId(session);
        }
    }

    /**
     * A request leaves its copy. A superseded copy is only let go (not saved, not evicted: the cache may hold its
     * successor under the same id). A copy whose save fails as the last request leaves is evicted all the same:
     * kept, it would hold a change the store does not have, with no request to save it and no timer to drop it.
     * The check and Jetty's release run under the copy's lock (it is reentrant), so no supersede comes between.
     * A save refused there as stale (a request that only read, renewing the expiry of a copy another instance
     * has since saved) is no failure: the other instance's save renewed it.
     */
    @Override
    public void release(ManagedSession session) throws Exception {
        if (session == null) {
            super.release(null);
            return;
        }
        try (AutoLock ignored = session.lock()) {
            if (superseded.contains(session)) {
                leave(session);
                return;
            }
            try {
                super.release(session);
                forgetOldId(session);
            } catch (Exception e) {
                if (session.getRequests() <= 0) {
                    copies.remove(session.getId(), session);
                    session.setResident(false);
                    renamed.remove(session);
                }
                if (!(e instanceof SessionConflict)) {
                    throw e;
                }
                LOG.debug("Session {} not saved as its last request left: {}", session.getId(), e.getMessage());
            }
        }
    }
}
