package dev.berth.server;

import dev.berth.config.ConfigLoader;
import dev.berth.handover.BerthEndpoints;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * What the access log's writer thread spends on one line: a batch of lines formatted into its buffer, as
 * {@code AccessLogWriter} does, then handed to an output that discards them. The entries (what a request thread
 * records) are made beforehand; each is one millisecond after the one before, so the cached text of the second is
 * made again every thousand lines, as under a steady load of a thousand requests a second or more.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AccessLogFormatBenchmark {

    /** Lines a batch: AccessLogWriter writes at most this many at a time. */
    private static final int BATCH = 512;
    private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 40000);

    @Param({"text", "json"})
    public String format;

    @Param({"/hello"})
    public String path;

    private final OutputStream out = OutputStream.nullOutputStream();
    private BiConsumer<AccessLog.Entry, LineBuffer> formatter;
    private LineBuffer buffer;
    private final AccessLog.Entry[] entries = new AccessLog.Entry[1000];
    private int next;

    @Setup
    public void setUp() throws Exception {
        AccessLog log = new AccessLog(ConfigLoader.fromMap(Map.of()), out, new BerthEndpoints());
        formatter = "json".equals(format) ? log::json : log::text;
        buffer = new LineBuffer(16384);
        long time = Instant.parse("2026-11-26T06:05:35.004Z").toEpochMilli();
        for (int i = 0; i < entries.length; i++) {
            entries[i] = new AccessLog.Entry(time + i, "GET", path, 200, 11, 0, CLIENT, null, null);
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void line() throws IOException {
        for (int i = 0; i < BATCH; i++) {
            formatter.accept(entries[next], buffer);
            next = next + 1 == entries.length ? 0 : next + 1;
        }
        buffer.writeTo(out);
    }
}
