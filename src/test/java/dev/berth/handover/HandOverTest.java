package dev.berth.handover;

import dev.berth.Berth;
import dev.berth.base.BerthException;
import dev.berth.base.ExitCode;
import dev.berth.testing.Gate;
import dev.berth.testing.Http;
import dev.berth.testing.Loopback;
import dev.berth.testing.Wars;

import org.eclipse.jetty.util.ajax.JSON;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The bootstrap health, the held requests and the swap, against a real Jetty and real fixture WARs. */
class HandOverTest {

    /** The tests read each check's data (phase, port, held), which health shows only when asked to. */
    private static final String DETAILS = "berth.health.details";

    @TempDir
    Path dir;

    /**
     * Longer than any wait in these tests: a request held during the deployment is answered by the application
     * or by its failure, never by the hold running out while a busy machine runs the test.
     */
    private static final String LONG_HOLD = "10m";

    /** The slow fixture, whose deployment waits until the test opens {@code gate}. */
    private static String slowWar(Gate gate) {
        return Wars.build("slow", "deploy.gate", gate.path()).toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(HttpResponse<String> response) {
        return (Map<String, Object>) new JSON().fromJSON(response.body());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> data(HttpResponse<String> response) {
        Object[] checks = (Object[]) json(response).get("checks");
        return (Map<String, Object>) ((Map<String, Object>) checks[0]).get("data");
    }

    private static CompletableFuture<HttpResponse<String>> sendAsync(int port, String path) {
        return HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(Http.uri(port, path)).timeout(Duration.ofMinutes(2)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Waits until Berth's health says this many application requests are held. */
    private static void awaitHeld(Berth berth, long count) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> (Long) data(Http.get(berth.port(), "/health/live")).get("held") == count);
    }

    @Test
    void whileTheWarDeploysLivenessIsUpAndTheOthersAreDown() throws Exception {
        Gate gate = Gate.in(dir, "deploy");
        try (Berth berth = Loopback.start(DETAILS, "always", "berth.war", slowWar(gate))) {
            HttpResponse<String> live = Http.get(berth.port(), "/health/live");
            assertThat(live.statusCode()).isEqualTo(200);
            assertThat(json(live)).containsEntry("status", "UP");
            assertThat(data(live)).containsEntry("phase", "DEPLOYING").containsEntry("port", (long) berth.port()).containsEntry("held", 0L);
            assertThat(live.headers().firstValue("Cache-Control")).contains("no-store");
            assertThat(live.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
            for (String path : List.of("/health/ready", "/health/started", "/health")) {
                HttpResponse<String> down = Http.get(berth.port(), path);
                assertThat(down.statusCode()).as(path).isEqualTo(503);
                assertThat(json(down)).as(path).containsEntry("status", "DOWN");
            }
            assertThat((Object[]) json(Http.get(berth.port(), "/health")).get("checks")).hasSize(3);
            gate.open();
        }
    }

    @ParameterizedTest(name = "once the application serves, {0} is UP")
    @ValueSource(strings = {"/health/live", "/health/ready", "/health/started", "/health"})
    void onceTheApplicationServesEveryEndpointIsUp(String path) throws Exception {
        Path war = Wars.build("slow", "deploy.millis", "300");
        try (Berth berth = Loopback.serving(DETAILS, "always", "berth.war", war.toString())) {
            HttpResponse<String> up = Http.get(berth.port(), path);
            assertThat(up.statusCode()).isEqualTo(200);
            assertThat(data(up)).containsEntry("phase", "SERVING");
            assertThat((Long) data(up).get("deploymentMs")).isGreaterThanOrEqualTo(300L);
            assertThat(up.body()).as("no path of the machine on the wire").doesNotContain(war.getParent().toString(), "test-wars", ".war");
        }
    }

    @Test
    void headAnswersWithGetsHeadersAndOtherMethodsAreRefused() throws Exception {
        try (Berth berth = Loopback.serving(DETAILS, "always", "berth.war", Wars.hello().toString())) {
            HttpResponse<String> head = Http.send(HttpRequest.newBuilder(Http.uri(berth.port(), "/health/ready"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
            HttpResponse<String> get = Http.get(berth.port(), "/health/ready");
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.headers().firstValue("Content-Length")).contains(String.valueOf(get.body().length()));
            assertThat(head.headers().firstValue("Content-Type")).isEqualTo(get.headers().firstValue("Content-Type"));
            HttpResponse<String> post = Http.send(HttpRequest.newBuilder(Http.uri(berth.port(), "/health"))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build());
            assertThat(post.statusCode()).isEqualTo(405);
        }
    }

    @Test
    void aRequestSentDuringDeploymentWaitsAndIsAnsweredByTheApplication() throws Exception {
        Gate gate = Gate.in(dir, "deploy");
        try (Berth berth = Loopback.start(DETAILS, "always", "berth.war", slowWar(gate), "berth.startup.hold", LONG_HOLD)) {
            CompletableFuture<HttpResponse<String>> early = sendAsync(berth.port(), "/hello");
            awaitHeld(berth, 1);
            assertThat(berth.phase()).isEqualTo(Phase.DEPLOYING);
            assertThat(early).as("held while the gate is closed").isNotDone();
            gate.open();
            HttpResponse<String> response = early.get(2, TimeUnit.MINUTES);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("hello from the app");
            assertThat(berth.phase()).isEqualTo(Phase.SERVING);
        }
    }

    @Test
    void aHeldRequestGets503WithRetryAfterWhenTheHoldRunsOut() throws Exception {
        Gate gate = Gate.in(dir, "deploy");
        try (Berth berth = Loopback.start(DETAILS, "always", "berth.war", slowWar(gate), "berth.startup.hold", "300ms")) {
            HttpResponse<String> response = Http.get(berth.port(), "/hello");
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).contains("5");
            assertThat(response.body()).isEqualTo("starting\n");
            assertThat(berth.phase()).isEqualTo(Phase.DEPLOYING);
            gate.open();
        }
    }

    @Test
    void beyondMaxHeldRequestsAreRefusedAtOnce() throws Exception {
        Gate gate = Gate.in(dir, "deploy");
        // a hold far longer than the client's timeout: only a refusal at once can answer in time
        try (Berth berth = Loopback.start(DETAILS, "always", "berth.war", slowWar(gate), "berth.startup.max-held", "0", "berth.startup.hold", "1h")) {
            HttpResponse<String> response = Http.get(berth.port(), "/hello");
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.body()).isEqualTo("starting\n");
            gate.open();
        }
    }

    @Test
    void manyClientsAcrossTheSwapSeeNoErrorAndNo5xx() throws Exception {
        Gate gate = Gate.in(dir, "deploy");
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        AtomicInteger afterSwap = new AtomicInteger();
        try (Berth berth = Loopback.start(DETAILS, "always", "berth.war", slowWar(gate), "berth.startup.hold", LONG_HOLD)) {
            List<Thread> clients = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Thread client = new Thread(() -> requestUntilSwapped(berth, problems, afterSwap));
                clients.add(client);
                client.start();
            }
            awaitHeld(berth, 8);
            gate.open();
            for (Thread client : clients) {
                client.join(Duration.ofMinutes(5).toMillis());
            }
            assertThat(clients).as("every client finished before Berth stopped").noneMatch(Thread::isAlive);
        }
        assertThat(problems).isEmpty();
        assertThat(afterSwap.get()).isGreaterThanOrEqualTo(8 * 40);
    }

    /**
     * One client: requests in a loop until 8 x 40 answers came after the swap, bounded by a count of its own
     * (far more than it needs, as a request sent before the swap is held until it), not by a clock that a busy
     * machine could run out before the clients are done.
     */
    private static void requestUntilSwapped(Berth berth, ConcurrentLinkedQueue<String> problems, AtomicInteger afterSwap) {
        HttpClient http = HttpClient.newHttpClient();
        for (int sent = 0; sent < 1000 && afterSwap.get() < 8 * 40; sent++) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(Http.uri(berth.port(), "/hello")).timeout(Duration.ofMinutes(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    problems.add("status " + r.statusCode());
                } else if (berth.phase() == Phase.SERVING) {
                    afterSwap.incrementAndGet();
                }
            } catch (Exception e) {
                problems.add(e.toString());
            }
        }
    }

    @Test
    void aFailedDeploymentStaysUpWithReadinessDownWhenAskedTo() throws Exception {
        Gate gate = Gate.in(dir, "failing");
        String war = Wars.build("failing", "failing.gate", gate.path(), "failing.millis", "0").toString();
        try (Berth berth = Loopback.start(DETAILS, "always", "berth.war", war, "berth.deploy.on-failure", "stay", "berth.startup.hold", LONG_HOLD)) {
            CompletableFuture<HttpResponse<String>> held = sendAsync(berth.port(), "/anything");
            awaitHeld(berth, 1);
            assertThat(Http.get(berth.port(), "/health/ready").statusCode()).isEqualTo(503);
            gate.open();
            berth.awaitDeployment();
            assertThat(berth.phase()).isEqualTo(Phase.FAILED);
            assertThat(Http.get(berth.port(), "/health/ready").statusCode()).isEqualTo(503);
            assertThat(data(Http.get(berth.port(), "/health/ready"))).containsEntry("phase", "FAILED");
            HttpResponse<String> released = held.get(2, TimeUnit.MINUTES);
            assertThat(released.statusCode()).isEqualTo(503);
            assertThat(released.body()).isEqualTo("the application failed to start\n");
            assertThat(Http.get(berth.port(), "/anything").statusCode()).isEqualTo(503);
            assertThat(Http.get(berth.port(), "/health/live").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aFailedDeploymentStopsBerthAndThrowsByDefault() throws Exception {
        try (Berth berth = Loopback.start(DETAILS, "always", "berth.war", Wars.build("failing", "failing.millis", "10").toString())) {
            assertThatThrownBy(berth::awaitDeployment).isInstanceOfSatisfying(BerthException.class, e -> {
                assertThat(e.exitCode()).isEqualTo(ExitCode.SOFTWARE);
                assertThat(e.description()).contains("failing.war failed to deploy", "IllegalStateException: database unreachable at startup");
            });
            assertThat(berth.isRunning()).isFalse();
        }
    }

    @Test
    void stoppingTheServerRunsContextDestroyed() throws Exception {
        Path marker = dir.resolve("destroyed");
        try (Berth berth = Loopback.serving(DETAILS, "always", "berth.war", Wars.build("slow", "deploy.millis", "0", "destroyed.file", marker.toString()).toString())) {
            assertThat(marker).doesNotExist();
            berth.close();
            assertThat(Files.readString(marker)).isEqualTo("destroyed\n");
        }
    }

    @Test
    void theHealthPathMoves() throws Exception {
        try (Berth berth = Loopback.serving(DETAILS, "always", "berth.war", Wars.hello().toString(), "berth.health.path", "/hc")) {
            assertThat(Http.get(berth.port(), "/hc/ready").statusCode()).isEqualTo(200);
            assertThat(Http.get(berth.port(), "/health/ready").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void anEmptyHealthPathTurnsHealthOffAndLeavesThePathToTheApplication() throws Exception {
        try (Berth berth = Loopback.serving(DETAILS, "always", "berth.war", Wars.hello().toString(), "berth.health.path", "")) {
            assertThat(Http.get(berth.port(), "/health").statusCode()).isEqualTo(404);
            assertThat(Http.get(berth.port(), "/annotated").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aContextPathLeavesOtherPathsTo404AfterTheSwap() throws Exception {
        try (Berth berth = Loopback.serving(DETAILS, "always", "berth.war", Wars.hello().toString(), "berth.context-path", "/shop")) {
            assertThat(Http.get(berth.port(), "/shop/annotated").statusCode()).isEqualTo(200);
            assertThat(Http.get(berth.port(), "/elsewhere").statusCode()).isEqualTo(404);
            assertThat(Http.get(berth.port(), "/health").statusCode()).isEqualTo(200);
        }
    }
}
