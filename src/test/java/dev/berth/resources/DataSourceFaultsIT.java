package dev.berth.resources;

import dev.berth.testing.BerthProcess;
import dev.berth.testing.FaultProxy;
import dev.berth.testing.Http;
import dev.berth.testing.PostgresServer;
import dev.berth.testing.Started;
import dev.berth.testing.Wars;

import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A DataSource Berth binds ({@code berth.datasource.NAME.url}) behind a proxy that fails the way networks fail.
 * A failover of the database (or a partition) drops the packets of the connections open to the old primary, with
 * no reset and no close, while new connections work: a query in flight on such a connection waits for an answer
 * that never comes, and the kernel says nothing for hours (TCP keepalive probes start after two). Berth sets no
 * socketTimeout on a DataSource, as it cannot know how long the application's queries may legitimately run, so
 * two things bound the damage. A URL's own {@code ?socketTimeout=N} is honoured: the dead connections fail their
 * requests after N seconds and leave the pool, and requests are served again on new connections, not after
 * hours. And readiness, whose probe waits a bounded time for a connection whatever the URL says, turns DOWN when
 * dead connections hold the whole pool, so the load balancer stops sending while nothing can be served.
 */
class DataSourceFaultsIT {

    /** Looks jdbc/app up, bound here from a setting; its readiness check is named after it. */
    private static final Path WAR = Wars.build("datasource");
    private static final String ANSWER = "db=berth answer=42";
    private static final String CHECK_DOWN = "\"name\":\"datasource-jdbc/app\",\"status\":\"DOWN\"";
    private static final Pattern CHECK_ERROR = Pattern.compile(Pattern.quote(CHECK_DOWN) + ",\"data\":\\{\"error\":\"([^\"]*)\"");
    private static final int CLIENTS = 8;
    private static final int SOCKET_TIMEOUT_SECONDS = 5;
    /** Generous: these machines are busy with other work. What is measured is printed. */
    private static final long RECOVERY_BOUND_MILLIS = 90_000;
    private static final long READINESS_BOUND_MILLIS = 60_000;
    /** Six times the socketTimeout: a request that a dead connection holds must end on Berth's side, long before the client's. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    @Started
    private static PostgresServer postgres;

    /**
     * Berth's default pool of four under more clients than connections. The requests on the dead connections are
     * answered (500) after the socketTimeout, never left to the client's timeout; the others are served on new
     * connections meanwhile, so readiness need not turn DOWN here (what it did is printed).
     */
    @Test
    void afterAFailoverThatDropsThePooledConnectionsEveryRequestIsAnsweredAndServedAgainWithinTheUrlsSocketTimeout() throws Exception {
        try (FaultProxy proxy = FaultProxy.to(postgres.port());
             BerthProcess berth = berth(urlThrough(proxy, "?socketTimeout=" + SOCKET_TIMEOUT_SECONDS), 4)) {
            assertThat(query(berth.port())).extracting(HttpResponse::body).isEqualTo(ANSWER);
            try (Load load = new Load(berth.port())) {
                awaitOpenConnections(proxy, 4);
                long frozenAt = load.failover(proxy);

                long servedAfter = load.awaitEveryClientServedSince(frozenAt);
                long readyAfter = awaitReady(berth.port(), frozenAt);
                load.stop();
                System.out.printf("every client served again %d ms and readiness UP %d ms after the failover (socketTimeout=%d s); "
                                + "longest request %d ms; first failure: %s; %s%n", servedAfter, readyAfter, SOCKET_TIMEOUT_SECONDS,
                        load.longestAfterFailover(), load.firstFailureAfterFailover(), load.readiness.report(frozenAt));
                assertThat(load.firstFailureAfterFailover()).as("a request failed after the failover: it caught the pool in use")
                        .startsWith("500 ");
                assertThat(load.unansweredAfterFailover()).as("requests the clients gave up on after %d s, held by dead connections",
                        REQUEST_TIMEOUT.toSeconds()).isZero();
            }
            for (int i = 0; i < 20; i++) {
                assertThat(query(berth.port())).as("request %d after the recovery", i).isNotNull()
                        .extracting(HttpResponse::body).isEqualTo(ANSWER);
            }
        }
    }

