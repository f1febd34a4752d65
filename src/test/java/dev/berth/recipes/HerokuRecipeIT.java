package dev.berth.recipes;

import dev.berth.testing.Http;
import dev.berth.testing.Ports;
import dev.berth.testing.ReleaseRepository;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's Heroku recipe as a newcomer follows it, without Heroku: the plugin of config/heroku/pom-plugin.xml
 * added to a WAR project's pom.xml, `mvn package` as the Java buildpack runs it (Berth taken by its coordinates from a
 * repository holding this build as the release, where a user's build reads Maven Central), then the Procfile's web
 * command run as the dyno manager runs it: by bash, with PORT and DYNO set, stopped with SIGTERM.
 */
class HerokuRecipeIT {

    private static final Duration BUILD = Duration.ofMinutes(10);
    private static final Duration START = Duration.ofMinutes(2);

    @TempDir
    Path project;

    @Test
    void theBuildCopiesBerthBesideTheWarAndTheProcfileServesItAsHerokuRunsIt() throws Exception {
        ReleaseRepository release = ReleaseRepository.create();
        ReleaseRepository.warProject(project);
        Path pom = project.resolve("pom.xml");
        String plugin = Files.readString(Path.of("config", "heroku", "pom-plugin.xml"));
        Files.writeString(pom, Files.readString(pom).replace("<!-- recipe plugins go here -->", plugin));
        for (String file : List.of("Procfile", "system.properties")) {
            Files.copy(Path.of("config", "heroku", file), project.resolve(file));
        }
        Path settings = release.settings(release.local().resolveSibling("host-settings.xml"), release.remote().toString());
        maven(project, "-B", "-q", "-s", settings.toString(), "-Dmaven.repo.local=" + release.local(), "package");
        assertThat(project.resolve("target/dependency/berth.jar")).hasSameBinaryContentAs(dev.berth.testing.BerthProcess.JAR);

        String web = Files.readAllLines(project.resolve("Procfile")).get(0).replaceFirst("^web: ", "");
        int port;
        try (ServerSocket held = Ports.hold()) {
            port = held.getLocalPort();
        }
        ProcessBuilder dyno = new ProcessBuilder("bash", "-c", web).directory(project.toFile()).redirectErrorStream(true)
                .redirectOutput(project.resolve("dyno.log").toFile());
        dyno.environment().keySet().removeIf(name -> name.startsWith("BERTH_") || name.startsWith("JAVA_") || name.equals("JDK_JAVA_OPTIONS"));
        dyno.environment().putAll(java.util.Map.of("PORT", String.valueOf(port), "DYNO", "web.1", "JAVA_OPTS", "-XX:MaxRAMPercentage=75",
                "BERTH_HOST", "127.0.0.1", "BERTH_FALLBACK_PORTS", ""));
        Process process = dyno.start();
        try {
            await().atMost(START).pollInterval(Duration.ofMillis(100)).failFast("the dyno exited", () -> !process.isAlive())
                    .until(() -> answers(port, "/health"));
            assertThat(process.descendants().count()).as("bash ran java in its place: the signal reaches Berth").isZero();
            HttpResponse<String> greeting = Http.send(HttpRequest.newBuilder(Http.uri(port, "/greeting"))
                    .header("X-Forwarded-For", "203.0.113.7").header("X-Forwarded-Proto", "https").header("X-Forwarded-Port", "443").build());
            assertThat(greeting.body()).as("the router's headers are believed on Heroku").isEqualTo("greeting from https://203.0.113.7\n");
            assertThat(Files.readString(project.resolve("dyno.log"))).contains("greeting-1.0.war deployed in");

            process.destroy();
            assertThat(process.waitFor(START.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isEqualTo(143);
            assertThat(Files.readString(project.resolve("dyno.log"))).contains("Stopped in");
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static boolean answers(int port, String path) {
        try {
            return Http.send(HttpRequest.newBuilder(Http.uri(port, path)).timeout(Duration.ofSeconds(5)).build()).statusCode() == 200;
        } catch (RuntimeException notYet) {
            return false;
        }
    }

    /** Runs this machine's {@code mvn} in {@code dir}, bounded; fails with its output unless it exits 0. */
    private static void maven(Path dir, String... args) throws IOException, InterruptedException {
        Path log = dir.resolve("maven.log");
        List<String> command = new java.util.ArrayList<>(List.of("mvn"));
        command.addAll(List.of(args));
        Process maven = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!maven.waitFor(BUILD.toSeconds(), TimeUnit.SECONDS)) {
            maven.descendants().forEach(ProcessHandle::destroyForcibly);
            maven.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            throw new AssertionError("mvn " + String.join(" ", args) + " did not end within " + BUILD + ":\n" + Files.readString(log));
        }
        assertThat(maven.exitValue()).as("mvn %s:%n%s", String.join(" ", args), Files.readString(log)).isZero();
    }
}
