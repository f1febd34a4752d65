package dev.berth.server;

import dev.berth.config.ConfigLoader;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The access log's two formats, line by line. */
class AccessLogFormatTest {

    private static final long T = Instant.parse("2026-11-26T06:05:35.004Z").toEpochMilli();

    private final AccessLog log;

    AccessLogFormatTest() throws Exception {
        log = new AccessLog(ConfigLoader.fromMap(Map.of()), new ByteArrayOutputStream());
    }

    @Test
    void aTextLineHasTimeClientRequestStatusBytesAndDuration() {
        assertThat(log.text(new AccessLog.Entry(T, "GET", "/a", 200, 12, 3, "127.0.0.1")))
                .isEqualTo("2026-11-26T06:05:35.004Z 127.0.0.1 \"GET /a\" 200 12 B 3 ms");
    }

    @Test
    void theNextSecondKeepsItsMillisecondsAfterTheCachedOne() {
        log.text(new AccessLog.Entry(T, "GET", "/a", 200, 12, 3, "127.0.0.1"));
        assertThat(log.text(new AccessLog.Entry(T + 996, "GET", "/a", 200, 12, 3, "127.0.0.1"))).startsWith("2026-11-26T06:05:36.000Z ");
        assertThat(log.text(new AccessLog.Entry(T + 1050, "GET", "/a", 200, 12, 3, "127.0.0.1"))).startsWith("2026-11-26T06:05:36.054Z ");
    }

    @Test
    void aJsonLineEscapesWhatThePathCarries() {
        assertThat(log.json(new AccessLog.Entry(T + 80, "POST", "/b\"c", 201, 0, 1, "::1")))
                .isEqualTo("{\"time\":\"2026-11-26T06:05:35.084Z\",\"method\":\"POST\",\"path\":\"/b\\\"c\",\"status\":201,\"bytes\":0,"
                        + "\"durationMs\":1,\"client\":\"::1\"}");
    }
}
