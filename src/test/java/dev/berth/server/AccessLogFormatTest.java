package dev.berth.server;

import dev.berth.config.ConfigLoader;
import dev.berth.handover.BerthEndpoints;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The access log's formats, line by line. */
class AccessLogFormatTest {

    private static final long T = Instant.parse("2026-11-26T06:05:35.004Z").toEpochMilli();
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 40000);

    private final AccessLog log;

    AccessLogFormatTest() throws Exception {
        log = new AccessLog(ConfigLoader.fromMap(Map.of()), new ByteArrayOutputStream(), new BerthEndpoints());
    }

    private String text(AccessLog.Entry entry) {
        LineBuffer out = new LineBuffer(16);
        log.text(entry, out);
        return out.toString();
    }

    private String json(AccessLog.Entry entry) {
        LineBuffer out = new LineBuffer(16);
        log.json(entry, out);
        return out.toString();
    }

    private String combined(AccessLog.Entry entry) {
        LineBuffer out = new LineBuffer(16);
        log.combined(entry, out);
        return out.toString();
    }

    @Test
    void theRequestIdEndsATextLineAndIsAFieldOfAJsonLine() {
        AccessLog.Entry entry = new AccessLog.Entry(T, "GET", "/a", 200, 12, 3, LOOPBACK, "c0ffee-42", null);
        assertThat(text(entry)).isEqualTo("2026-11-26T06:05:35.004Z 127.0.0.1 \"GET /a\" 200 12 B 3 ms id=c0ffee-42");
        assertThat(json(entry)).isEqualTo("{\"time\":\"2026-11-26T06:05:35.004Z\",\"method\":\"GET\",\"path\":\"/a\",\"status\":200,"
                + "\"bytes\":12,\"durationMs\":3,\"client\":\"127.0.0.1\",\"requestId\":\"c0ffee-42\"}");
    }

    @Test
    void noCharacterThatSplitsALineSurvivesUnescaped() {
        assertThat(text(new AccessLog.Entry(T, "GET", "/a\u0085b\u2028c", 200, 0, 0, LOOPBACK, null, null)))
                .as("C1's next-line and Unicode's line separator").contains("\"GET /a\\x85b\\u2028c\"");
        AccessLog.Headers headers = new AccessLog.Headers("HTTP/1.1", null, "caf\u00c3\u00a9 \u00c2\u0085NEXT");
        assertThat(combined(new AccessLog.Entry(T, "GET", "/", 200, 1, 0, LOOPBACK, null, headers)))
                .as("a header's bytes beyond ASCII, as the client sent them").endsWith("\"caf\\xC3\\xA9 \\xC2\\x85NEXT\"");
    }

    @Test
    void combinedIsTheNcsaLineWithRefererAndUserAgent() {
        AccessLog.Headers headers = new AccessLog.Headers("HTTP/1.1", "https://shop.example/cart", "curl/8.5.0 \"quoted\"");
        assertThat(combined(new AccessLog.Entry(T, "POST", "/order", 201, 512, 3, LOOPBACK, "c0ffee-42", headers)))
                .isEqualTo("127.0.0.1 - - [26/Nov/2026:06:05:35 +0000] \"POST /order HTTP/1.1\" 201 512 \"https://shop.example/cart\" "
                        + "\"curl/8.5.0 \\\"quoted\\\"\"");
        assertThat(combined(new AccessLog.Entry(T, "GET", "/", 304, 0, 1, LOOPBACK, null, new AccessLog.Headers("HTTP/1.0", null, null))))
                .as("no body is -, and so is a header the client did not send")
                .isEqualTo("127.0.0.1 - - [26/Nov/2026:06:05:35 +0000] \"GET / HTTP/1.0\" 304 - \"-\" \"-\"");
    }

    @Test
    void aTextLineHasTimeClientRequestStatusBytesAndDuration() {
        assertThat(text(new AccessLog.Entry(T, "GET", "/a", 200, 12, 3, LOOPBACK, null, null)))
                .isEqualTo("2026-11-26T06:05:35.004Z 127.0.0.1 \"GET /a\" 200 12 B 3 ms");
    }

    @Test
    void theNextSecondKeepsItsMillisecondsAfterTheCachedOne() {
        text(new AccessLog.Entry(T, "GET", "/a", 200, 12, 3, LOOPBACK, null, null));
        assertThat(text(new AccessLog.Entry(T + 996, "GET", "/a", 200, 12, 3, LOOPBACK, null, null))).startsWith("2026-11-26T06:05:36.000Z ");
        assertThat(text(new AccessLog.Entry(T + 1050, "GET", "/a", 200, 12, 3, LOOPBACK, null, null))).startsWith("2026-11-26T06:05:36.054Z ");
    }

    @Test
    void aTextLineEscapesQuotesBackslashesAndControlCharactersSoAPathCannotForgeALine() {
        assertThat(text(new AccessLog.Entry(T, "GET", "/b\"c\\d\u0001\n2026 forged", 200, 0, 1, LOOPBACK, null, null)))
                .isEqualTo("2026-11-26T06:05:35.004Z 127.0.0.1 \"GET /b\\\"c\\\\d\\x01\\x0A2026 forged\" 200 0 B 1 ms");
    }

    @Test
    void aJsonLineEscapesWhatThePathCarries() {
        assertThat(json(new AccessLog.Entry(T + 80, "POST", "/b\"c\\d\u0001", 201, 0, 1, new InetSocketAddress("::1", 5), null, null)))
                .isEqualTo("{\"time\":\"2026-11-26T06:05:35.084Z\",\"method\":\"POST\",\"path\":\"/b\\\"c\\\\d\\u0001\",\"status\":201,"
                        + "\"bytes\":0,\"durationMs\":1,\"client\":\"[0:0:0:0:0:0:0:1]\"}");
    }

    @Test
    void aPathBeyondAsciiIsWrittenAsUtf8InBothFormats() {
        AccessLog.Entry entry = new AccessLog.Entry(T, "GET", "/caf\u00e9/\u65e5\u672c", 200, 0, 0, LOOPBACK, null, null);
        assertThat(text(entry)).contains("\"GET /caf\u00e9/\u65e5\u672c\"");
        assertThat(json(entry)).contains("\"path\":\"/caf\u00e9/\u65e5\u672c\"");
    }

    @Test
    void eachClientIsWrittenAsItsOwnAddressAfterAnother() {
        assertThat(text(new AccessLog.Entry(T, "GET", "/", 200, 0, 0, LOOPBACK, null, null))).contains(" 127.0.0.1 ");
        assertThat(text(new AccessLog.Entry(T, "GET", "/", 200, 0, 0, new InetSocketAddress("10.1.2.3", 1), null, null))).contains(" 10.1.2.3 ");
        assertThat(text(new AccessLog.Entry(T, "GET", "/", 200, 0, 0, new InetSocketAddress("127.0.0.1", 2), null, null))).contains(" 127.0.0.1 ");
        assertThat(text(new AccessLog.Entry(T, "GET", "/", 200, 0, 0, UnixDomainSocketAddress.of("/tmp/berth.sock"), null, null)))
                .contains(" /tmp/berth.sock ");
    }
}
