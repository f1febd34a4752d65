package dev.berth.server;

import dev.berth.testing.RawHttp;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * On a real Jetty with a pool of 16 threads: the application never holds more threads than its limit, every
 * request beyond it waits without a thread and is served, and a request outside the limit (health) is
 * answered while the application's threads are all taken.
 */
class ApplicationThreadsTest {

    private final Server server = new Server(new QueuedThreadPool(16, 2));
    private final AtomicInteger inside = new AtomicInteger();
    private final AtomicInteger most = new AtomicInteger();
    private volatile ApplicationThreads limited;

    @AfterEach
    void stop() throws Exception {
        if (limited != null) {
            LifeCycle.stop(limited);
        }
        server.stop();
    }

    private final CountDownLatch release = new CountDownLatch(1);
    private volatile boolean hold;

    /** Sleeps 100 ms (or, with hold, until released) in the application, counting the threads inside; /health answers outside the limit. */
    private int start() throws Exception {
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        Handler application = new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                try {
                    if (hold) {
                        release.await(30, TimeUnit.SECONDS);
                    } else {
                        Thread.sleep(100);
                    }
                } finally {
                    inside.decrementAndGet();
                }
                Response.writeError(request, response, callback, 204);
                return true;
            }
        };
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                if (Request.getPathInContext(request).equals("/health")) {
                    Response.writeError(request, response, callback, 200);
                    return true;
                }
                return limited.handle(request, response, callback);
            }
        });
        server.start();
        // as Berth does: the application chain is built once the connectors have started and leased their threads
        limited = ApplicationThreads.around(application, server);
        limited.setServer(server);
        limited.start();
        return connector.getLocalPort();
    }

    @Test
    void requestsStillWaitingWhenTheApplicationStopsAre503AndThoseInsideFinish() throws Exception {
        hold = true;
        int port = start();
        int limit = limited.limit();
        ExecutorService clients = Executors.newFixedThreadPool(limit + 5);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < limit + 5; i++) {
                answers.add(clients.submit(() -> RawHttp.exchange(port, "GET /app HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> inside.get() == limit && limited.parked() == 5);
            Thread stopping = new Thread(() -> LifeCycle.stop(limited));
            stopping.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> limited.parked() == 0);
            release.countDown();
            stopping.join(30_000);
            List<Integer> statuses = new ArrayList<>();
            for (Future<String> answer : answers) {
                statuses.add(RawHttp.status(answer.get(30, TimeUnit.SECONDS)));
            }
            assertThat(statuses).containsOnly(204, 503).filteredOn(s -> s == 503).hasSize(5);
        } finally {
            release.countDown();
            clients.shutdownNow();
        }
    }

    @Test
    void theLimitIsThePoolLessTheConnectorsThreadsAndAReserve() throws Exception {
        start();
        int leased = ((QueuedThreadPool) server.getThreadPool()).getThreadPoolBudget().getLeasedThreads();
        assertThat(leased).as("the acceptor and the selector at least").isGreaterThanOrEqualTo(2);
        assertThat(ApplicationThreads.limit(server)).isEqualTo(16 - leased - 2).isEqualTo(limited.limit());
    }

    @Test
    void beyondTheLimitRequestsWaitWithoutAThreadAndAreAllServedWhileHealthStillAnswers() throws Exception {
        int port = start();
        int limit = ApplicationThreads.limit(server);
        ExecutorService clients = Executors.newFixedThreadPool(60);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                answers.add(clients.submit(() -> RawHttp.exchange(port, "GET /app HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")));
            }
            String health = RawHttp.exchange(port, "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertThat(RawHttp.status(health)).isEqualTo(200);
            for (Future<String> answer : answers) {
                assertThat(RawHttp.status(answer.get(60, TimeUnit.SECONDS))).isEqualTo(204);
            }
        } finally {
            clients.shutdownNow();
        }
        assertThat(most.get()).isLessThanOrEqualTo(limit).isGreaterThan(1);
        assertThat(inside.get()).isZero();
    }
}
