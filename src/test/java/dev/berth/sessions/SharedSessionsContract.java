package dev.berth.sessions;

import dev.berth.testing.BerthProcess;
import dev.berth.testing.Gate;
import dev.berth.testing.Http;
import dev.berth.testing.Wars;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a shared session store must do, with real Berth processes on one real store: the cases of issue 13
 * that every shared store passes. Each store's test names its flags and controls its server.
 */
abstract class SharedSessionsContract {

    static final Path WAR = Wars.build("sessions");

    @TempDir
    Path dir;

    /** The flags that put Berth's sessions in this store. */
    abstract List<String> storeFlags();

    /** The readiness check's name. */
    abstract String checkName();

    abstract void stopStore();

    abstract void restartStore();

    /** Whether sessions written before {@link #stopStore()} are there after {@link #restartStore()}. */
    abstract boolean keepsSessionsAcrossItsRestart();

    /** Berth on this store, serving {@code war}. */
    BerthProcess.Builder berth(Path war, String... more) {
        return BerthProcess.builder().loopback().args(storeFlags().toArray(String[]::new)).args(more).args(war.toString());
    }

    BerthProcess serving(String... more) {
        return berth(WAR, more).serving("deployed in");
    }

    @Test
    void aSessionStartedOnOneInstanceIsReadAndChangedOnTheOther() {
        try (BerthProcess a = serving(); BerthProcess b = serving()) {
            SessionClient browser = new SessionClient();
            browser.get(a.port(), "/login?user=alice");
            assertThat(browser.body(b.port(), "/cart?add=book")).isEqualTo("user=alice cart=book");
            assertThat(browser.body(a.port(), "/cart?add=pen")).isEqualTo("user=alice cart=book,pen");
            assertThat(browser.body(b.port(), "/cart")).isEqualTo("user=alice cart=book,pen");
            for (int i = 1; i <= 6; i++) {
                assertThat(browser.body(i % 2 == 0 ? a.port() : b.port(), "/count")).isEqualTo("count=" + i);
            }
        }
    }

    @Test
    void usersStayLoggedInWhenAnInstanceIsKilled() throws Exception {
        try (BerthProcess a = serving(); BerthProcess b = serving()) {
            SessionClient browser = new SessionClient();
            browser.get(a.port(), "/login?user=bob");
            browser.get(a.port(), "/cart?add=lamp");
            a.kill();
            assertThat(browser.body(b.port(), "/cart")).isEqualTo("user=bob cart=lamp");
        }
    }

    @Test
    void aSessionExpiresAfterTheTimeoutOnEveryInstance() {
        try (BerthProcess a = serving("--sessions.timeout=1s"); BerthProcess b = serving("--sessions.timeout=1s")) {
            SessionClient browser = startedOnOneAndReadOnTheOther(a, b, "carol");
            await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ofMillis(1100)).untilAsserted(() ->
                    assertThat(browser.body(b.port(), "/whoami")).isEqualTo("anonymous"));
            assertThat(browser.body(a.port(), "/whoami")).isEqualTo("anonymous");
        }
    }

    /**
     * A session of {@code user} started on {@code a} and read on {@code b}, whose timeout is 1 s. Only a login
     * and read that took less than that together prove that the read must find the session; a pair that a busy
     * machine slowed down proves nothing either way, and is made again with a new session (at most 20 times).
     */
    private static SessionClient startedOnOneAndReadOnTheOther(BerthProcess a, BerthProcess b, String user) {
        for (int attempt = 1; attempt <= 20; attempt++) {
            SessionClient browser = new SessionClient();
            long begin = System.nanoTime();
            browser.get(a.port(), "/login?user=" + user);
            String read = browser.body(b.port(), "/whoami");
            if (System.nanoTime() - begin < TimeUnit.MILLISECONDS.toNanos(900)) {
                assertThat(read).isEqualTo("user=" + user);
                return browser;
            }
        }
        throw new AssertionError("20 logins on one instance and reads on the other each took 900 ms or more: none shows the session shared");
    }

    @Test
    void aSessionChangedByARequestDrainedOnStopIsThereForTheOtherInstance() throws Exception {
        Path entered = dir.resolve("entered");
        Gate gate = Gate.in(dir, "request");
        Path war = Wars.build("sessions", "request.entered", entered.toString(), "request.gate", gate.path());
        // a drain timeout longer than any wait here: the held request ends when its gate opens, not when the clock runs out
        try (BerthProcess a = berth(war, "--shutdown.timeout=10m").serving("deployed in"); BerthProcess b = serving()) {
            SessionClient browser = new SessionClient();
            browser.get(a.port(), "/login?user=dave");
            CompletableFuture<String> held = CompletableFuture.supplyAsync(() -> browser.body(a.port(), "/cart?add=kite&hold"));
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(entered));
            a.process().destroy();
            gate.open();
            assertThat(held.get(2, TimeUnit.MINUTES)).isEqualTo("user=dave cart=kite");
            assertThat(a.awaitExit(Duration.ofSeconds(60))).isEqualTo(143);
            assertThat(browser.body(b.port(), "/cart")).isEqualTo("user=dave cart=kite");
        }
    }

    @Test
    void aStoreDownAtStartKeepsReadinessDownUntilItAnswersThenTheApplicationDeploys() {
        stopStore();
        try (BerthProcess berth = berth(WAR).start()) {
            int port = berth.awaitPort();
            berth.awaitOutput("is unreachable");
            assertThat(Http.get(port, "/health/live").statusCode()).isEqualTo(200);
            HttpResponse<String> ready = Http.get(port, "/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("\"name\":\"" + checkName() + "\",\"status\":\"DOWN\"").contains("\"error\":");
            restartStore();
            berth.awaitOutput("deployed in");
            await().atMost(Duration.ofSeconds(60)).until(() -> Http.get(port, "/health/ready").statusCode() == 200);
            assertThat(Http.get(port, "/health/ready").body()).contains("\"name\":\"" + checkName() + "\",\"status\":\"UP\"");
            assertThat(new SessionClient().body(port, "/login?user=erin")).isEqualTo("user=erin");
        } finally {
            restartStore();
        }
    }

    @Test
    void aStoreLostWhileServingAnswers503WithRetryAfterAndReadinessComesBackWithIt() {
        try (BerthProcess berth = serving()) {
            SessionClient browser = new SessionClient();
            browser.get(berth.port(), "/login?user=frank");
            stopStore();
            HttpResponse<String> lost = browser.get(berth.port(), "/whoami");
            assertThat(lost.statusCode()).as(berth::output).isEqualTo(503);
            assertThat(lost.headers().firstValue("Retry-After")).isPresent();
            assertThat(lost.body()).doesNotContain("Exception");
            await().atMost(Duration.ofSeconds(60)).until(() -> Http.get(berth.port(), "/health/ready").statusCode() == 503);
            assertThat(Http.get(berth.port(), "/hello-without-session").statusCode()).isEqualTo(404);
            restartStore();
            await().atMost(Duration.ofSeconds(60)).until(() -> Http.get(berth.port(), "/health/ready").statusCode() == 200);
            String expected = keepsSessionsAcrossItsRestart() ? "user=frank" : "anonymous";
            assertThat(browser.body(berth.port(), "/whoami")).isEqualTo(expected);
            assertThat(berth.output()).contains(checkName() + " is unreachable").contains(checkName() + " answers again");
        } finally {
            restartStore();
        }
    }
}
