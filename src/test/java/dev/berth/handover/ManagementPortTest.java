package dev.berth.handover;

import dev.berth.Berth;
import dev.berth.base.BerthException;
import dev.berth.base.ExitCode;
import dev.berth.testing.Http;
import dev.berth.testing.Loopback;
import dev.berth.testing.Ports;
import dev.berth.testing.Wars;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code berth.management.port}: Berth's endpoints on a port of their own, health with every check's data there while
 * the main port keeps names and states only, and nothing of the application; it closes with Berth.
 */
class ManagementPortTest {

    @Test
    void theManagementPortServesHealthWithDetailsAndNothingOfTheApplication() throws Exception {
        int management;
        try (Berth berth = Loopback.serving("berth.war", Wars.hello().toString(), "berth.management.port", "0")) {
            management = berth.managementPort().orElseThrow();
            assertThat(management).isNotEqualTo(berth.port());
            HttpResponse<String> ready = Http.get(management, "/health/ready");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).contains("{\"name\":\"berth-ready\",\"status\":\"UP\",\"data\":{\"phase\":\"SERVING\",\"port\":" + berth.port());
            assertThat(Http.get(berth.port(), "/health/ready").body()).as("the main port: names and states only").doesNotContain("\"data\"");
            assertThat(Http.get(management, "/annotated").statusCode()).isEqualTo(404);
            assertThat(Http.get(berth.port(), "/annotated").statusCode()).isEqualTo(200);
            berth.close();
            assertThat(berth.managementPort()).as("still known once closed").hasValue(management);
        }
        assertThat(refused(management)).as("closed with Berth").isTrue();
    }

    @Test
    void withoutTheSettingThereIsNoManagementPort() throws Exception {
        try (Berth berth = Loopback.serving("berth.war", Wars.hello().toString())) {
            assertThat(berth.managementPort()).isEmpty();
        }
    }

    @Test
    void aManagementPortInUseEndsTheStartWithExit69AndLeavesNothingRunning() throws Exception {
        try (ServerSocket taken = Ports.hold()) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> Loopback.start("berth.management.port", String.valueOf(port), "berth.bind.attempts", "1"))
                    .isInstanceOfSatisfying(BerthException.class, e -> {
                        assertThat(e.exitCode()).isEqualTo(ExitCode.UNAVAILABLE);
                        assertThat(e.description()).startsWith("berth.management.port=" + port + " could not be bound: ");
                        assertThat(e.action()).hasValue("free the port or choose another berth.management.port");
                    });
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet())
                .as("neither server's threads").noneMatch(t -> t.getName().startsWith("berth-management") || t.getName().startsWith("berth-")
                        && !t.getName().startsWith("berth-access-log")));
    }

    private static boolean refused(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
