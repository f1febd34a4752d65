package dev.berth.http;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Berth's own answers — health, the status page, "starting" and "stopping" — are small, complete and never
 * cached; they are written here in one way. A HEAD request gets the headers without the body.
 */
public final class SmallResponse {

    public static final String JSON = "application/json";
    public static final String HTML = "text/html; charset=utf-8";
    public static final String TEXT = "text/plain; charset=utf-8";

    public static final String RETRY_AFTER_SECONDS = "5";

    private SmallResponse() {
    }

    /** Answers 405 with {@code Allow: GET, HEAD} and returns true unless the method is GET or HEAD. */
    public static boolean refusedUnlessRead(Request request, Response response, Callback callback) {
        String method = request.getMethod();
        if (HttpMethod.GET.is(method) || HttpMethod.HEAD.is(method)) {
            return false;
        }
        response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
        Response.writeError(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405);
        return true;
    }

    public static void write(Request request, Response response, Callback callback, int status, String contentType, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, HttpMethod.HEAD.is(request.getMethod()) ? null : ByteBuffer.wrap(bytes), callback);
    }

    /** 503 with {@code Retry-After}: the application is not there (yet, or any more). */
    public static void unavailable(Request request, Response response, Callback callback, String reason) {
        response.getHeaders().put(HttpHeader.RETRY_AFTER, RETRY_AFTER_SECONDS);
        write(request, response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, TEXT, reason + "\n");
    }
}
