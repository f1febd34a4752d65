package dev.berth.sessions;

import dev.berth.testing.BerthProcess;
import dev.berth.testing.Wars;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** berth.sessions.store=file: a kill -9 under load loses no session and no acknowledged change. */
class FileSessionsIT {

    private static final int USERS = 20;
    private static final int KILLS = 8;
    /** Acknowledged requests between a start and its kill: enough to be killed mid-write now and then. */
    private static final int REQUESTS_BEFORE_KILL = 150;

    @TempDir
    Path dir;

    @Test
    void eightKillsUnderLoadLoseNoSessionAndNoAcknowledgedCount() throws Exception {
        Path war = Wars.build("sessions");
        Path store = dir.resolve("sessions");
        List<User> users = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            users.add(new User());
        }
        ExecutorService load = Executors.newFixedThreadPool(USERS);
        try {
            for (int kill = 0; kill <= KILLS; kill++) {
                try (BerthProcess berth = BerthProcess.builder().loopback()
                        .args("--sessions.store=file", "--sessions.file.dir=" + store, war.toString()).serving("deployed in")) {
                    for (User user : users) {
                        user.countOnce(berth.port()); // checks the count went on from the last acknowledged one
                    }
                    if (kill < KILLS) {
                        loadUntilKilled(load, users, berth);
                    }
                    assertThat(berth.output()).doesNotContain("unrestorable", "cannot be read back");
                }
            }
        } finally {
            load.shutdownNow();
            load.awaitTermination(1, TimeUnit.MINUTES);
        }
        try (Stream<Path> files = Files.list(store.resolve(AtomicFileSessionDataStore.WRITING))) {
            assertThat(files).as("temporary files left by the kills").isEmpty();
        }
    }

    /** Every user counts as fast as it can; after enough answers Berth is killed with SIGKILL in the middle of it. */
    private static void loadUntilKilled(ExecutorService load, List<User> users, BerthProcess berth) throws Exception {
        CountDownLatch answered = new CountDownLatch(REQUESTS_BEFORE_KILL);
        AtomicBoolean killed = new AtomicBoolean();
        List<Future<?>> clients = new ArrayList<>();
        for (User user : users) {
            clients.add(load.submit(() -> {
                for (int i = 0; i < 10_000 && !killed.get(); i++) {
                    if (!user.tryCount(berth.port())) {
                        return null;
                    }
                    answered.countDown();
                }
                return null;
            }));
        }
        assertThat(answered.await(5, TimeUnit.MINUTES)).as("answers before the kill").isTrue();
        killed.set(true);
        assertThat(berth.kill()).isEqualTo(137);
        for (Future<?> client : clients) {
            client.get(2, TimeUnit.MINUTES);
        }
    }

    /** One browser: its session cookie and the last count the server acknowledged to it. */
    private static final class User {
        private final SessionClient client = new SessionClient();
        private int acknowledged;
        private boolean unanswered;

        /** A count that must be answered: one more than the last acknowledged, or two when the last went unanswered. */
        void countOnce(int port) {
            HttpResponse<String> response = client.get(port, "/count");
            assertThat(response.statusCode()).isEqualTo(200);
            int count = count(response);
            if (unanswered) {
                assertThat(count).as("the count after a request cut by the kill").isBetween(acknowledged + 1, acknowledged + 2);
            } else {
                assertThat(count).as("the count after " + acknowledged).isEqualTo(acknowledged + 1);
            }
            acknowledged = count;
            unanswered = false;
        }

        private static int count(HttpResponse<String> response) {
            assertThat(response.body()).startsWith("count=");
            return Integer.parseInt(response.body().strip().substring("count=".length()));
        }

        /** One count under load; false once the server is gone (the request may or may not have been counted). */
        boolean tryCount(int port) {
            try {
                HttpResponse<String> response = client.get(port, "/count");
                if (response.statusCode() != 200) {
                    unanswered = true;
                    return false;
                }
                int count = count(response);
                assertThat(count).isEqualTo(acknowledged + 1);
                acknowledged = count;
                return true;
            } catch (RuntimeException gone) {
                unanswered = true;
                return false;
            }
        }
    }
}
