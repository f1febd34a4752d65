package dev.berth.server;

import dev.berth.config.BerthConfig;
import dev.berth.handover.BerthEndpoints;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.component.ContainerLifeCycle;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One line per request on standard output, as text or JSON: method, path (no query: it may carry
 * secrets), status, bytes, duration, client address and request id ({@link RequestIds}); or NCSA combined. Platform health probes are left out unless
 * {@code berth.access-log.health} is set, so they do not flood the log.
 * <p>
 * A request thread only takes what the line needs (the client's socket address, not its text) and hands
 * it to the {@link AccessLogWriter}; everything else happens on the writer's thread, which is why the
 * caches below need no locks.
 */
final class AccessLog extends ContainerLifeCycle implements RequestLog {

    private static final byte[] JSON_TIME = ascii("{\"time\":\"");
    private static final byte[] JSON_METHOD = ascii(",\"method\":");
    private static final byte[] JSON_PATH = ascii(",\"path\":");
    private static final byte[] JSON_STATUS = ascii(",\"status\":");
    private static final byte[] JSON_BYTES = ascii(",\"bytes\":");
    private static final byte[] JSON_DURATION = ascii(",\"durationMs\":");
    private static final byte[] JSON_CLIENT = ascii(",\"client\":");
    private static final byte[] JSON_ID = ascii(",\"requestId\":");
    private static final byte[] TEXT_BYTES = ascii(" B ");
    private static final byte[] TEXT_MS = ascii(" ms");
    private static final byte[] TEXT_ID = ascii(" id=");
    private static final byte[] COMBINED_USER = ascii(" - - [");
    /** NCSA's time, always in UTC: {@code 10/Oct/2000:13:55:36 +0000}. */
    private static final DateTimeFormatter NCSA_TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final boolean includeHealth;
    private final boolean combined;
    private final BerthEndpoints endpoints;
    private final AccessLogWriter<Entry> writer;
    private long cachedSecond = Long.MIN_VALUE;
    private byte[] cachedPrefix;
    private InetAddress cachedAddress;
    private long ncsaSecond = Long.MIN_VALUE;
    private byte[] ncsaTime;
    private String cachedClient;

    /** Logs every request but those for Berth's {@code endpoints}, unless {@code berth.access-log.health} asks for them. */
    AccessLog(BerthConfig config, OutputStream out, BerthEndpoints endpoints) {
        this.includeHealth = config.accessLog().health();
        this.endpoints = endpoints;
        BerthConfig.AccessLogFormat format = config.accessLog().format();
        this.combined = format == BerthConfig.AccessLogFormat.COMBINED;
        this.writer = new AccessLogWriter<>(out, 16384, switch (format) {
            case JSON -> this::json;
            case COMBINED -> this::combined;
            case TEXT, OFF -> this::text;
        });
        addBean(writer);
    }

    /** How many lines wait for the writer thread. */
    int backlog() {
        return writer.backlog();
    }

    /**
     * What a request thread records; the writer thread formats it. {@code requestId} is null for a request that never
     * reached Berth's customizers (one Jetty refused while parsing); {@code headers} only for the combined format.
     */
    record Entry(long time, String method, String path, int status, long bytes, long millis, SocketAddress client, String requestId,
                 Headers headers) {
    }

    /** What the NCSA combined format adds: the protocol, and the client's Referer and User-Agent. */
    record Headers(String protocol, String referer, String userAgent) {
    }

    @Override
    public void log(Request request, Response response) {
        String path = request.getHttpURI().getPath();
        if (!includeHealth && endpoints.matches(path)) {
            return;
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - request.getBeginNanoTime());
        Headers headers = combined ? new Headers(request.getConnectionMetaData().getProtocol(), request.getHeaders().get(HttpHeader.REFERER),
                request.getHeaders().get(HttpHeader.USER_AGENT)) : null;
        writer.write(new Entry(Request.getTimeStamp(request), request.getMethod(), path == null ? "" : path, response.getStatus(),
                Response.getContentBytesWritten(response), millis, request.getConnectionMetaData().getRemoteSocketAddress(),
                request.getAttribute(RequestIds.ATTRIBUTE) instanceof String id ? id : null, headers));
    }

    void text(Entry e, LineBuffer out) {
        time(e.time, out).put(' ').put(client(e.client)).put(' ').put('"').putQuoted(e.method).put(' ').putQuoted(e.path).put('"')
                .put(' ').put(e.status).put(' ').put(e.bytes).put(TEXT_BYTES).put(e.millis).put(TEXT_MS);
        if (e.requestId != null) {
            out.put(TEXT_ID).put(e.requestId);
        }
    }

    void json(Entry e, LineBuffer out) {
        time(e.time, out.put(JSON_TIME)).put('"').put(JSON_METHOD).putJson(e.method).put(JSON_PATH).putJson(e.path)
                .put(JSON_STATUS).put(e.status).put(JSON_BYTES).put(e.bytes).put(JSON_DURATION).put(e.millis)
                .put(JSON_CLIENT).putJson(client(e.client));
        if (e.requestId != null) {
            out.put(JSON_ID).putJson(e.requestId);
        }
        out.put('}');
    }

    /**
     * NCSA combined, as Apache's and nginx's tools read it: client, no identity or user, time, request line (the
     * path without its query, which may carry secrets), status, bytes ({@code -} for none), Referer and User-Agent.
     */
    void combined(Entry e, LineBuffer out) {
        Headers headers = e.headers;
        long second = Math.floorDiv(e.time, 1000L);
        if (second != ncsaSecond) {
            ncsaSecond = second;
            ncsaTime = ascii(NCSA_TIME.format(Instant.ofEpochSecond(second)));
        }
        out.put(client(e.client)).put(COMBINED_USER).put(ncsaTime).put(']').put(' ').put('"')
                .putQuoted(e.method).put(' ').putQuoted(e.path).put(' ').putQuoted(headers.protocol).put('"').put(' ').put(e.status).put(' ');
        if (e.bytes > 0) {
            out.put(e.bytes);
        } else {
            out.put('-');
        }
        out.put(' ').put('"').putQuotedBytes(headers.referer == null ? "-" : headers.referer).put('"').put(' ').put('"')
                .putQuotedBytes(headers.userAgent == null ? "-" : headers.userAgent).put('"');
    }

    /** ISO-8601 in UTC with milliseconds; the text up to the second is made once a second. */
    private LineBuffer time(long millis, LineBuffer out) {
        long second = Math.floorDiv(millis, 1000L);
        if (second != cachedSecond) {
            String iso = Instant.ofEpochSecond(second).toString();
            cachedSecond = second;
            cachedPrefix = ascii(iso.substring(0, iso.length() - 1) + ".");
        }
        return out.put(cachedPrefix).putThreeDigits((int) Math.floorMod(millis, 1000L)).put('Z');
    }

    /** The client's address as Jetty's {@code Request.getRemoteAddr} writes it; made once for a run of the same address. */
    private String client(SocketAddress address) {
        if (!(address instanceof InetSocketAddress inet)) {
            return String.valueOf(address);
        }
        InetAddress ip = inet.getAddress();
        if (ip == null || inet.isUnresolved() || ip.isLinkLocalAddress()) {
            // a link-local address's text carries its scope, which equals() does not compare
            return Request.getHostName(inet);
        }
        if (!ip.equals(cachedAddress)) {
            cachedAddress = ip;
            cachedClient = Request.getHostName(inet);
        }
        return cachedClient;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
