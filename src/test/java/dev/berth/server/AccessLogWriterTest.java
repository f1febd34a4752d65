package dev.berth.server;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class AccessLogWriterTest {

    @Test
    void everyEntryIsWrittenInOrderByTheTimeItStops() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AccessLogWriter<Integer> writer = new AccessLogWriter<>(out, 100_000, i -> "line " + i);
        writer.start();
        IntStream.range(0, 20_000).forEach(writer::write);
        writer.stop();
        String expected = IntStream.range(0, 20_000).mapToObj(i -> "line " + i + "\n").collect(Collectors.joining());
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(expected);
    }

    @Test
    void aFullQueueDropsAndSaysHowMany() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AccessLogWriter<Integer> writer = new AccessLogWriter<>(out, 10, i -> "line " + i);
        IntStream.range(0, 25).forEach(writer::write); // not started: only 10 fit
        writer.start();
        writer.stop();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("line 0\n", "line 9\n", "15 access log lines dropped")
                .doesNotContain("line 10\n");
    }
}
