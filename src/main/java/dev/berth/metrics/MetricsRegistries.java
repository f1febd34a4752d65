package dev.berth.metrics;

import dev.berth.config.BerthConfig;
import dev.berth.config.OtlpHeaders;
import dev.berth.handover.BerthEndpoints;
import dev.berth.http.SmallResponse;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.ipc.http.HttpUrlConnectionSender;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micrometer.registry.otlp.OtlpConfig;
import io.micrometer.registry.otlp.OtlpHttpMetricsSender;
import io.micrometer.registry.otlp.OtlpMeterRegistry;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
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
        // a collector that does not answer costs a push 2 s to connect and 5 s to answer at most (Micrometer's: 1 s and 10 s)
        Optional<OtlpMeterRegistry> otlp = settings.otlp().url().map(url -> withHistograms(OtlpMeterRegistry.builder(otlpConfig(settings.otlp()))
                .clock(Clock.SYSTEM)
                .metricsSender(new OtlpHttpMetricsSender(new HttpUrlConnectionSender(Duration.ofSeconds(2), Duration.ofSeconds(5))))
                .threadFactory(runnable -> {
                    Thread thread = new Thread(runnable, "berth-metrics-push");
                    thread.setDaemon(true);
                    return thread;
                }).build()));
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
     * Micrometer's OTLP settings from Berth's: the URL, the interval, and the headers ({@link OtlpHeaders}); without
     * headers of Berth's, Micrometer reads {@code OTEL_EXPORTER_OTLP_HEADERS} itself, and {@code OTEL_SERVICE_NAME} and
     * {@code OTEL_RESOURCE_ATTRIBUTES} always.
     */
    private static OtlpConfig otlpConfig(BerthConfig.Metrics.Otlp settings) {
        Map<String, String> values = Map.of("otlp.url", settings.url().orElseThrow().strip(), "otlp.step", settings.interval().toMillis() + "ms");
        Optional<Map<String, String>> headers = settings.headers().map(OtlpHeaders::parse);
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

    MeterRegistry registry() {
        return registry;
    }

    /** Whether metrics are pushed (OTLP). */
    boolean pushes() {
        return otlp.isPresent();
    }

    /**
     * The scrape endpoint, when metrics are served: Prometheus text, or OpenMetrics when the scraper asks for it;
     * {@code first} runs before each scrape.
     */
    Optional<BerthEndpoints.Endpoint> scrapeEndpoint(Runnable first) {
        return prometheus.map(registry -> (path, request, response, callback) -> scrape(registry, first, request, response, callback));
    }

    private static void scrape(PrometheusMeterRegistry registry, Runnable first, Request request, Response response, Callback callback)
            throws Exception {
        if (SmallResponse.refusedUnlessRead(request, response, callback)) {
            return;
        }
        first.run();
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
