package dev.berth.security;

import dev.berth.testing.BerthProcess;
import dev.berth.testing.Gate;
import dev.berth.testing.Http;
import dev.berth.testing.Wars;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With the real jar and real signals: a stop that meets requests longer than the timeout, or an application
 * that never finishes stopping, still ends (cutting what runs, logging it, removing the files); and bad
 * input never floods the log.
 */
class StopAndLogIT {

    @TempDir
    Path dir;

    private BerthProcess.Builder berth(String war, String... more) {
        return BerthProcess.builder().loopback().args("--pid-file=" + dir.resolve("berth.pid"), "--port-file=" + dir.resolve("berth.port"),
                "--work-dir=" + dir.resolve("work")).args(more).args(war);
    }

    private void assertNothingLeft() throws Exception {
        assertThat(dir.resolve("berth.pid")).doesNotExist();
        assertThat(dir.resolve("berth.port")).doesNotExist();
        try (var runs = Files.list(dir.resolve("work"))) {
            assertThat(runs).isEmpty();
        }
    }

    private static long stoppedMillis(String output) {
        Matcher m = Pattern.compile("Stopped in (\\d+) ms").matcher(output);
        assertThat(m.find()).as("the stop is logged:\n" + output).isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    void aRequestLongerThanTheTimeoutIsCutCountedAndTheFilesAreRemoved() throws Exception {
        Path started = dir.resolve("started");
        String war = Wars.build("slow", "deploy.millis", "0", "request.started.file", started.toString(),
                "request.gate", Gate.in(dir, "never").path()).toString();
        try (BerthProcess berth = berth(war, "--shutdown.timeout=2s").serving("slow.war deployed in")) {
            CompletableFuture<HttpResponse<String>> endless = HttpClient.newHttpClient().sendAsync(
                    HttpRequest.newBuilder(Http.uri(berth.port(), "/hello?wait")).timeout(Duration.ofMinutes(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> Files.exists(started));
            berth.process().destroy();
            assertThat(berth.awaitExit(Duration.ofSeconds(60))).isEqualTo(143);
            assertThat(berth.output()).contains("1 requests still running after berth.shutdown.timeout=2000 ms: cutting them")
                    .containsPattern("Stopped in \\d+ ms: 0 in-flight requests drained, 1 cut")
                    .doesNotContain("TimeoutException");
            System.out.println("stop with a 2 s timeout and an endless request took " + stoppedMillis(berth.output()) + " ms");
            // the client learns of the cut connection on a thread of its own, a moment after the process is gone
            assertThat(endless).completesExceptionallyWithin(Duration.ofSeconds(60));
            assertNothingLeft();
        }
    }

    @Test
    void anApplicationWhoseShutdownHangsIsLeftBehindAndTheFilesAreStillRemoved() throws Exception {
        String war = Wars.build("slow", "deploy.millis", "0", "destroy.gate", Gate.in(dir, "never").path()).toString();
        try (BerthProcess berth = berth(war, "--shutdown.timeout=1s").serving("slow.war deployed in")) {
            berth.process().destroy();
            assertThat(berth.awaitExit(Duration.ofSeconds(60))).isEqualTo(143);
            assertThat(berth.output()).contains("The application did not stop within", "leaving it behind")
                    .containsPattern("Stopped in \\d+ ms: 0 in-flight requests drained, 0 cut");
            assertNothingLeft();
        }
    }

    @Test
    void jettysDebugOutputShowsNoCredentialHeaderValue() {
        try (BerthProcess berth = BerthProcess.builder().loopback()
                .jvm("-Dorg.eclipse.jetty.LEVEL=DEBUG")
                .args("--basic-auth.user=stage", "--basic-auth.password=s3cret").serving("Status page deployed")) {
            String token = Base64.getEncoder().encodeToString("stage:s3cret".getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> response = Http.send(HttpRequest.newBuilder(Http.uri(berth.port(), "/debug-me"))
                    .header("Authorization", "Basic " + token).header("Cookie", "JSESSIONID=node0secretcookie").build());
            assertThat(response.statusCode()).isIn(200, 404);
            berth.awaitOutput("\"GET /debug-me\"");
            assertThat(berth.output()).as("Jetty's debug lines are there").contains("DEBUG").contains("/debug-me")
                    .containsIgnoringCase("Authorization").doesNotContain(token, "node0secretcookie");
        }
    }

    @Test
    void malformedAuthorizationHeadersNeverReachTheLogAsStackTraces() throws Exception {
        try (BerthProcess berth = BerthProcess.builder().loopback().args("--basic-auth.user=stage", "--basic-auth.password=s3cret",
                Wars.build("exposed").toString()).serving("exposed.war deployed in")) {
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> response = Http.send(HttpRequest.newBuilder(Http.uri(berth.port(), "/parameters?i=" + i))
                        .header("Authorization", i % 2 == 0 ? "Basic !!!" : "Basic c3RhZ2U6czNjcmV0, Bearer x").build());
                assertThat(response.statusCode()).isEqualTo(401);
            }
            // all 20 lines, not only the first: whatever a request logs comes before its access log line
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> berth.output().split("\"GET /parameters\" 401", -1).length - 1 >= 20);
            assertThat(berth.output()).doesNotContain("\tat ", "IllegalArgumentException", "WARN");
        }
    }

    @Test
    void oversizedFormsAndQueriesAre400WithoutAWarningInTheLog() throws Exception {
        try (BerthProcess berth = BerthProcess.builder().loopback().args("--http.form-max-size=100", "--http.query-max-keys=5",
                Wars.build("exposed").toString()).serving("exposed.war deployed in")) {
            HttpResponse<String> form = Http.send(HttpRequest.newBuilder(Http.uri(berth.port(), "/parameters"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("a=" + "x".repeat(500))).build());
            assertThat(form.statusCode()).isEqualTo(400);
            assertThat(Http.get(berth.port(), "/parameters?a&b&c&d&e&f").statusCode()).isEqualTo(400);
            berth.awaitOutput("\"GET /parameters\" 400");
            assertThat(berth.output()).doesNotContain("\tat ", "WARN");
        }
    }

    @Test
    void aServletFailureIsLoggedOnceWithItsDetail() throws Exception {
        try (BerthProcess berth = BerthProcess.builder().loopback().args(Wars.build("exposed").toString()).serving("exposed.war deployed in")) {
            assertThat(Http.get(berth.port(), "/boom").statusCode()).isEqualTo(500);
            berth.awaitOutput("\"GET /boom\" 500");
            String output = berth.output();
            assertThat(output.split("secret-detail-from-the-application", -1)).as(output).hasSize(2);
        }
    }

    @Test
    void aStopLongerThanThePlatformsGracePeriodIsWarnedAboutAtStart() {
        try (BerthProcess berth = BerthProcess.builder().env("RENDER", "true").loopback()
                .args("--shutdown.delay=5s", "--shutdown.timeout=28s").serving("Status page deployed")) {
            assertThat(berth.output()).contains("longer than the platform's grace period berth.shutdown.grace=30000 ms");
        }
        try (BerthProcess berth = BerthProcess.builder().env("RENDER", "true").loopback().serving("Status page deployed")) {
            assertThat(berth.output()).doesNotContain("grace period");
        }
    }
}
