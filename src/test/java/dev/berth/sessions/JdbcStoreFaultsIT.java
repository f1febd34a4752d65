package dev.berth.sessions;

import dev.berth.testing.BerthProcess;
import dev.berth.testing.FaultProxy;
import dev.berth.testing.Http;
import dev.berth.testing.PostgresServer;
import dev.berth.testing.Started;
import dev.berth.testing.Wars;

import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JDBC session store behind a proxy that fails the way networks fail. A failover drops the packets of the
 * connections open to the old primary (no reset, no close) while new connections work: Berth must let go of
 * the dead ones and serve again on new ones, not hang on them for the kernel's quarter of an hour.
 */
class JdbcStoreFaultsIT {

    private static final int USERS = 10;
    private static final long RECOVERY_BOUND_MILLIS = 90_000;

    @Started
    private static PostgresServer postgres;

    @Test
    void afterAFailoverThatDropsThePooledConnectionsEveryUserIsServedAgainStillLoggedIn() throws Exception {
        try (FaultProxy proxy = FaultProxy.to(postgres.port());
             BerthProcess berth = BerthProcess.builder().loopback()
                     .env("DATABASE_URL", postgres.databaseUrlVia(proxy.port()))
                     .args("--sessions.store=jdbc", "--sessions.jdbc.pool-size=" + USERS, Wars.build("sessions").toString())
                     .serving("deployed in")) {
            List<SessionClient> users = new ArrayList<>();
            for (int i = 0; i < USERS; i++) {
                SessionClient user = new SessionClient();
                assertThat(user.body(berth.port(), "/count")).isEqualTo("count=1");
                users.add(user);
            }
            ExecutorService load = Executors.newFixedThreadPool(USERS);
            AtomicBoolean stop = new AtomicBoolean();
            try {
                List<Future<?>> counting = new ArrayList<>();
                for (SessionClient user : users) {
                    counting.add(load.submit(() -> {
                        for (int i = 0; i < 100_000 && !stop.get(); i++) {
                            user.get(berth.port(), "/count");
                        }
                        return null;
                    }));
                }
                awaitOpenConnections(proxy, USERS / 2);
                proxy.freezeOpenConnections();
                long frozenAt = System.nanoTime();

                for (SessionClient user : users) {
                    awaitServed(berth, user, frozenAt);
                }
                System.out.printf("every user served again %d ms after the failover%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - frozenAt));
                stop.set(true);
                for (Future<?> client : counting) {
                    client.get(2, TimeUnit.MINUTES);
                }
            } finally {
                stop.set(true);
                load.shutdownNow();
                load.awaitTermination(1, TimeUnit.MINUTES);
            }
        }
    }

    /** Under load the pool holds several connections: the failover must catch some in use. */
    private static void awaitOpenConnections(FaultProxy proxy, int count) throws InterruptedException {
        for (int look = 0; look < 600 && proxy.openConnections() < count; look++) {
            Thread.sleep(50);
        }
        assertThat(proxy.openConnections()).as("connections through the proxy").isGreaterThanOrEqualTo(count);
    }

    /** The user's next /count answers 200 with the session it had (never count=1: logged out), within the bound. */
    private static void awaitServed(BerthProcess berth, SessionClient user, long since) {
        while (true) {
            HttpResponse<String> response;
            try {
                response = user.get(berth.port(), "/count");
            } catch (RuntimeException timedOut) {
                response = null;
            }
            if (response != null && response.statusCode() == 200) {
                assertThat(response.body()).as("the user's session after the failover").isNotEqualTo("count=1");
                return;
            }
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since)).as("still not served after the failover: "
                    + (response == null ? "no answer" : response.statusCode() + " " + response.body())).isLessThan(RECOVERY_BOUND_MILLIS);
        }
    }
}
