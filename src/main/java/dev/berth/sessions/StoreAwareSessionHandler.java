package dev.berth.sessions;

import org.eclipse.jetty.ee11.servlet.SessionHandler;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.session.ManagedSession;

/**
 * The application's session handler when sessions live in a remote store. Jetty answers a session it
 * could not load with no session at all, which logs the user out; here a load that failed because the
 * store is unreachable ends the request with {@link StoreUnavailable} instead: Jetty answers it 503, and
 * Berth's error page adds Retry-After.
 */
final class StoreAwareSessionHandler extends SessionHandler {

    @Override
    public ManagedSession getManagedSession(String extendedId) {
        GuardedSessionDataStore.loadFailedOnThisThread();
        ManagedSession session = super.getManagedSession(extendedId);
        if (session == null && GuardedSessionDataStore.loadFailedOnThisThread()) {
            throw new StoreUnavailable();
        }
        return session;
    }

    /** The session store could not be reached for this request's session. */
    static final class StoreUnavailable extends HttpException.RuntimeException {
        private static final long serialVersionUID = 1L;

        StoreUnavailable() {
            super(HttpStatus.SERVICE_UNAVAILABLE_503, "the session store is unreachable");
        }
    }
}
