package dev.berth.server;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Gives every request an id, so a line of the access log, the application's own logs and a client's report can be
 * matched: the one the platform's router or an ingress set ({@code X-Request-Id}: Heroku, ingress-nginx, Envoy and
 * Istio; Railway's {@code X-Railway-Request-Id}; else the trace id of a W3C {@code traceparent}: Cloud Run), when it
 * is a plain token of at most 200 characters, else one Berth makes (32 hex digits). The application reads it as the
 * request attribute {@value #ATTRIBUTE}, the access log writes it, and an error response carries it as
 * {@code X-Request-Id} ({@link #echo}). Every response carrying it cost 9% of the requests per second of a tiny
 * response (bench/ab.sh, 4 rounds: 58,315 against 64,013/s), so a successful one does not: the application can add it.
 */
final class RequestIds implements HttpConfiguration.Customizer {

    /** The request attribute that holds the id. */
    static final String ATTRIBUTE = "berth.request-id";
    static final String HEADER = "X-Request-Id";

    private static final String RAILWAY = "X-Railway-Request-Id";
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final String TRACEPARENT = "traceparent";
    /** What an id may be: no space, quote or control character can reach a log line through it. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._:+/=-]{1,200}");
    /** W3C Trace Context: version, trace id, parent id, flags; version ff and all-zero ids are invalid. */
    private static final Pattern W3C = Pattern.compile("(?!ff)[0-9a-f]{2}-(?!0{32})([0-9a-f]{32})-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}(-.*)?");

    @Override
    public Request customize(Request request, HttpFields.Mutable responseHeaders) {
        String id = incoming(request.getHeaders());
        request.setAttribute(ATTRIBUTE, id);
        return request;
    }

    /**
     * The id again on an error response, whose headers Jetty reset; for a request Jetty refused before the customizers
     * ran (a bad request line, oversized headers), one made now, which the access log writes too.
     */
    static void echo(Request request, Response response) {
        String id = request.getAttribute(ATTRIBUTE) instanceof String known ? known : newId();
        request.setAttribute(ATTRIBUTE, id);
        response.getHeaders().put(HEADER, id);
    }

    /** The id the request came with, if a sane one, else a new one. */
    static String incoming(HttpFields headers) {
        for (String name : new String[] {HEADER, RAILWAY}) {
            String id = headers.get(name);
            if (id != null && TOKEN.matcher(id).matches()) {
                return id;
            }
        }
        String parent = headers.get(TRACEPARENT);
        if (parent != null) {
            var trace = W3C.matcher(parent.strip());
            if (trace.matches()) {
                return trace.group(1);
            }
        }
        return newId();
    }

    /** 128 random bits as 32 hex digits, the size of a trace id; not a secret, so not from SecureRandom. */
    static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = random.nextLong();
        long low = random.nextLong();
        char[] id = new char[32];
        for (int i = 15; i >= 0; i--) {
            id[i] = HEX[(int) (high & 0xf)];
            id[i + 16] = HEX[(int) (low & 0xf)];
            high >>>= 4;
            low >>>= 4;
        }
        return new String(id);
    }
}
