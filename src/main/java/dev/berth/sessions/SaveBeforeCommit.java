package dev.berth.sessions;

import dev.berth.http.SmallResponse;

import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.session.ManagedSession;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;

/**
 * The application's response, with its session saved before the first byte goes out. Jetty saves a changed
 * session when the response commits, but at a point where status and headers are already fixed: a save that
 * fails there is only logged, and the client is told 200 for a change that was not stored. Here the save
 * comes first, on the response's first write (the whole body of a normal response, a redirect, the first
 * flush of a streamed one), while the status can still change: when it fails, the client gets 503 with
 * Retry-After and no session cookie instead, and what the application wrote is dropped.
 */
final class SaveBeforeCommit extends Response.Wrapper {

    private static final String REASON = "The session could not be saved; try again shortly";

    private final StoreAwareSessionHandler sessions;
    private boolean saved;
    private boolean refused;

    SaveBeforeCommit(Request request, Response response, StoreAwareSessionHandler sessions) {
        super(request, response);
        this.sessions = sessions;
    }

    @Override
    public void write(boolean last, ByteBuffer content, Callback callback) {
        if (refused) {
            // the 503 is out: the application's bytes have nowhere to go
            if (last) {
                callback.succeeded();
            } else {
                callback.failed(new EofException("the response was replaced by a 503: the session could not be saved"));
            }
            return;
        }
        if (!saved && !isCommitted()) {
            saved = true;
            ManagedSession session = sessions.getManagedSession(getRequest());
            if (session != null && !sessions.saveNow(session)) {
                refused = true;
                Response response = getWrapped();
                response.getHeaders().clear();
                SmallResponse.unavailable(getRequest(), response, callback, REASON);
                return;
            }
        }
        super.write(last, content, callback);
    }
}
