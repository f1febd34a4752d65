package dev.berth.metrics;

import dev.berth.Berth;
import dev.berth.testing.Gate;
import dev.berth.testing.Http;
import dev.berth.testing.Loopback;
import dev.berth.testing.RawHttp;
import dev.berth.testing.Scrape;
import dev.berth.testing.Wars;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Berth's own meters as the deployment happens: metrics answer from the first second, a request held during the
 * deployment is counted while it waits and timed once it is served; a WAR sees none of the metrics libraries.
 */
class MetricsTest {

    @Test
    void aHeldRequestIsCountedWhileItWaitsAndTimedWhenTheHandOverServesIt(@TempDir Path dir) throws Exception {
        Gate gate = Gate.in(dir, "deploy");
        String war = Wars.build("slow", "deploy.gate", gate.path()).toString();
        try (Berth berth = Loopback.start("berth.war", war, "berth.metrics.enabled", "true")) {
            Scrape deploying = scrape(berth);
            assertThat(deploying.sum("berth_phase", "phase", "deploying")).isEqualTo(1);
            assertThat(deploying.sum("berth_handovers_total")).isZero();

            CompletableFuture<HttpResponse<String>> held = HttpClient.newHttpClient().sendAsync(
                    HttpRequest.newBuilder(Http.uri(berth.port(), "/hello")).timeout(Duration.ofMinutes(1)).build(), HttpResponse.BodyHandlers.ofString());
            await().atMost(Duration.ofSeconds(30)).until(() -> scrape(berth).sum("berth_held_requests") == 1);
            Thread.sleep(100);
            gate.open();
            berth.awaitDeployment();
            assertThat(held.get(30, TimeUnit.SECONDS).body()).isEqualTo("hello from the app");

            await().atMost(Duration.ofSeconds(10)).until(() -> !scrape(berth).find("jetty_server_requests_seconds_count", "endpoint", "application").isEmpty());
            Scrape serving = scrape(berth);
            assertThat(serving.sum("berth_phase", "phase", "serving")).isEqualTo(1);
            assertThat(serving.sum("berth_held_requests")).isZero();
            assertThat(serving.sum("berth_held_wait_seconds_count", "outcome", "served")).isEqualTo(1);
            assertThat(serving.sum("berth_held_wait_seconds_sum", "outcome", "served")).as("it waited for the gate").isGreaterThanOrEqualTo(0.1);
            assertThat(serving.sum("berth_held_wait_seconds_count", "outcome", "refused")).isZero();
            assertThat(serving.sum("berth_handovers_total")).isEqualTo(1);
            assertThat(serving.sum("berth_deployment_seconds")).isGreaterThanOrEqualTo(0.1);
            assertThat(serving.sum("jetty_server_requests_seconds_count", "endpoint", "application", "status", "200")).isEqualTo(1);
        }
    }

    @Test
    void aRequestJettyCouldNotReadIsNotTheApplicationsAndAWarSeesNoneOfTheMetricsLibraries() throws Exception {
        try (Berth berth = Loopback.serving("berth.war", Wars.hello().toString(), "berth.metrics.enabled", "true")) {
            assertThat(RawHttp.status(RawHttp.exchange(berth.port(), "GET /a b c HTTP/1.1\r\nHost: x\r\n\r\n"))).isEqualTo(400);
            // the request log runs once the response is sent, so just after the client has it
            await().atMost(Duration.ofSeconds(10)).until(() -> !scrape(berth).find("jetty_server_requests_seconds_count", "endpoint", "rejected").isEmpty());
            Scrape scrape = scrape(berth);
            assertThat(scrape.sum("jetty_server_requests_seconds_count", "endpoint", "rejected", "status", "400")).isEqualTo(1);
            assertThat(scrape.find("jetty_server_requests_seconds_count", "endpoint", "application", "status", "400")).isEmpty();

            Map<String, String> expected = Map.of(
                    "io.micrometer.core.instrument.MeterRegistry", "hidden",
                    "io.prometheus.metrics.model.registry.PrometheusRegistry", "hidden",
                    "com.google.protobuf.Message", "hidden",
                    "io.opentelemetry.proto.metrics.v1.Metric", "hidden",
                    "org.HdrHistogram.Histogram", "hidden",
                    "jakarta.servlet.http.HttpServlet", "visible");
            expected.forEach((name, visibility) ->
                    assertThat(Http.get(berth.port(), "/info?class=" + name).body()).endsWith(" " + name + "=" + visibility));
        }
    }

    private static Scrape scrape(Berth berth) {
        HttpResponse<String> response = Http.get(berth.port(), "/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        return Scrape.parse(response.body());
    }
}
