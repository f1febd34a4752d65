package dev.berth.handover;

import dev.berth.Berth;
import dev.berth.BerthException;
import dev.berth.ExitCode;
import dev.berth.config.ConfigLoader;
import dev.berth.testing.Http;
import dev.berth.testing.Wars;

import org.eclipse.jetty.util.ajax.JSON;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The bootstrap health, the held requests and the swap, against a real Jetty and real fixture WARs. */
class HandOverTest {

    @TempDir
    Path dir;

    @AfterEach
    void clearFixtureProperties() {
        System.clearProperty("fixture.slow.millis");
        System.clearProperty("fixture.destroyed.file");
        System.clearProperty("fixture.failing.millis");
    }

    private static Berth start(String war, String... more) throws BerthException {
        Map<String, String> properties = new HashMap<>(Map.of(
                "berth.host", "127.0.0.1", "berth.port", "0", "berth.fallback-ports", "", "berth.war", war));
        for (int i = 0; i < more.length; i += 2) {
            properties.put(more[i], more[i + 1]);
        }
        return Berth.start(ConfigLoader.fromMap(properties));
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

    @Test
    void healthAnswersDuringDeploymentAndFlipsWhenTheApplicationServes() throws Exception {
        System.setProperty("fixture.slow.millis", "2000");
        try (Berth berth = start(Wars.build("slow").toString())) {
            int port = berth.port();
            HttpResponse<String> live = Http.get(port, "/health/live");
            assertThat(live.statusCode()).isEqualTo(200);
            assertThat(json(live)).containsEntry("status", "UP");
            assertThat(data(live)).containsEntry("phase", "DEPLOYING").containsEntry("port", (long) port);
            assertThat(live.headers().firstValue("Cache-Control")).contains("no-store");
            assertThat(live.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
            for (String path : List.of("/health/ready", "/health/started", "/health")) {
                HttpResponse<String> down = Http.get(port, path);
                assertThat(down.statusCode()).as(path).isEqualTo(503);
                assertThat(json(down)).as(path).containsEntry("status", "DOWN");
            }
            assertThat((Object[]) json(Http.get(port, "/health")).get("checks")).hasSize(3);

            berth.awaitDeployment();
            for (String path : List.of("/health/live", "/health/ready", "/health/started", "/health")) {
                HttpResponse<String> up = Http.get(port, path);
                assertThat(up.statusCode()).as(path).isEqualTo(200);
                assertThat(data(up)).containsEntry("phase", "SERVING");
                assertThat((Long) data(up).get("deploymentMs")).isGreaterThanOrEqualTo(2000L);
            }
            assertThat(Http.get(port, "/health").body()).doesNotContain(dir.getRoot().toString(), "/work", ".war");
        }
    }

    @Test
    void headWorksAndOtherMethodsAreRefused() throws Exception {
        try (Berth berth = start(Wars.hello().toString())) {
            berth.awaitDeployment();
            HttpResponse<String> head = Http.send(HttpRequest.newBuilder(Http.uri(berth.port(), "/health/ready"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
            HttpResponse<String> post = Http.send(HttpRequest.newBuilder(Http.uri(berth.port(), "/health"))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build());
            assertThat(post.statusCode()).isEqualTo(405);
        }
    }

    @Test
    void aRequestSentDuringDeploymentIsAnsweredByTheApplication() throws Exception {
        System.setProperty("fixture.slow.millis", "1500");
        try (Berth berth = start(Wars.build("slow").toString())) {
            CompletableFuture<HttpResponse<String>> early = HttpClient.newHttpClient().sendAsync(
                    HttpRequest.newBuilder(Http.uri(berth.port(), "/hello")).build(), HttpResponse.BodyHandlers.ofString());
            await().atMost(Duration.ofSeconds(5)).until(() -> Http.get(berth.port(), "/health/live").statusCode() == 200);
            assertThat(berth.phase()).isEqualTo(Phase.DEPLOYING);
            assertThat(early).isNotDone();
            HttpResponse<String> response = early.get();
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("hello from the app");
            assertThat(berth.phase()).isEqualTo(Phase.SERVING);
        }
    }

    @Test
    void aHeldRequestGets503WithRetryAfterWhenTheHoldRunsOut() throws Exception {
        System.setProperty("fixture.slow.millis", "4000");
        try (Berth berth = start(Wars.build("slow").toString(), "berth.startup.hold", "300ms")) {
            HttpResponse<String> response = Http.get(berth.port(), "/hello");
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).contains("5");
            assertThat(response.body()).isEqualTo("starting\n");
            assertThat(berth.phase()).isEqualTo(Phase.DEPLOYING);
        }
    }

    @Test
    void beyondMaxHeldRequestsAreRefusedAtOnce() throws Exception {
        System.setProperty("fixture.slow.millis", "4000");
        try (Berth berth = start(Wars.build("slow").toString(), "berth.startup.max-held", "0")) {
            long begin = System.nanoTime();
            HttpResponse<String> response = Http.get(berth.port(), "/hello");
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void manyClientsAcrossTheSwapSeeNoErrorAndNo5xx() throws Exception {
        System.setProperty("fixture.slow.millis", "1500");
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger afterSwap = new AtomicInteger();
        try (Berth berth = start(Wars.build("slow").toString())) {
            List<Thread> clients = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Thread client = new Thread(() -> {
                    HttpClient http = HttpClient.newHttpClient();
                    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                    // bounded: stops after 40 successes past the swap, or 30 s, whichever is first
                    while (afterSwap.get() < 8 * 40 && System.nanoTime() < deadline) {
                        try {
                            HttpResponse<String> r = http.send(HttpRequest.newBuilder(Http.uri(berth.port(), "/hello")).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() != 200) {
                                problems.add("status " + r.statusCode());
                            } else {
                                ok.incrementAndGet();
                                if (berth.phase() == Phase.SERVING) {
                                    afterSwap.incrementAndGet();
                                }
                            }
                        } catch (Exception e) {
                            problems.add(e.toString());
                        }
                    }
                });
                clients.add(client);
                client.start();
            }
            for (Thread client : clients) {
                client.join(Duration.ofSeconds(40).toMillis());
            }
        }
        assertThat(problems).isEmpty();
        assertThat(ok.get()).isGreaterThanOrEqualTo(8 * 40);
    }

    @Test
    void aFailedDeploymentStaysUpWithReadinessDownWhenAskedTo() throws Exception {
        System.setProperty("fixture.failing.millis", "800");
        try (Berth berth = start(Wars.build("failing").toString(), "berth.deploy.on-failure", "stay")) {
            CompletableFuture<HttpResponse<String>> held = HttpClient.newHttpClient().sendAsync(
                    HttpRequest.newBuilder(Http.uri(berth.port(), "/anything")).build(), HttpResponse.BodyHandlers.ofString());
            List<Integer> readiness = new ArrayList<>();
            while (berth.phase() == Phase.DEPLOYING) {
                readiness.add(Http.get(berth.port(), "/health/ready").statusCode());
            }
            berth.awaitDeployment();
            readiness.add(Http.get(berth.port(), "/health/ready").statusCode());
            assertThat(readiness).isNotEmpty().containsOnly(503);
            assertThat(data(Http.get(berth.port(), "/health/ready"))).containsEntry("phase", "FAILED");
            assertThat(held.get().statusCode()).isEqualTo(503);
            assertThat(Http.get(berth.port(), "/anything").statusCode()).isEqualTo(503);
            assertThat(Http.get(berth.port(), "/health/live").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aFailedDeploymentStopsBerthAndThrowsByDefault() throws Exception {
        System.setProperty("fixture.failing.millis", "10");
        try (Berth berth = start(Wars.build("failing").toString())) {
            assertThatThrownBy(berth::awaitDeployment).isInstanceOfSatisfying(BerthException.class, e -> {
                assertThat(e.exitCode()).isEqualTo(ExitCode.SOFTWARE);
                assertThat(e.description()).contains("failing.war failed to deploy", "IllegalStateException: database unreachable at startup");
            });
            assertThat(berth.isRunning()).isFalse();
        }
    }

    @Test
    void stoppingTheServerRunsContextDestroyed() throws Exception {
        System.setProperty("fixture.slow.millis", "10");
        Path marker = dir.resolve("destroyed");
        System.setProperty("fixture.destroyed.file", marker.toString());
        Berth berth = start(Wars.build("slow").toString());
        berth.awaitDeployment();
        assertThat(marker).doesNotExist();
        berth.close();
        assertThat(Files.readString(marker)).isEqualTo("destroyed\n");
    }

    @Test
    void theHealthPathMovesAndAnEmptyOneTurnsHealthOff() throws Exception {
        try (Berth berth = start(Wars.hello().toString(), "berth.health.path", "/hc")) {
            berth.awaitDeployment();
            assertThat(Http.get(berth.port(), "/hc/ready").statusCode()).isEqualTo(200);
            assertThat(Http.get(berth.port(), "/health/ready").statusCode()).isEqualTo(404);
        }
        try (Berth berth = start(Wars.hello().toString(), "berth.health.path", "")) {
            berth.awaitDeployment();
            assertThat(Http.get(berth.port(), "/health").statusCode()).isEqualTo(404);
            assertThat(Http.get(berth.port(), "/annotated").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aContextPathLeavesOtherPathsTo404AfterTheSwap() throws Exception {
        try (Berth berth = start(Wars.hello().toString(), "berth.context-path", "/shop")) {
            berth.awaitDeployment();
            assertThat(Http.get(berth.port(), "/shop/annotated").statusCode()).isEqualTo(200);
            assertThat(Http.get(berth.port(), "/elsewhere").statusCode()).isEqualTo(404);
            assertThat(Http.get(berth.port(), "/health").statusCode()).isEqualTo(200);
        }
    }
}
