package dev.berth.image;

import dev.berth.testing.BerthImage;
import dev.berth.testing.Container;
import dev.berth.testing.Gate;
import dev.berth.testing.Http;
import dev.berth.testing.Podman;
import dev.berth.testing.Wars;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The image the Dockerfile builds, run as a platform runs it: under Render's Starter limits (512 MB, half a CPU),
 * the port in {@code PORT}, the WAR mounted at {@code /app/app.war} and the image's own command.
 */
class ImageIT {

    /** Render's time from SIGTERM to SIGKILL (its maxShutdownDelaySeconds, and Kubernetes' default). */
    private static final Duration GRACE = Duration.ofSeconds(30);

    private static BerthImage image;

    @TempDir
    Path dir;

    @BeforeAll
    static void build() {
        image = BerthImage.build();
    }

    /** The container's user (not root, not this test's) writes the fixture's marks here and reads its gates. */
    @BeforeEach
    void shareable() throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    }

    @Test
    void healthAnswersWhileTheWarDeploysAndTheWarServesOnceDeployed() throws Exception {
        Gate deploy = Gate.in(dir, "deploy");
        Path war = readable(Wars.build("slow", "deploy.gate", deploy.path()));
        try (Container container = image.container().mount(war, "/app/app.war").share(dir).start()) {
            container.awaitOk("/health/live");
            int port = container.port();
            assertThat(Http.get(port, "/health/started").statusCode()).isEqualTo(503);
            assertThat(Http.get(port, "/health").statusCode()).isEqualTo(503);
            assertThat(container.logs()).contains("Health answers at /health on port " + port).doesNotContain("app.war deployed in");

            deploy.open();
            container.awaitOk("/health");
            HttpResponse<String> hello = Http.get(port, "/hello");
            assertThat(hello.statusCode()).isEqualTo(200);
            assertThat(hello.body()).isEqualTo("hello from the app");
            assertThat(container.logs()).contains("app.war deployed in");
        }
    }

    @Test
    void sigtermDrainsTheRequestInFlightAndTheContainerExitsWithinTheGracePeriod() throws Exception {
        Path started = dir.resolve("started");
        Gate request = Gate.in(dir, "request");
        Path war = readable(Wars.build("slow", "deploy.millis", "0", "request.started.file", started.toString(), "request.gate", request.path()));
        try (Container container = image.container().mount(war, "/app/app.war").share(dir).start()) {
            container.awaitOk("/health");
            CompletableFuture<HttpResponse<String>> slow = HttpClient.newHttpClient().sendAsync(
                    HttpRequest.newBuilder(Http.uri(container.port(), "/hello?wait")).timeout(Duration.ofMinutes(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> Files.exists(started));

            long begin = System.nanoTime();
            CompletableFuture<Podman.Result> stop = CompletableFuture.supplyAsync(() -> container.stop(GRACE));
            container.awaitLog("Stopping: readiness is DOWN");
            assertThat(slow).as("the request waits for its gate while Berth stops").isNotDone();
            request.open();

            HttpResponse<String> response = slow.get(2, TimeUnit.MINUTES);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("hello from the app");
            assertThat(stop.get(GRACE.toSeconds() + 120, TimeUnit.SECONDS).exitCode()).isZero();
            Duration stopping = Duration.ofNanos(System.nanoTime() - begin);
            assertThat(stopping).as("from SIGTERM to the container's exit").isLessThan(GRACE);
            assertThat(container.exitCode()).as("128 + SIGTERM: the JVM ended on the signal, not on podman's SIGKILL").isEqualTo(143);
            assertThat(container.logs()).containsPattern("Stopped in \\d+ ms: 1 in-flight requests drained, 0 cut");
        }
    }

    @Test
    void theJvmIsPid1AndRunsAsTheUnprivilegedUserBerth() throws Exception {
        try (Container container = image.container().mount(readable(Wars.hello()), "/app/app.war").start()) {
            container.awaitOk("/health");
            List<String> status = container.exec("cat", "/proc/1/status").lines().toList();
            String uid = field(status, "Uid:").split("\\s+")[0];
            assertThat(field(status, "Uid:").split("\\s+")).as("real, effective, saved and file-system uid").containsOnly(uid);
            assertThat(uid).isNotEqualTo("0");
            assertThat(container.exec("id", "-nu", uid).strip()).isEqualTo("berth");
            assertThat(field(status, "CapEff:")).as("no capabilities").isEqualTo("0000000000000000");
            assertThat(container.exec("cat", "/proc/1/cmdline").split("\0")[0]).isEqualTo("java");
        }
    }

    @Test
    void theAotCacheIsUsedUnderRendersLimits() throws Exception {
        try (Container container = image.container().mount(readable(Wars.hello()), "/app/app.war")
                .env("JDK_JAVA_OPTIONS", "-Xlog:aot").start()) {
            container.awaitOk("/health");
            assertThat(container.logs())
                    .contains("Opened AOT cache /app/berth.aot.", "Using AOT-linked classes: true")
                    .as("-XX:MaxRAMPercentage=75 of the 512 MB limit")
                    .contains("The current max heap size = 384M")
                    .doesNotContain("Unable to map shared spaces");
        }
    }

    /** A copy anyone may read, as a build's WAR is (the fixtures are written owner-only): the container's user reads it. */
    private Path readable(Path war) throws Exception {
        Path copy = Files.copy(war, dir.resolve("app.war"), StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
        return copy;
    }

    private static String field(List<String> status, String name) {
        return status.stream().filter(line -> line.startsWith(name)).findFirst()
                .map(line -> line.substring(name.length()).strip()).orElseThrow(() -> new AssertionError("no " + name + " in " + status));
    }
}
