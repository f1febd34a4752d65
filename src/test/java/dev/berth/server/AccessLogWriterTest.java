package dev.berth.server;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class AccessLogWriterTest {

    private static void line(Object entry, LineBuffer out) {
        out.put("line " + entry);
    }

    @Test
    void everyEntryIsWrittenInOrderByTheTimeItStops() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AccessLogWriter<Integer> writer = new AccessLogWriter<>(out, 100_000, AccessLogWriterTest::line);
        writer.start();
        IntStream.range(0, 20_000).forEach(writer::write);
        writer.stop();
        String expected = IntStream.range(0, 20_000).mapToObj(i -> "line " + i + "\n").collect(Collectors.joining());
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(expected);
    }

    @Test
    void aQuietWriterSleepsUntilTheNextEntryAndWritesItAtOnce() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AccessLogWriter<Integer> writer = new AccessLogWriter<>(out, 1000, AccessLogWriterTest::line);
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        writer.start();
        try {
            Thread thread = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("berth-access-log") && !before.contains(t)).findFirst().orElseThrow();
            // after a second without entries it parks without a timeout: no more polling
            await().atMost(Duration.ofSeconds(30)).until(() -> thread.getState() == Thread.State.WAITING);
            for (int round = 0; round < 3; round++) {
                writer.write(round);
                int expected = round;
                await().atMost(Duration.ofSeconds(30)).until(() -> out.toString(StandardCharsets.UTF_8).contains("line " + expected + "\n"));
                await().atMost(Duration.ofSeconds(30)).until(() -> thread.getState() == Thread.State.WAITING);
            }
        } finally {
            writer.stop();
        }
    }

    @Test
    void aCollectorThatFallsBehindMakesWritersWaitAndLosesNoLine() throws Exception {
        CountDownLatch collectorReads = new CountDownLatch(1);
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        OutputStream slowCollector = new OutputStream() {
            @Override
            public void write(int b) {
                throw new UnsupportedOperationException();
            }

            @Override
            public synchronized void write(byte[] b, int off, int len) throws IOException {
                try {
                    collectorReads.await();
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
                written.write(b, off, len);
            }
        };
        AccessLogWriter<String> writer = new AccessLogWriter<>(slowCollector, 10, AccessLogWriterTest::line);
        writer.start();
        AtomicInteger finished = new AtomicInteger();
        List<Thread> connections = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            int connection = c;
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 200; i++) {
                    writer.write(connection + "-" + i);
                }
                finished.incrementAndGet();
            });
            thread.start();
            connections.add(thread);
        }
        // the writer holds one batch at the stalled collector and the queue at most about 10 more, far fewer than
        // the 800 lines: each connection ends up waiting for room inside write(), and once seen there it cannot
        // finish before the collector reads again, however fast or slow the machine is
        Set<Thread> waiting = ConcurrentHashMap.newKeySet();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(1)).until(() -> {
            connections.stream().filter(AccessLogWriterTest::waitsInsideWrite).forEach(waiting::add);
            return waiting.size() == connections.size();
        });
        assertThat(finished).hasValue(0);
        collectorReads.countDown();
        for (Thread connection : connections) {
            connection.join(Duration.ofSeconds(60).toMillis());
        }
        assertThat(connections).as("every connection wrote its lines").noneMatch(Thread::isAlive);
        writer.stop();

        List<String> lines = written.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(800);
        for (int c = 0; c < 4; c++) {
            String prefix = "line " + c + "-";
            List<String> ofConnection = lines.stream().filter(l -> l.startsWith(prefix)).toList();
            assertThat(ofConnection).containsExactlyElementsOf(
                    IntStream.range(0, 200).mapToObj(i -> prefix + i).toList());
        }
    }

    /** Whether {@code thread} is parked inside {@link AccessLogWriter#write}: it parks there only while the queue is full. */
    private static boolean waitsInsideWrite(Thread thread) {
        Thread.State state = thread.getState();
        return (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING) && Arrays.stream(thread.getStackTrace())
                .anyMatch(frame -> frame.getClassName().equals(AccessLogWriter.class.getName()) && frame.getMethodName().equals("write"));
    }
}
