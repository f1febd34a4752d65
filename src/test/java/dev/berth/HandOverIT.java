package dev.berth;

import dev.berth.testing.BerthProcess;
import dev.berth.testing.Gate;
import dev.berth.testing.Http;
import dev.berth.testing.Wars;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The hand-over seen from outside: the real jar, a deployment that fails, the exit code and the log. */
class HandOverIT {

    @TempDir
    Path dir;

    @Test
    void aFailingDeploymentExits70NamingTheCause() {
        // the deployment fails only once the gate opens, so readiness is seen DOWN while it runs
        Gate gate = Gate.in(dir, "failing");
        String war = Wars.build("failing", "failing.gate", gate.path(), "failing.millis", "0").toString();
        try (BerthProcess berth = BerthProcess.builder().loopback().args(war).start()) {
            assertThat(Http.get(berth.awaitPort(), "/health/ready").statusCode()).isEqualTo(503);
            gate.open();
            assertThat(berth.awaitExit(Duration.ofSeconds(60))).isEqualTo(70);
            assertThat(berth.output())
                    .contains("failing.war failed to deploy after")
                    .contains("berth: failing.war failed to deploy: java.lang.IllegalStateException: database unreachable at startup");
        }
    }

    @Test
    void onFailureStayKeepsServing503WithHealthDown() {
        String war = Wars.build("failing", "failing.millis", "0").toString();
        try (BerthProcess berth = BerthProcess.builder().loopback().args("--deploy.on-failure=stay", "--health.details=always", war)
                .serving("Staying up with the application unavailable")) {
            HttpResponse<String> ready = Http.get(berth.port(), "/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("\"phase\":\"FAILED\"");
            assertThat(Http.get(berth.port(), "/health/live").statusCode()).isEqualTo(200);
            assertThat(Http.get(berth.port(), "/").statusCode()).isEqualTo(503);
            assertThat(berth.process().isAlive()).isTrue();
        }
    }
}
