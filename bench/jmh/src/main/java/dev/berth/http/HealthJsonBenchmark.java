package dev.berth.http;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The body of {@code /health}, built with {@link Json} in the shape HealthHandler gives it: three checks (live,
 * ready, started) sharing one data object, and one backing service that is down with its error. A platform probes
 * health every few seconds, so this is about what one probe costs besides the HTTP exchange.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HealthJsonBenchmark {

    /** Not constants, so the JIT cannot fold the body away. */
    public int port = 8080;
    public long deploymentMillis = 731;

    @Benchmark
    public String body() {
        Json data = Json.object().put("phase", "SERVING").put("port", port).put("deploymentMs", deploymentMillis).put("held", 0);
        List<Json> checks = List.of(check("live", "UP", data), check("ready", "DOWN", data), check("started", "UP", data),
                Json.object().put("name", "sessions-redis").put("status", "DOWN")
                        .put("data", Json.object().put("error", "Connection refused: 127.0.0.1:6379")));
        return Json.object().put("status", "DOWN").put("checks", checks).toString();
    }

    private static Json check(String name, String status, Json data) {
        return Json.object().put("name", "berth-" + name).put("status", status).put("data", data);
    }
}
