package dev.berth.server;

import dev.berth.config.BerthConfig;
import dev.berth.handover.BerthEndpoints;

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
import java.util.concurrent.TimeUnit;

/**
 * One line per request on standard output, as text or JSON: method, path (no query: it may carry
 * secrets), status, bytes, duration and client address. Platform health probes are left out unless
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
    private static final byte[] TEXT_BYTES = ascii(" B ");
    private static final byte[] TEXT_MS = ascii(" ms");

    private final boolean includeHealth;
    private final BerthEndpoints endpoints;
    private final AccessLogWriter<Entry> writer;
    private long cachedSecond = Long.MIN_VALUE;
    private byte[] cachedPrefix;
    private InetAddress cachedAddress;
    private String cachedClient;

    /** Logs every request but those for Berth's {@code endpoints}, unless {@code berth.access-log.health} asks for them. */
    AccessLog(BerthConfig config, OutputStream out, BerthEndpoints endpoints) {
        this.includeHealth = config.accessLog().health();
        this.endpoints = endpoints;
        boolean json = config.accessLog().format() == BerthConfig.AccessLogFormat.JSON;
        this.writer = new AccessLogWriter<>(out, 16384, json ? this::json : this::text);
        addBean(writer);
    }

    /** What a request thread records; the writer thread formats it. */
    record Entry(long time, String method, String path, int status, long bytes, long millis, SocketAddress client) {
    }

    @Override
    public void log(Request request, Response response) {
        String path = request.getHttpURI().getPath();
        if (!includeHealth && endpoints.matches(path)) {
            return;
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - request.getBeginNanoTime());
        writer.write(new Entry(Request.getTimeStamp(request), request.getMethod(), path == null ? "" : path, response.getStatus(),
                Response.getContentBytesWritten(response), millis, request.getConnectionMetaData().getRemoteSocketAddress()));
    }

    void text(Entry e, LineBuffer out) {
        time(e.time, out).put(' ').put(client(e.client)).put(' ').put('"').putQuoted(e.method).put(' ').putQuoted(e.path).put('"')
                .put(' ').put(e.status).put(' ').put(e.bytes).put(TEXT_BYTES).put(e.millis).put(TEXT_MS);
    }

    void json(Entry e, LineBuffer out) {
        time(e.time, out.put(JSON_TIME)).put('"').put(JSON_METHOD).putJson(e.method).put(JSON_PATH).putJson(e.path)
                .put(JSON_STATUS).put(e.status).put(JSON_BYTES).put(e.bytes).put(JSON_DURATION).put(e.millis)
                .put(JSON_CLIENT).putJson(client(e.client)).put('}');
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
