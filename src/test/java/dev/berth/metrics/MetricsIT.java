package dev.berth.metrics;

import dev.berth.testing.BerthProcess;
import dev.berth.testing.FaultProxy;
import dev.berth.testing.Http;
import dev.berth.testing.OtlpReceiver;
import dev.berth.testing.PostgresServer;
import dev.berth.testing.Scrape;
import dev.berth.testing.Started;
import dev.berth.testing.Wars;

import io.opentelemetry.proto.metrics.v1.Metric;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.CookieManager;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * berth.metrics.* through the real jar: a Prometheus scrape, in the text format and in OpenMetrics, on the main port
 * and on the management port, after a load of the application, with the JDBC session store on a real PostgreSQL,
 * shows every family Berth promises with values the load explains; with metrics off, no class of Micrometer loads.
 */
class MetricsIT {

    private static final Pattern MANAGEMENT = Pattern.compile("Management endpoints on port (\\d+)");
    private static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0,text/plain;version=0.0.4;q=0.5";

    @Started
    private static PostgresServer postgres;

    @Test
    void aScrapeAfterALoadShowsEveryFamilyWithTheValuesTheLoadExplains() throws Exception {
        try (BerthProcess berth = BerthProcess.builder().loopback().env("DATABASE_URL", postgres.databaseUrl())
                .args("--sessions.store=jdbc", "--sessions.jdbc.pool-size=3", "--threads.max=50", "--metrics.enabled=true", "--management.port=0",
                        Wars.build("sessions").toString())
                .serving("deployed in")) {
            HttpClient client = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
            assertThat(send(client, berth.port(), "/login?user=ada").statusCode()).isEqualTo(200);
            int carts = 40;
            for (int i = 0; i < carts; i++) {
                assertThat(send(client, berth.port(), "/cart?add=item" + i).statusCode()).isEqualTo(200);
            }
            for (int i = 0; i < 5; i++) {
                assertThat(Http.get(berth.port(), "/health/ready").statusCode()).isEqualTo(200);
            }
            assertThat(Http.get(berth.port(), "/nothing-here").statusCode()).isEqualTo(404);
            berth.awaitOutput("/nothing-here");

            HttpResponse<String> text = Http.get(berth.port(), "/metrics");
            assertThat(text.statusCode()).isEqualTo(200);
            assertThat(text.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            Scrape scrape = Scrape.parse(text.body());

            // Jetty's requests, the application's apart from Berth's own, with a histogram
            assertThat(scrape.sum("jetty_server_requests_seconds_count", "endpoint", "application", "status", "200"))
                    .isGreaterThanOrEqualTo(carts + 1);
            assertThat(scrape.sum("jetty_server_requests_seconds_count", "endpoint", "application", "outcome", "CLIENT_ERROR")).isEqualTo(1);
            assertThat(scrape.sum("jetty_server_requests_seconds_count", "endpoint", "health")).isGreaterThanOrEqualTo(5);
            assertThat(scrape.find("jetty_server_requests_seconds_bucket", "endpoint", "application", "le", "+Inf")).isNotEmpty();
            assertThat(scrape.sum("jetty_server_requests_seconds_sum", "endpoint", "application")).isPositive();
            assertThat(scrape.sum("berth_requests_active")).as("the scrape itself").isGreaterThanOrEqualTo(1);
            // Jetty's connections and thread pool
            assertThat(scrape.sum("jetty_connections_current_connections")).as("the client's, kept alive").isGreaterThanOrEqualTo(1);
            assertThat(scrape.sum("jetty_connections_max_connections")).isGreaterThanOrEqualTo(1);
            assertThat(scrape.find("jetty_connections_messages_in_messages_total")).isNotEmpty();
            assertThat(scrape.sum("jetty_threads_config_max")).isEqualTo(50);
            assertThat(scrape.sum("jetty_threads_busy")).isBetween(1.0, 50.0);
            assertThat(scrape.find("jetty_threads_jobs")).isNotEmpty();
            // the JVM
            assertThat(scrape.sum("jvm_memory_used_bytes", "area", "heap")).isPositive();
            assertThat(scrape.sum("jvm_gc_memory_allocated_bytes_total")).isGreaterThanOrEqualTo(0);
            assertThat(scrape.sum("jvm_threads_live_threads")).isGreaterThan(10);
            assertThat(scrape.sum("jvm_classes_loaded_classes")).isGreaterThan(1000);
            assertThat(scrape.sum("process_cpu_usage")).isBetween(0.0, 1.0);
            // the session store's pool (Hikari's own tracker), its calls, its readiness
            assertThat(scrape.sum("hikaricp_connections_max", "pool", "berth-sessions")).isEqualTo(3);
            assertThat(scrape.sum("hikaricp_connections_acquire_seconds_count", "pool", "berth-sessions")).isGreaterThanOrEqualTo(carts);
            assertThat(scrape.sum("berth_sessions_store_seconds_count", "operation", "store", "outcome", "success")).isGreaterThanOrEqualTo(carts);
            assertThat(scrape.find("berth_sessions_store_seconds_count", "outcome", "failure")).as("no call failed").isEmpty();
            assertThat(scrape.find("berth_sessions_store_seconds_bucket", "operation", "store", "le", "+Inf")).isNotEmpty();
            assertThat(scrape.sum("berth_backing_up", "service", "sessions-jdbc")).isEqualTo(1);
            // Berth's own
            assertThat(scrape.sum("berth_phase", "phase", "serving")).isEqualTo(1);
            assertThat(scrape.sum("berth_phase", "phase", "deploying")).isZero();
            assertThat(scrape.sum("berth_deployment_seconds")).isPositive();
            assertThat(scrape.sum("berth_handovers_total")).isEqualTo(1);
            assertThat(scrape.sum("berth_held_requests")).isZero();
            assertThat(scrape.find("berth_held_wait_seconds_count", "outcome", "served")).isNotEmpty();
            assertThat(scrape.sum("berth_access_log_backlog")).isGreaterThanOrEqualTo(0);

            Matcher management = MANAGEMENT.matcher(berth.output());
            assertThat(management.find()).as("the management port is logged").isTrue();
            // health: names and states on the public port, every check's data on the management port
            assertThat(Http.get(berth.port(), "/health").body()).contains("\"name\":\"sessions-jdbc\"").doesNotContain("\"data\"");
            assertThat(Http.get(Integer.parseInt(management.group(1)), "/health").body()).contains("\"data\":{\"phase\":\"SERVING\"");
            HttpResponse<String> open = Http.send(HttpRequest.newBuilder(Http.uri(Integer.parseInt(management.group(1)), "/metrics"))
                    .header("Accept", OPENMETRICS).build());
            assertThat(open.statusCode()).isEqualTo(200);
            assertThat(open.headers().firstValue("Content-Type")).hasValue("application/openmetrics-text; version=1.0.0; charset=utf-8");
            assertThat(open.body()).endsWith("# EOF\n");
            Scrape openMetrics = Scrape.parse(open.body());
            assertThat(openMetrics.sum("berth_handovers_total")).isEqualTo(1);
            assertThat(openMetrics.sum("jetty_server_requests_seconds_count", "endpoint", "metrics")).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void aSessionStoreThatDropsOutIsCountedAsFailedCallsAndADownService() throws Exception {
        try (FaultProxy proxy = FaultProxy.to(postgres.port());
             BerthProcess berth = BerthProcess.builder().loopback().env("DATABASE_URL", postgres.databaseUrlVia(proxy.port()))
                     .args("--sessions.store=jdbc", "--metrics.enabled=true", Wars.build("sessions").toString())
                     .serving("deployed in")) {
            HttpClient client = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
            assertThat(send(client, berth.port(), "/login?user=ada").statusCode()).isEqualTo(200);
            assertThat(Scrape.parse(Http.get(berth.port(), "/metrics").body()).sum("berth_backing_up", "service", "sessions-jdbc")).isEqualTo(1);

            proxy.close();
            assertThat(send(client, berth.port(), "/cart?add=lost").statusCode()).as("the store is gone").isEqualTo(503);
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    Scrape.parse(Http.get(berth.port(), "/metrics").body()).sum("berth_backing_up", "service", "sessions-jdbc") == 0);
            Scrape scrape = Scrape.parse(Http.get(berth.port(), "/metrics").body());
            assertThat(scrape.sum("berth_sessions_store_seconds_count", "operation", "load", "outcome", "failure")).isGreaterThanOrEqualTo(1);
            assertThat(scrape.sum("jetty_server_requests_seconds_count", "endpoint", "application", "status", "503")).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void withMetricsOffNoClassOfMicrometerLoadsAndTheApplicationKeepsTheirPath(@TempDir Path dir) throws Exception {
        Path off = dir.resolve("off.log");
        try (BerthProcess berth = BerthProcess.builder().loopback().jvm("-Xlog:class+load=info:file=" + off)
                .args(Wars.hello().toString()).serving("deployed in")) {
            assertThat(Http.get(berth.port(), "/metrics").statusCode()).as("the application's path").isEqualTo(404);
            assertThat(Http.get(berth.port(), "/annotated").statusCode()).isEqualTo(200);
            assertThat(berth.terminate()).isEqualTo(143);
        }
        assertThat(Files.readString(off)).contains("dev.berth.Berth ").doesNotContain("io.micrometer.", "io.prometheus.", "dev.berth.metrics.");

        Path on = dir.resolve("on.log");
        try (BerthProcess berth = BerthProcess.builder().loopback().jvm("-Xlog:class+load=info:file=" + on)
                .args("--metrics.enabled=true", Wars.hello().toString()).serving("deployed in")) {
            assertThat(Http.get(berth.port(), "/annotated").statusCode()).isEqualTo(200);
            assertThat(Http.get(berth.port(), "/metrics").body()).contains("jetty_server_requests_seconds_count{endpoint=\"application\"");
        }
        assertThat(Files.readString(on)).contains("io.micrometer.core.instrument.MeterRegistry ", "dev.berth.metrics.BerthMetrics ");
    }

    @Test
    void pushedOverOtlpACollectorReceivesTheSameFamiliesWithTheHeadersAndALastExportAtTheStop() throws Exception {
        try (OtlpReceiver collector = new OtlpReceiver();
             BerthProcess berth = BerthProcess.builder().loopback().env("OTEL_SERVICE_NAME", "shop")
                     .args("--metrics.otlp.url=" + collector.url(), "--metrics.otlp.interval=1s",
                             "--metrics.otlp.headers=Authorization=Bearer%20t0ken,X-Scope=berth", Wars.hello().toString())
                     .serving("deployed in")) {
            assertThat(Http.get(berth.port(), "/annotated").statusCode()).isEqualTo(200);
            assertThat(Http.get(berth.port(), "/metrics").statusCode()).as("pushed, not served: the application's path").isEqualTo(404);
            // a request thread's durations are recorded at most a second after it answered, then pushed
            await().atMost(Duration.ofSeconds(30)).until(() -> collector.exports().stream().anyMatch(MetricsIT::countsARequest));
            OtlpReceiver.Export export = collector.exports().stream().filter(MetricsIT::countsARequest).findFirst().orElseThrow();
            assertThat(export.headers()).containsEntry("authorization", "Bearer t0ken").containsEntry("x-scope", "berth");
            assertThat(export.request().getResourceMetrics(0).getResource().getAttributesList())
                    .anySatisfy(attribute -> assertThat(attribute.getKey() + "=" + attribute.getValue().getStringValue()).isEqualTo("service.name=shop"));
            assertThat(names(export)).contains("jetty.server.requests", "jetty.threads.busy", "jvm.memory.used", "jvm.threads.live",
                    "process.cpu.usage", "berth.phase", "berth.handovers", "berth.held.requests", "berth.deployment");
            Metric requests = export.metrics().stream().filter(metric -> metric.getName().equals("jetty.server.requests")).findFirst().orElseThrow();
            assertThat(requests.hasHistogram()).isTrue();
            assertThat(requests.getHistogram().getDataPointsList()).anySatisfy(point -> assertThat(point.getCount()).isPositive());

            int before = collector.exports().size();
            assertThat(berth.terminate()).isEqualTo(143);
            List<OtlpReceiver.Export> exports = collector.exports();
            assertThat(exports).as("the registry's close pushes once more").hasSizeGreaterThan(before);
            Metric phase = exports.get(exports.size() - 1).metrics().stream().filter(metric -> metric.getName().equals("berth.phase"))
                    .findFirst().orElseThrow();
            assertThat(phase.getGauge().getDataPointsList()).as("the last export is the stop's").anySatisfy(point -> {
                assertThat(point.getAttributes(0).getValue().getStringValue()).isEqualTo("stopping");
                assertThat(point.getAsDouble()).isEqualTo(1.0);
            });
        }
    }

    @Test
    void aCollectorThatNeverAnswersDoesNotHoldTheStopOrBerthsFiles(@TempDir Path dir) throws Exception {
        Path pid = dir.resolve("berth.pid");
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             BerthProcess berth = BerthProcess.builder().loopback()
                     .args("--metrics.otlp.url=http://127.0.0.1:" + silent.getLocalPort() + "/v1/metrics", "--metrics.otlp.interval=1s",
                             "--shutdown.delay=0s", "--shutdown.timeout=2s", "--pid-file=" + pid, Wars.hello().toString())
                     .serving("deployed in")) {
            silent.setSoTimeout(30_000);
            // the first push connects and waits for an answer that never comes
            try (Socket first = silent.accept()) {
                assertThat(berth.terminate()).isEqualTo(143);
                assertThat(pid).as("removed before the last push is given up on").doesNotExist();
                assertThat(berth.output()).contains("The last push of metrics did not end within the stop's time");
            }
        }
    }

    private static boolean countsARequest(OtlpReceiver.Export export) {
        return export.metrics().stream().filter(metric -> metric.getName().equals("jetty.server.requests"))
                .anyMatch(metric -> metric.getHistogram().getDataPointsList().stream().anyMatch(point -> point.getCount() > 0));
    }

    private static List<String> names(OtlpReceiver.Export export) {
        return export.metrics().stream().map(Metric::getName).toList();
    }

    private static HttpResponse<String> send(HttpClient client, int port, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(Http.uri(port, path)).timeout(Http.TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    }
}
