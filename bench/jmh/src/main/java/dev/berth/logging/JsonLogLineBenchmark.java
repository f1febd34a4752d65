package dev.berth.logging;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * One line of Berth's JSON log ({@code --log.format=json}) as {@link JsonAppender} makes it with {@link JsonLine}:
 * the timestamp formatted, the thread and the message masked (secrets in URLs), then the JSON text. The message
 * is a typical start-up line, or one with a database URL whose password is masked.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class JsonLogLineBenchmark {

    @Param({"plain", "secret"})
    public String message;

    /** Not a constant, so the JIT cannot fold the formatting away. */
    public long timestamp = 1_795_000_000_123L;
    private String text;

    @Setup
    public void setUp() {
        text = "secret".equals(message)
                ? "Session store jdbc: postgres://berth:s3cr3t-pa55@db.internal:5432/berth is reachable"
                : "Started in 1234 ms: http://0.0.0.0:8080/ serving /app (shop.war)";
    }

    @Benchmark
    public String line() {
        return JsonLine.of(timestamp, "INFO", "dev.berth.deploy.Deployment", "main", text).toString();
    }
}
