package dev.berth.sessions;

import dev.berth.backing.BackingService;
import dev.berth.http.SmallResponse;

import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.util.function.Supplier;

/**
 * Stands right in front of the application when sessions live in a remote store. A request that carries a
 * session cookie while the store is known to be down is answered 503 with Retry-After at once, without
 * waiting for the store to time out: the client tries again, and the user stays logged in once the store is
 * back. Requests without a session go through. (A request whose session fails to load while the store still
 * counts as up is answered 503 too, by {@link StoreAwareSessionHandler}.)
 */
final class SessionStoreGate extends Handler.Wrapper {

    private static final String REASON = "The session store is unreachable; try again shortly";

    private final BackingService store;
    private final Supplier<String> cookieName;

    SessionStoreGate(Handler application, BackingService store, Supplier<String> cookieName) {
        super(application);
        this.store = store;
        this.cookieName = cookieName;
        manage(application);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (!store.isUp() && carriesSession(request)) {
            SmallResponse.unavailable(request, response, callback, REASON);
            return true;
        }
        return super.handle(request, response, callback);
    }

    private boolean carriesSession(Request request) {
        String name = cookieName.get();
        for (HttpCookie cookie : Request.getCookies(request)) {
            if (cookie.getName().equals(name)) {
                return true;
            }
        }
        return false;
    }
}