    /**
     * A pool of one, so that the failover can hold all of it, and no socketTimeout (Berth's default): the request
     * on the dead connection waits as long as the network drops its packets, but readiness turns DOWN and every
     * other request is answered after Berth's wait for a connection; once the packets flow again, all is served.
     */
    @Test
    void whileADeadConnectionHoldsTheWholePoolReadinessIsDownAndRequestsFailFastEvenWithoutASocketTimeout() throws Exception {
        try (FaultProxy proxy = FaultProxy.to(postgres.port());
             BerthProcess berth = berth(urlThrough(proxy, ""), 1)) {
            assertThat(query(berth.port())).extracting(HttpResponse::body).isEqualTo(ANSWER);
            try (Load load = new Load(berth.port())) {
                awaitOpenConnections(proxy, 1);
                long frozenAt = load.failoverCatchingThePoolInUse(proxy);

                long downAfter = load.readiness.awaitDown(frozenAt, load::lastAnswers);
                long asked = System.nanoTime();
                HttpResponse<String> duringOutage = query(berth.port());
                long answeredAfter = millisSince(asked);
                System.out.printf("readiness DOWN %d ms after the failover (no socketTimeout, one connection): %s; "
                        + "a request during the outage answered in %d ms: %s%n", downAfter, load.readiness.error, answeredAfter,
                        duringOutage == null ? "no answer" : duringOutage.statusCode() + " " + duringOutage.body());
                assertThat(load.readiness.error).as("what the check says").isNotBlank().doesNotContain(postgres.password());
                assertThat(duringOutage).as("a request while the pool is held, answered within %d s", REQUEST_TIMEOUT.toSeconds())
                        .isNotNull().extracting(HttpResponse::statusCode).isEqualTo(500);

                proxy.pass();
                long healedAt = System.nanoTime();
                long servedAfter = load.awaitEveryClientServedSince(healedAt);
                long readyAfter = awaitReady(berth.port(), healedAt);
                System.out.printf("every client served again %d ms and readiness UP %d ms after the network healed%n", servedAfter, readyAfter);
            }
            assertThat(berth.output()).contains("datasource-jdbc/app is unreachable").doesNotContain(postgres.password());
        }
    }

    /** {@code postgres://} URL of the database through {@code proxy}, with {@code query} ("" for none). */
    private static String urlThrough(FaultProxy proxy, String query) {
        return postgres.databaseUrlVia(proxy.port()) + query;
    }

    private static BerthProcess berth(String url, int poolSize) {
        return BerthProcess.builder().loopback()
                .args("--datasource.app.url=" + url, "--datasource.app.pool-size=" + poolSize, WAR.toString())
                .serving("deployed in");
    }

    /** Under load the pool opens its connections: the failover must catch them. */
    private static void awaitOpenConnections(FaultProxy proxy, int count) throws InterruptedException {
        for (int look = 0; look < 1200 && proxy.openConnections() < count; look++) {
            Thread.sleep(50);
        }
        assertThat(proxy.openConnections()).as("connections through the proxy").isGreaterThanOrEqualTo(count);
    }

    /** Polls readiness until it is UP (bounded); returns the milliseconds since {@code since}. */
    private static long awaitReady(int port, long since) throws InterruptedException {
        while (true) {
            HttpResponse<String> ready = get(port, "/health/ready");
            long after = millisSince(since);
            if (ready != null && ready.statusCode() == 200) {
                return after;
            }
            assertThat(after).as("readiness still not UP: " + (ready == null ? "no answer" : ready.statusCode() + " " + ready.body()))
                    .isLessThan(RECOVERY_BOUND_MILLIS);
            Thread.sleep(50);
        }
    }

    private static HttpResponse<String> query(int port) {
        return get(port, "/query");
    }

