package dev.berth.recipes;

import dev.berth.testing.BerthImage;
import dev.berth.testing.Container;
import dev.berth.testing.Http;
import dev.berth.testing.ReleaseRepository;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.io.Reader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's Render recipe as a newcomer follows it: config/Dockerfile beside the pom.xml of a WAR project, which
 * takes Berth by its Maven coordinates (here from a repository holding this build as the release, where a user's
 * build reads Maven Central) and builds the WAR; then the image run as Render runs it, with the Blueprint's
 * variables, under the Starter plan's 512 MB and half a CPU.
 */
class RenderRecipeIT {

    /** The Blueprint's maxShutdownDelaySeconds. */
    private static final Duration GRACE = Duration.ofSeconds(30);

    @TempDir
    Path project;

    @Test
    void theRecipeBuildsTheWarTakesBerthByItsCoordinatesAndServesUnderRendersLimits() throws Exception {
        ReleaseRepository release = ReleaseRepository.create();
        ReleaseRepository.warProject(project);
        Files.copy(Path.of("config", "Dockerfile"), project.resolve("Dockerfile"));
        Path settings = release.settings(release.local().resolveSibling("container-settings.xml"), "/berth-release");
        BerthImage app = BerthImage.buildContext("berth-it-render-recipe", project,
                "--volume=" + release.remote() + ":/berth-release:ro",
                "--volume=" + settings + ":/root/.m2/settings.xml:ro",
                "--volume=" + release.local() + ":/root/.m2/repository");
        Container.Builder render = app.container().env("RENDER", "true").env("JDK_JAVA_OPTIONS", "-Xlog:aot");
        blueprintVariables().forEach(render::env);
        try (Container container = render.start()) {
            container.awaitOk("/health");
            HttpResponse<String> greeting = Http.send(HttpRequest.newBuilder(Http.uri(container.port(), "/greeting"))
                    .header("X-Forwarded-For", "203.0.113.7").header("X-Forwarded-Proto", "https").build());
            assertThat(greeting.statusCode()).isEqualTo(200);
            assertThat(greeting.body()).as("Render's proxy headers are believed").isEqualTo("greeting from https://203.0.113.7\n");
            assertThat(container.logs()).contains("Berth " + ReleaseRepository.version() + " configured", "app.war deployed in",
                    "Opened AOT cache /app/berth.aot.").doesNotContain("Unable to map shared spaces");
            assertThat(container.exec("id", "-un").strip()).isEqualTo("app");
            assertThat(container.exec("ls", "/app").lines()).containsExactlyInAnyOrder("app.war", "berth.aot");

            container.stop(GRACE);
            assertThat(container.exitCode()).as("SIGTERM, drained").isEqualTo(143);
            assertThat(container.logs()).contains("Stopped in");
        } finally {
            app.remove();
        }
    }

    /** The variables config/render.yaml sets on the web service (Render itself sets PORT and RENDER). */
    @SuppressWarnings("unchecked")
    private static Map<String, String> blueprintVariables() throws Exception {
        Map<String, Object> blueprint;
        try (Reader reader = Files.newBufferedReader(Path.of("config", "render.yaml"))) {
            blueprint = new Yaml().load(reader);
        }
        Map<String, Object> service = ((List<Map<String, Object>>) blueprint.get("services")).get(0);
        Map<String, String> variables = new java.util.LinkedHashMap<>();
        ((List<Map<String, Object>>) service.get("envVars")).forEach(v -> variables.put((String) v.get("key"), String.valueOf(v.get("value"))));
        return variables;
    }
}
