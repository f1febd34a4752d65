package dev.berth.server;

import dev.berth.config.ConfigLoader;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AccessLogFormatTest {

    @Test
    void timestampsKeepMillisecondsAcrossCachedSeconds() throws Exception {
        AccessLog log = new AccessLog(ConfigLoader.fromMap(Map.of()), new ByteArrayOutputStream());
        long t = Instant.parse("2026-11-26T06:05:35.004Z").toEpochMilli();
        assertThat(log.text(new AccessLog.Entry(t, "GET", "/a", 200, 12, 3, "127.0.0.1")))
                .isEqualTo("2026-11-26T06:05:35.004Z 127.0.0.1 \"GET /a\" 200 12 B 3 ms");
        assertThat(log.text(new AccessLog.Entry(t + 996, "GET", "/a", 200, 12, 3, "127.0.0.1"))).startsWith("2026-11-26T06:05:36.000Z ");
        assertThat(log.json(new AccessLog.Entry(t + 80, "POST", "/b\"c", 201, 0, 1, "::1")))
                .isEqualTo("{\"time\":\"2026-11-26T06:05:35.084Z\",\"method\":\"POST\",\"path\":\"/b\\\"c\",\"status\":201,\"bytes\":0,"
                        + "\"durationMs\":1,\"client\":\"::1\"}");
    }
}