    /** The answer, or null when there was none within {@link #REQUEST_TIMEOUT}. */
    private static HttpResponse<String> get(int port, String path) {
        try {
            return Http.send(HttpRequest.newBuilder(Http.uri(port, path)).GET().timeout(REQUEST_TIMEOUT).build());
        } catch (RuntimeException noAnswer) {
            return null;
        }
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }

    /** {@link #CLIENTS} clients asking /query over and over, and one watching readiness, until stopped. */
    private static final class Load implements AutoCloseable {
        private final AtomicBoolean stop = new AtomicBoolean();
        private final ExecutorService threads = Executors.newFixedThreadPool(CLIENTS + 1);
        private final List<Client> clients = new ArrayList<>();
        private final List<Future<?>> running = new ArrayList<>();
        final ReadinessWatch readiness;

        Load(int port) {
            for (int i = 0; i < CLIENTS; i++) {
                Client client = new Client(port, stop);
                clients.add(client);
                running.add(threads.submit(client));
            }
            readiness = new ReadinessWatch(port, stop);
            running.add(threads.submit(readiness));
        }

        /** Freezes the connections open through {@code proxy} now; returns when, for the clients to count from. */
        long failover(FaultProxy proxy) {
            proxy.freezeOpenConnections();
            long at = System.nanoTime();
            clients.forEach(client -> client.failoverAt = at);
            return at;
        }

        /**
         * Freezes the open connections until a freeze catches the pool's connections in use, which a client sees
         * as a request refused a connection (500), and returns when that freeze was. A freeze that catches an idle
         * connection is harmless: HikariCP checks it when it is next taken, after 500 ms idle, and replaces it (a
         * client is served on a new one); on a busy machine that can happen, so the freeze is repeated (bounded).
         */
        long failoverCatchingThePoolInUse(FaultProxy proxy) throws InterruptedException {
            for (int attempt = 1; ; attempt++) {
                long at = failover(proxy);
                while (clients.stream().noneMatch(client -> client.answeredRequestSentAfter(at))) {
                    if (clients.stream().anyMatch(client -> client.failedRequestEndedAfter(at))) {
                        return at;
                    }
                    assertThat(millisSince(at)).as("no client refused nor served after the failover; they last got %s", lastAnswers())
                            .isLessThan(READINESS_BOUND_MILLIS);
                    Thread.sleep(20);
                }
                System.out.printf("failover %d caught the pool's connection idle: HikariCP replaced it%n", attempt);
                assertThat(attempt).as("failovers that caught the pool's connection idle").isLessThan(5);
            }
        }

        /**
         * Waits (bounded) until each client had the database's answer to a request it sent after {@code since}:
         * none is stuck on a dead connection any more. Returns the milliseconds since {@code since}.
         */
        long awaitEveryClientServedSince(long since) throws InterruptedException {
            while (true) {
                long after = millisSince(since);
                List<Client> waiting = clients.stream().filter(client -> !client.answeredRequestSentAfter(since)).toList();
                if (waiting.isEmpty()) {
                    return after;
                }
                assertThat(after).as("%d of %d clients still not served; one last got %s", waiting.size(), CLIENTS, waiting.get(0).last)
                        .isLessThan(RECOVERY_BOUND_MILLIS);
                Thread.sleep(50);
            }
        }

        String lastAnswers() {
            return clients.stream().map(client -> client.last).toList().toString();
        }

        long longestAfterFailover() {
            return clients.stream().mapToLong(client -> client.longestAfterFailover).max().orElse(0);
        }

        long unansweredAfterFailover() {
            return clients.stream().mapToLong(client -> client.unansweredAfterFailover).sum();
        }

        String firstFailureAfterFailover() {
            return clients.stream().map(client -> client.firstFailureAfterFailover).filter(failure -> failure != null).findFirst()
                    .orElse("none");
        }

        /** Stops the clients and waits for their last requests (each bounded by {@link #REQUEST_TIMEOUT}). */
        void stop() throws Exception {
            stop.set(true);
            for (Future<?> task : running) {
                task.get(2, TimeUnit.MINUTES);
            }
        }

