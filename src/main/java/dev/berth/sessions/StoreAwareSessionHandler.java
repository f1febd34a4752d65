package dev.berth.sessions;

import org.eclipse.jetty.ee11.servlet.SessionHandler;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.session.ManagedSession;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The application's session handler when sessions live in a remote store. Two lies Jetty would tell are
 * turned into 503s: a session it could not load is answered with no session at all, which logs the user out
 * ({@link StoreUnavailable} instead: Jetty answers it 503 and Berth's error page adds Retry-After); and a
 * changed session it could not save, or whose save the store refused as stale ({@link SessionConflict}), is
 * only logged while the client is told the change succeeded ({@link SaveBeforeCommit} saves it first and
 * answers 503 when that fails). A copy whose save failed is never written later either (at the end of the
 * request, when the store may be back): the client was told it was not stored, and will send it again.
 */
final class StoreAwareSessionHandler extends SessionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(StoreAwareSessionHandler.class);

    private final AtomicLong refusedSaves = new AtomicLong();

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        return super.handle(request, new SaveBeforeCommit(request, response, this), callback);
    }

    @Override
    public ManagedSession getManagedSession(String extendedId) {
        GuardedSessionDataStore.loadFailedOnThisThread();
        ManagedSession session = super.getManagedSession(extendedId);
        if (session == null && GuardedSessionDataStore.loadFailedOnThisThread()) {
            throw new StoreUnavailable();
        }
        return session;
    }

    /** Saves a changed session now; false when the store did not take it (this copy is then never written). */
    boolean saveNow(ManagedSession session) {
        try {
            getSessionCache().commit(session);
            return true;
        } catch (Exception e) {
            copies().supersede(session);
            LOG.warn("Answered 503: session {} could not be saved ({}); {} refused so far", session.getId(),
                    e instanceof SessionConflict ? e.getMessage() : e.toString(), refusedSaves.incrementAndGet());
            return false;
        }
    }

    /** Jetty's own save as the response commits: for a copy {@link SaveBeforeCommit} refused, there is nothing left to do. */
    @Override
    public void commit(ManagedSession session) {
        if (session == null || !copies().isSuperseded(session)) {
            super.commit(session);
        }
    }

    private OneCopySessionCache copies() {
        return (OneCopySessionCache) getSessionCache();
    }

    /** The session store could not be reached for this request's session. */
    static final class StoreUnavailable extends HttpException.RuntimeException {
        private static final long serialVersionUID = 1L;

        StoreUnavailable() {
            super(HttpStatus.SERVICE_UNAVAILABLE_503, "the session store is unreachable");
        }
    }
}
