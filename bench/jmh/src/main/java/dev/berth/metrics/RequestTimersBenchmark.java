package dev.berth.metrics;

import dev.berth.config.ConfigLoader;
import dev.berth.handover.BerthEndpoints;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * What timing one request costs the thread that answered it, with metrics on: {@code RequestTimers.record} (the
 * endpoint's name, the method, the timer of the tag set, and the record into its histogram of thirteen buckets, or
 * into a timer without a histogram) on two threads at once, as two request threads record into the same timer.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(2)
public class RequestTimersBenchmark {

    /** {@code buckets}: Berth's registry, the histogram included; {@code none}: a plain Prometheus registry, no histogram. */
    @Param({"buckets", "none"})
    public String histogram;

    private MeterRegistry registry;
    private RequestTimers timers;

    @Setup
    public void setUp() throws Exception {
        registry = "none".equals(histogram) ? new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)
                : MetricsRegistries.of(ConfigLoader.fromMap(Map.of("berth.metrics.enabled", "true")).metrics()).registry();
        timers = new RequestTimers(registry, new BerthEndpoints());
    }

    @TearDown
    public void tearDown() {
        registry.close();
    }

    @Benchmark
    public void record() {
        // a response in about a millisecond, as a small page on a busy instance
        timers.record(timers.endpointOf("/hello"), "GET", 200, 600_000 + ThreadLocalRandom.current().nextInt(800_000));
    }
}