        @Override
        public void close() throws Exception {
            try {
                stop();
            } finally {
                threads.shutdownNow();
                threads.awaitTermination(1, TimeUnit.MINUTES);
            }
        }
    }

    /** Asks /query over and over; remembers what happened to its requests after the failover. */
    private static final class Client implements Callable<Void> {
        private final int port;
        private final AtomicBoolean stop;
        private volatile long failoverAt;
        private volatile boolean answered;
        private volatile long answeredRequestSentAt;
        private volatile String last = "nothing yet";
        private volatile long longestAfterFailover;
        private volatile long unansweredAfterFailover;
        private volatile String firstFailureAfterFailover;
        private volatile boolean failed;
        private volatile long failedRequestEndedAt;

        Client(int port, AtomicBoolean stop) {
            this.port = port;
            this.stop = stop;
        }

        boolean answeredRequestSentAfter(long since) {
            return answered && answeredRequestSentAt - since > 0;
        }

        /** Whether a request ended after {@code since} with a failure Berth answered (not the client's timeout). */
        boolean failedRequestEndedAfter(long since) {
            return failed && failedRequestEndedAt - since > 0;
        }

        @Override
        public Void call() {
            for (int i = 0; i < 100_000 && !stop.get(); i++) {
                long sent = System.nanoTime();
                HttpResponse<String> response = query(port);
                long ended = System.nanoTime();
                boolean served = response != null && response.statusCode() == 200 && ANSWER.equals(response.body());
                if (served) {
                    answeredRequestSentAt = sent;
                    answered = true;
                } else if (response != null) {
                    failedRequestEndedAt = ended;
                    failed = true;
                }
                last = response == null ? "no answer within " + REQUEST_TIMEOUT.toSeconds() + " s" : response.statusCode() + " " + response.body();
                long failover = failoverAt;
                if (failover != 0 && ended - failover > 0) {
                    longestAfterFailover = Math.max(longestAfterFailover, TimeUnit.NANOSECONDS.toMillis(ended - sent));
                    if (response == null) {
                        unansweredAfterFailover++;
                    }
                    if (!served && firstFailureAfterFailover == null) {
                        firstFailureAfterFailover = last;
                    }
                }
            }
            return null;
        }
    }

    /** Polls /health/ready; remembers when the DataSource's check was first seen DOWN, and what it said. */
    private static final class ReadinessWatch implements Callable<Void> {
        private final int port;
        private final AtomicBoolean stop;
        private volatile boolean down;
        private volatile long firstDownAt;
        volatile String error;

        ReadinessWatch(int port, AtomicBoolean stop) {
            this.port = port;
            this.stop = stop;
        }

        @Override
        public Void call() throws InterruptedException {
            for (int i = 0; i < 100_000 && !stop.get(); i++) {
                HttpResponse<String> ready = get(port, "/health/ready");
                if (!down && ready != null && ready.statusCode() == 503 && ready.body().contains(CHECK_DOWN)) {
                    Matcher failure = CHECK_ERROR.matcher(ready.body());
                    error = failure.find() ? failure.group(1) : ready.body();
                    firstDownAt = System.nanoTime();
                    down = true;
                }
                Thread.sleep(20);
            }
            return null;
        }

        /**
         * Waits (bounded) until the check was seen DOWN; returns the milliseconds from {@code since} to then. A
         * failure says what the clients last got.
         */
        long awaitDown(long since, Supplier<String> clients) throws InterruptedException {
            for (long after = millisSince(since); !down; after = millisSince(since)) {
                assertThat(after).as("readiness still UP while a dead connection holds the pool; the clients last got %s", clients.get())
                        .isLessThan(READINESS_BOUND_MILLIS);
                Thread.sleep(20);
            }
            return TimeUnit.NANOSECONDS.toMillis(firstDownAt - since);
        }

        String report(long since) {
            return down ? "readiness seen DOWN " + TimeUnit.NANOSECONDS.toMillis(firstDownAt - since) + " ms after the failover: " + error
                    : "readiness never seen DOWN (polled every 20 ms)";
        }
    }
}
