package dev.berth;

import dev.berth.testing.BerthProcess;
import dev.berth.testing.Http;
import dev.berth.testing.Wars;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The hand-over seen from outside: the real jar, a deployment that fails, the exit code and the log. */
class HandOverIT {

    @Test
    void aFailingDeploymentExits70NamingTheCause() {
        try (BerthProcess berth = BerthProcess.builder().jvm("-Dfixture.failing.millis=1500")
                .args("--host=127.0.0.1", "--port=0", "--fallback-ports=", Wars.build("failing").toString()).start()) {
            int port = berth.awaitPort();
            boolean sawReady = false;
            while (berth.process().isAlive()) {
                try {
                    sawReady |= Http.get(port, "/health/ready").statusCode() == 200;
                } catch (RuntimeException connectionClosedAtExit) {
                    break;
                }
            }
            assertThat(berth.awaitExit(Duration.ofSeconds(30))).isEqualTo(70);
            assertThat(sawReady).isFalse();
            assertThat(berth.output())
                    .contains("failing.war failed to deploy after")
                    .contains("berth: failing.war failed to deploy: java.lang.IllegalStateException: database unreachable at startup");
        }
    }

    @Test
    void onFailureStayKeepsServing503WithHealthDown() {
        try (BerthProcess berth = BerthProcess.builder().jvm("-Dfixture.failing.millis=10")
                .args("--host=127.0.0.1", "--port=0", "--fallback-ports=", "--deploy.on-failure=stay", Wars.build("failing").toString()).start()) {
            int port = berth.awaitPort();
            berth.awaitOutput("Staying up with the application unavailable");
            assertThat(Http.get(port, "/health/ready").statusCode()).isEqualTo(503);
            assertThat(Http.get(port, "/health/ready").body()).contains("\"phase\":\"FAILED\"");
            assertThat(Http.get(port, "/health/live").statusCode()).isEqualTo(200);
            assertThat(Http.get(port, "/").statusCode()).isEqualTo(503);
            assertThat(berth.process().isAlive()).isTrue();
        }
    }
}
