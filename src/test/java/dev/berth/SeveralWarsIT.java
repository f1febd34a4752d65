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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several WARs in one process, through the real jar: each at its context path, each handed over as soon as it
 * serves while requests for the others wait, readiness UP once all serve, and the failure of one applied to the
 * process, naming that WAR.
 */
class SeveralWarsIT {

    @TempDir
    Path dir;

    @Test
    void eachWarIsHandedOverOnItsOwnAndReadinessWaitsForAll() throws Exception {
        Gate gate = Gate.in(dir, "slow");
        String hello = Wars.hello().toString();
        String slow = Wars.build("slow", "deploy.gate", gate.path()).toString();
        try (BerthProcess berth = BerthProcess.builder().loopback().args("/shop=" + hello, "/api=" + slow).start()) {
            int port = berth.awaitPort();
            berth.awaitOutput("hello.war deployed at /shop in");
            // the first serves while the second still deploys; a request for the second waits for it
            assertThat(Http.get(port, "/shop/declared").statusCode()).isEqualTo(200);
            assertThat(Http.get(port, "/health/ready").statusCode()).isEqualTo(503);
            CompletableFuture<HttpResponse<String>> waiting = CompletableFuture.supplyAsync(() -> Http.get(port, "/api/hello"));
            assertThat(berth.output()).doesNotContain("slow.war deployed");

            gate.open();
            HttpResponse<String> api = waiting.get(60, TimeUnit.SECONDS);
            assertThat(api.statusCode()).isEqualTo(200);
            assertThat(api.body()).isEqualTo("hello from the app");
            berth.awaitOutput("2 WARs deployed in");
            assertThat(Http.get(port, "/health/ready").statusCode()).isEqualTo(200);
            // each has its own context: the first's paths are not the second's
            assertThat(Http.get(port, "/api/declared").statusCode()).isEqualTo(404);
            assertThat(berth.output()).contains("deploying hello.war at /shop, slow.war at /api");
            assertThat(berth.terminate()).isEqualTo(143);
        }
    }

    @Test
    void theFailureOfOneWarAppliesToTheProcessAndNamesIt() {
        String hello = Wars.hello().toString();
        String failing = Wars.build("failing", "failing.millis", "0").toString();
        try (BerthProcess berth = BerthProcess.builder().loopback().args("/a=" + hello, "/b=" + failing).start()) {
            assertThat(berth.awaitExit(Duration.ofSeconds(60))).isEqualTo(70);
            assertThat(berth.output()).contains("hello.war deployed at /a in")
                    .contains("berth: failing.war failed to deploy: java.lang.IllegalStateException");
        }
    }

    @Test
    void twoWarsAtOnePathOrWithoutPathsAreUsageErrors() {
        String hello = Wars.hello().toString();
        BerthProcess.Result samePath = BerthProcess.builder().loopback().args("/a=" + hello, "/a/=" + hello).run();
        assertThat(samePath.exitCode()).isEqualTo(64);
        assertThat(samePath.output()).contains("two WARs at the context path /a: hello.war and hello.war");
        BerthProcess.Result noPath = BerthProcess.builder().loopback().args(hello, hello).run();
        assertThat(noPath.exitCode()).isEqualTo(64);
        assertThat(noPath.output()).contains("has no context path").contains("/shop=shop.war /api=api.war");
    }
}
