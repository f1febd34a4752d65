package dev.berth.metrics;

import dev.berth.config.BerthConfig;
import dev.berth.handover.BerthEndpoints;
import dev.berth.http.SmallResponse;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micrometer.registry.otlp.OtlpConfig;
import io.micrometer.registry.otlp.OtlpMeterRegistry;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.DoubleStream;

/**
 * The registries behind {@link BerthMetrics}: Prometheus's, when {@code berth.metrics.enabled} serves metrics, and
 * OTLP's, when {@code berth.metrics.otlp.url} pushes them; both behind one composite when both are asked for.
 * Request, held-wait and session-store timers keep a histogram of thirteen buckets, so quantiles can be computed
 * where the metrics go.
 */
final class MetricsRegistries implements AutoCloseable {

    /** The timers whose distribution matters: latencies a user asks quantiles of. */
    private static final Set<String> HISTOGRAMS = Set.of("jetty.server.requests", "berth.held.wait", "berth.sessions.store");

    /**
     * Their buckets, in ms: the Prometheus clients' default boundaries (5 ms to 10 s) and two below them, for the
     * responses most applications give. Micrometer's own percentile histogram has about 70, which cost a tiny response
     * 6% of its throughput here (bench/ab.sh: the requests timer without it cost nothing measurable) and doubled the
     * scrape.
     */
    private static final DistributionStatisticConfig BUCKETS = DistributionStatisticConfig.builder()
            .serviceLevelObjectives(DoubleStream.of(1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000)
                    .map(millis -> millis * 1_000_000).toArray())
            .build();

    private final MeterRegistry registry;
    private final Optional<PrometheusMeterRegistry> prometheus;
    private final Optional<OtlpMeterRegistry> otlp;

    private MetricsRegistries(MeterRegistry registry, Optional<PrometheusMeterRegistry> prometheus, Optional<OtlpMeterRegistry> otlp) {
        this.registry = registry;
        this.prometheus = prometheus;
        this.otlp = otlp;
    }

    static MetricsRegistries of(BerthConfig.Metrics settings) {
        Optional<PrometheusMeterRegistry> prometheus = settings.enabled()
                ? Optional.of(withHistograms(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))) : Optional.empty();
        Optional<OtlpMeterRegistry> otlp = settings.otlp().url().map(url -> withHistograms(new OtlpMeterRegistry(otlpConfig(settings.otlp()),
                Clock.SYSTEM, runnable -> {
                    Thread thread = new Thread(runnable, "berth-metrics-push");
                    thread.setDaemon(true);
                    return thread;
                })));
        if (prometheus.isPresent() && otlp.isPresent()) {
            CompositeMeterRegistry both = withHistograms(new CompositeMeterRegistry());
            both.add(prometheus.get());
            both.add(otlp.get());
            return new MetricsRegistries(both, prometheus, otlp);
        }
        return new MetricsRegistries(prometheus.<MeterRegistry>map(p -> p).orElseGet(otlp::orElseThrow), prometheus, otlp);
    }

    private static <R extends MeterRegistry> R withHistograms(R registry) {
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                return HISTOGRAMS.contains(id.getName()) ? BUCKETS.merge(config) : config;
            }
        });
        return registry;
    }

    /**
     * Micrometer's OTLP settings from Berth's: the URL, the interval, and the headers (their values URL-decoded, as the
     * OpenTelemetry exporters read {@code OTEL_EXPORTER_OTLP_HEADERS}); without headers of Berth's, Micrometer reads
     * those variables itself, and {@code OTEL_SERVICE_NAME} and {@code OTEL_RESOURCE_ATTRIBUTES} always.
     */
    private static OtlpConfig otlpConfig(BerthConfig.Metrics.Otlp settings) {
        Map<String, String> values = Map.of("otlp.url", settings.url().orElseThrow().strip(), "otlp.step", settings.interval().toMillis() + "ms");
        Optional<Map<String, String>> headers = settings.headers().map(MetricsRegistries::headers);
        return new OtlpConfig() {
            @Override
            public String get(String key) {
                return values.get(key);
            }

            @Override
            public Map<String, String> headers() {
                return headers.orElseGet(OtlpConfig.super::headers);
            }
        };
    }

    /** {@code NAME=VALUE,NAME=VALUE}, each value URL-decoded (Validation has checked the form). */
    static Map<String, String> headers(String list) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header : list.split(",")) {
            int equals = header.indexOf('=');
            headers.put(header.substring(0, equals).strip(), URLDecoder.decode(header.substring(equals + 1).strip(), StandardCharsets.UTF_8));
        }
        return headers;
    }

    MeterRegistry registry() {
        return registry;
    }

    /** The scrape endpoint, when metrics are served: Prometheus text, or OpenMetrics when the scraper asks for it. */
    Optional<BerthEndpoints.Endpoint> scrapeEndpoint() {
        return prometheus.map(registry -> (path, request, response, callback) -> scrape(registry, request, response, callback));
    }

    private static void scrape(PrometheusMeterRegistry registry, Request request, Response response, Callback callback) throws Exception {
        if (SmallResponse.refusedUnlessRead(request, response, callback)) {
            return;
        }
        List<String> accept = request.getHeaders().getValuesList(HttpHeader.ACCEPT);
        String type = accept.stream().anyMatch(value -> value.contains("application/openmetrics-text"))
                ? OpenMetricsTextFormatWriter.CONTENT_TYPE : PrometheusTextFormatWriter.CONTENT_TYPE;
        ByteArrayOutputStream body = new ByteArrayOutputStream(32 * 1024);
        registry.scrape(body, type);
        response.setStatus(HttpStatus.OK_200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(body.toByteArray()), callback);
    }

    /** Pushes a last time (OTLP) and closes every registry. */
    @Override
    public void close() {
        registry.close();
        prometheus.ifPresent(MeterRegistry::close);
        otlp.ifPresent(MeterRegistry::close);
    }
}
