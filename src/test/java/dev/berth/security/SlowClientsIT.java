package dev.berth.security;

import dev.berth.testing.BerthProcess;
import dev.berth.testing.RawHttp;
import dev.berth.testing.Wars;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Clients that hold the application's threads (bodies sent a byte every 2 s, a servlet that hangs) cannot
 * starve health: the application may hold the pool's threads less a reserve, and the hand-over answers
 * health outside that limit. Before, 70 trickling bodies held all 64 threads and health went unanswered for
 * as long as they trickled. The answer times are measured by {@code bench/hardening/slow_clients.py}; here
 * health must answer at all, within a client timeout far shorter than the trickle.
 */
class SlowClientsIT {

    private static final String FORM = "POST /parameters HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            + "Content-Length: 1000\r\n\r\n";
    private static final String UPLOAD = "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n";
    private static final int HEALTH_TIMEOUT_MILLIS = 5_000;

    @ParameterizedTest(name = "{0} trickling bodies")
    @ValueSource(ints = {70, 500})
    void tricklingBodiesThatHoldEveryApplicationThreadDoNotStarveHealth(int clients) throws Exception {
        try (BerthProcess berth = BerthProcess.builder().loopback()
                .args("--http.min-request-data-rate=0", "--access-log=off", Wars.build("exposed").toString()).serving("deployed in");
                Trickle trickle = new Trickle(berth.port(), clients, FORM)) {
            trickle.send(3);
            for (int i = 0; i < 5; i++) {
                assertThat(health(berth.port())).as("health while %d bodies trickle", clients).isEqualTo(200);
            }
            assertThat(trickle.open()).as("the trickling connections are still held").isEqualTo(clients);
        }
    }

    @Test
    void aStreamedBodyThatArrivesSlowerThanTheMinimumRateIs408AndFreesItsThread() throws Exception {
        try (BerthProcess berth = BerthProcess.builder().loopback().args("--access-log=off", Wars.build("exposed").toString())
                .serving("deployed in"); Trickle trickle = new Trickle(berth.port(), 70, UPLOAD)) {
            trickle.send(3);
            assertThat(trickle.open()).as("answered within the trickle, long before the 30 s idle timeout").isZero();
            assertThat(trickle.answers()).hasSize(70).allSatisfy(answer -> assertThat(RawHttp.status(answer)).isEqualTo(408));
            assertThat(health(berth.port())).isEqualTo(200);
        }
    }

    @Test
    void requestsThatHangInTheApplicationDoNotStarveHealthAndThoseBeyondTheLimitWaitAndAreServed() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(70);
        try (BerthProcess berth = BerthProcess.builder().loopback().args("--access-log=off", Wars.build("exposed").toString())
                .serving("deployed in")) {
            List<Future<String>> hanging = new ArrayList<>();
            for (int i = 0; i < 70; i++) {
                hanging.add(pool.submit(() -> RawHttp.exchange(berth.port(), "GET /hang?ms=6000 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")));
            }
            // every application thread hangs (58 of the pool's 64): a request for the count waits for one
            await().atMost(Duration.ofSeconds(30)).until(() -> applicationIsFull(berth.port()));
            for (int i = 0; i < 5; i++) {
                assertThat(health(berth.port())).as("health while 70 requests hang").isEqualTo(200);
            }
            assertThat(hanging).as("all still hanging or waiting while health answered").noneMatch(Future::isDone);
            for (Future<String> answer : hanging) {
                assertThat(answer.get(60, TimeUnit.SECONDS)).startsWith("HTTP/1.1 200").contains("woke after 6000 ms");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Whether a request to the application goes unanswered for a second (it waits for a thread). */
    private static boolean applicationIsFull(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), HEALTH_TIMEOUT_MILLIS);
            socket.setSoTimeout(1000);
            socket.getOutputStream().write("GET /hang HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.getInputStream().read();
            return false;
        } catch (SocketTimeoutException waiting) {
            return true;
        }
    }

    /** The status of /health/live, or -1 when it does not answer within the timeout. */
    private static int health(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), HEALTH_TIMEOUT_MILLIS);
            socket.setSoTimeout(HEALTH_TIMEOUT_MILLIS);
            socket.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] head = socket.getInputStream().readNBytes(12);
            return RawHttp.status(new String(head, StandardCharsets.US_ASCII));
        } catch (SocketTimeoutException e) {
            return -1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Connections that each send a form's headers, then one byte of its body every 2 s. */
    private static final class Trickle implements AutoCloseable {
        private final List<Socket> sockets = new ArrayList<>();
        private final Map<Socket, StringBuilder> received = new HashMap<>();

        Trickle(int port, int clients, String head) throws IOException {
            for (int i = 0; i < clients; i++) {
                Socket socket = new Socket();
                sockets.add(socket);
                socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                socket.setSoTimeout(100);
                socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            }
        }

        /** Sends {@code rounds} bytes to each connection still open, 2 s apart. */
        void send(int rounds) throws InterruptedException {
            for (int round = 0; round < rounds; round++) {
                for (Socket socket : sockets) {
                    try {
                        OutputStream out = socket.getOutputStream();
                        out.write('a');
                        out.flush();
                    } catch (IOException closedByServer) {
                        // answered and closed: nothing more to send
                    }
                }
                Thread.sleep(2000);
            }
        }

        /** Connections on which the server has neither answered nor hung up (each looked at for 1 ms). */
        int open() {
            return (int) sockets.stream().filter(socket -> receive(socket, 1).isEmpty() && !socket.isInputShutdown()).count();
        }

        /** The start of what each connection received (each waited for at most 10 s). */
        List<String> answers() {
            return sockets.stream().map(socket -> receive(socket, 10_000)).toList();
        }

        /** What the connection has received so far, waiting up to {@code millis} for its first bytes. */
        private String receive(Socket socket, int millis) {
            StringBuilder seen = received.computeIfAbsent(socket, s -> new StringBuilder());
            if (seen.length() == 0 && !socket.isInputShutdown()) {
                try {
                    socket.setSoTimeout(millis);
                    byte[] head = new byte[64];
                    int n = socket.getInputStream().read(head);
                    if (n < 0) {
                        socket.shutdownInput();
                    } else {
                        seen.append(new String(head, 0, n, StandardCharsets.ISO_8859_1));
                    }
                } catch (SocketTimeoutException silent) {
                    // nothing yet
                } catch (IOException reset) {
                    seen.append("reset");
                }
            }
            return seen.toString();
        }

        @Override
        public void close() throws IOException {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }
}
