package dev.berth.server;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.Graceful;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ends server-sent-event streams when the drain begins. Such a stream is a request that never completes by
 * itself, so a drain would wait its whole timeout on it; a client reconnects anyway, and should do so to an
 * instance that stays. A stream is a request that accepts {@code text/event-stream} (as every EventSource asks):
 * only those are tracked, so other requests pay one header lookup. At the drain, Jetty calls {@link #shutdown()}
 * with every other {@link Graceful} part of the server (WebSocket sessions get their 1001 close there); each
 * HTTP/1.1 stream's connection is closed, which fails the application's next write, or its async listeners.
 * A stream over HTTP/2 shares its connection with other requests, so it is left to the drain.
 */
final class EventStreams extends Handler.Wrapper implements Graceful {

    private static final Logger LOG = LoggerFactory.getLogger(EventStreams.class);
    private static final String EVENT_STREAM = "text/event-stream";

    private final Set<Request> open = ConcurrentHashMap.newKeySet();
    private volatile boolean shutdown;

    EventStreams(Handler application) {
        super(application);
        manage(application);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String accept = request.getHeaders().get(HttpHeader.ACCEPT);
        if (accept == null || !accept.contains(EVENT_STREAM) || request.getConnectionMetaData().getHttpVersion() == HttpVersion.HTTP_2) {
            return super.handle(request, response, callback);
        }
        open.add(request);
        if (shutdown) {
            // arrived as the drain began, after its streams were ended: refused, as the drain refuses new requests
            open.remove(request);
            Response.writeError(request, response, callback, HttpStatus.SERVICE_UNAVAILABLE_503);
            return true;
        }
        boolean handled = false;
        try {
            handled = super.handle(request, response, Callback.from(() -> open.remove(request), callback));
            return handled;
        } finally {
            if (!handled) {
                open.remove(request);
            }
        }
    }

    @Override
    public CompletableFuture<Void> shutdown() {
        shutdown = true;
        int ended = 0;
        for (Request stream : open) {
            stream.getConnectionMetaData().getConnection().getEndPoint().close();
            ended++;
        }
        if (ended > 0) {
            LOG.info("Ended {} event stream{} as the drain began; their clients reconnect", ended, ended == 1 ? "" : "s");
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }
}
