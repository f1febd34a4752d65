package dev.berth.server;

import dev.berth.testing.RawHttp;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

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
            limited.stop();
        }
        server.stop();
    }

    /** Sleeps 100 ms in the application, counting the threads inside; /health answers outside the limit. */
    private int start() throws Exception {
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        Handler application = new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                try {
                    Thread.sleep(100);
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
