package dev.berth.handover;

import dev.berth.Berth;
import dev.berth.testing.Http;
import dev.berth.testing.Loopback;
import dev.berth.testing.Ports;
import dev.berth.testing.Wars;

import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the health JSON tells anyone who reaches the port: by default each check's name and state only; with
 * {@code berth.health.details=always} each check's data too, including what failed, which may name a host.
 */
class HealthDetailsTest {

    @Test
    void byDefaultTheChecksAreNamesAndStatesOnly() throws Exception {
        try (Berth berth = Loopback.serving("berth.war", Wars.hello().toString())) {
            HttpResponse<String> health = Http.get(berth.port(), "/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("{\"status\":\"UP\",\"checks\":[{\"name\":\"berth-live\",\"status\":\"UP\"},"
                    + "{\"name\":\"berth-ready\",\"status\":\"UP\"},{\"name\":\"berth-started\",\"status\":\"UP\"}]}");
        }
    }

    @Test
    void aStoreThatIsDownIsNamedWithoutWhereItIsOrWhatFailed() throws Exception {
        int closed = closedPort();
        try (Berth berth = Loopback.start("berth.sessions.store", "jdbc",
                "berth.sessions.jdbc.url", "postgres://shop:secret@127.0.0.1:" + closed + "/shop")) {
            HttpResponse<String> ready = Http.get(berth.port(), "/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).isEqualTo("{\"status\":\"DOWN\",\"checks\":[{\"name\":\"berth-ready\",\"status\":\"DOWN\"},"
                    + "{\"name\":\"sessions-jdbc\",\"status\":\"DOWN\"}]}");
        }
    }

    @Test
    void withDetailsAlwaysEachCheckCarriesItsData() throws Exception {
        int closed = closedPort();
        try (Berth berth = Loopback.start("berth.health.details", "always", "berth.sessions.store", "jdbc",
                "berth.sessions.jdbc.url", "postgres://shop:secret@127.0.0.1:" + closed + "/shop")) {
            String ready = Http.get(berth.port(), "/health/ready").body();
            assertThat(ready).contains("{\"name\":\"berth-ready\",\"status\":\"DOWN\",\"data\":{\"phase\":\"", "\"port\":" + berth.port())
                    .contains("{\"name\":\"sessions-jdbc\",\"status\":\"DOWN\",\"data\":{\"error\":\"")
                    .as("a password is never shown").doesNotContain("secret");
        }
    }

    /** A loopback port nothing listens on: bound by the kernel, then let go. */
    private static int closedPort() throws Exception {
        try (ServerSocket held = Ports.hold()) {
            return held.getLocalPort();
        }
    }
}
