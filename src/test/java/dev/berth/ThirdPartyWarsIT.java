package dev.berth;

import dev.berth.testing.BerthProcess;
import dev.berth.testing.Http;
import dev.berth.testing.Scrape;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Real WARs from Maven Central (copied to target/third-party-wars by the build), each run by the real jar:
 * a plain servlet app, a framework app with a BASIC login-config, a browser console, and an app whose
 * servlet comes from a web fragment and whose static files come from META-INF/resources of a library jar; and WARs
 * the build makes from frameworks' starters (src/it: Spring Boot 3, Weld with and without SmallRye Config), which
 * bring their own SLF4J, CDI and MicroProfile Config and must find none of Berth's.
 */
class ThirdPartyWarsIT {

    private static final Path WARS = Path.of("target", "third-party-wars").toAbsolutePath();

    @TempDir
    Path dir;

    private static BerthProcess serving(String war, String... more) {
        return BerthProcess.builder().loopback().args("--startup.hold=2m")
                .args(more).args(WARS.resolve(war).toString()).serving(war + " deployed in");
    }

    @Test
    void plainServletAppServesItsServletAndWelcomeFile() {
        try (BerthProcess berth = serving("jetty-ee10-demo-simple-webapp.war")) {
            int port = berth.port();
            assertThat(Http.get(port, "/hello/").body()).contains("HelloWorld from Servlet");
            assertThat(Http.get(port, "/").body()).contains("Hello World");
        }
    }

    /** Built from Spring Boot 3's starter (src/it/spring-boot-war): its own SLF4J 2 and Logback. */
    @Test
    void aSpringBoot3WarLogsThroughItsOwnLogbackWithoutAnSlf4jError() {
        try (BerthProcess berth = starterWar("spring-boot-war")) {
            HttpResponse<String> hello = Http.get(berth.port(), "/hello");
            assertThat(hello.statusCode()).isEqualTo(200);
            assertThat(hello.body()).isEqualTo("hello from Spring Boot");
            berth.awaitOutput("hello logged through ch.qos.logback.classic.LoggerContext");
            assertThat(berth.output()).doesNotContain("SLF4J(E)", "SLF4J(W)", "not a subtype", "BerthLoggingProvider");
        }
    }

    @Test
    void aWarWithItsOwnCdiAndMicroProfileConfigGetsItsOwnAndOneWithoutConfigFindsNoneOfBerths() {
        try (BerthProcess berth = starterWar("cdi-config-war")) {
            HttpResponse<String> greeting = Http.get(berth.port(), "/greeting");
            assertThat(greeting.statusCode()).isEqualTo(200);
            assertThat(greeting.body()).isEqualTo("hello from the WAR's MicroProfile Config (io.smallrye.config.SmallRyeConfig, the WAR's)");
            assertThat(berth.output()).contains("WELD-000900").doesNotContain("Could not load service class");
        }
        // Weld alone once found Berth's SmallRye CDI extension through berth.jar's service file, and could not load it
        try (BerthProcess berth = starterWar("cdi-war")) {
            assertThat(Http.get(berth.port(), "/greeting").body()).isEqualTo("hello from CDI");
            assertThat(berth.output()).contains("WELD-000900").doesNotContain("Could not load service class", "ConfigExtension");
        }
    }

    /** A WAR the build made from src/it (the invoker, before the integration tests). */
    private static BerthProcess starterWar(String name) {
        Path war = Path.of("target", "starter-wars", name, "target", name + ".war").toAbsolutePath();
        return BerthProcess.builder().loopback().args("--startup.hold=2m", war.toString()).serving(name + ".war deployed in");
    }

    @Test
    void twoThirdPartyWarsServeFromOneProcessEachAtItsPath() {
        try (BerthProcess berth = BerthProcess.builder().loopback().args("--startup.hold=2m",
                "/simple=" + WARS.resolve("jetty-ee10-demo-simple-webapp.war"), "/rest=" + WARS.resolve("jetty-ee10-demo-async-rest-webapp.war"))
                .serving("2 WARs deployed in")) {
            int port = berth.port();
            assertThat(Http.get(port, "/simple/hello/").body()).contains("HelloWorld from Servlet");
            assertThat(Http.get(port, "/rest/asyncrest.html").body()).contains("Blocking vs Asynchronous REST");
            assertThat(Http.get(port, "/hello/").statusCode()).as("outside both contexts").isEqualTo(404);
            assertThat(Http.get(port, "/health/ready").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void withMetricsOnAThirdPartyWarServesAsBeforeAndItsRequestsAreCounted() {
        try (BerthProcess berth = serving("jetty-ee10-demo-simple-webapp.war", "--metrics.enabled=true")) {
            int port = berth.port();
            for (int i = 0; i < 3; i++) {
                assertThat(Http.get(port, "/hello/").body()).contains("HelloWorld from Servlet");
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> Scrape.parse(Http.get(port, "/metrics").body())
                    .find("jetty_server_requests_seconds_count", "endpoint", "application", "status", "200").stream()
                    .mapToDouble(Scrape.Sample::value).sum() >= 3);
            assertThat(Scrape.parse(Http.get(port, "/metrics").body()).sum("berth_phase", "phase", "serving")).isEqualTo(1);
        }
    }

    @Test
    void webFragmentAndStaticResourcesFromALibraryJarServeAndAForeignJettyWebXmlIsSkipped() {
        try (BerthProcess berth = serving("jetty-ee10-demo-async-rest-webapp.war")) {
            int port = berth.port();
            assertThat(berth.output()).contains("WEB-INF/jetty-web.xml configures org.eclipse.jetty.ee10.webapp.WebAppContext");
            assertThat(Http.get(port, "/asyncrest.html").body()).contains("Blocking vs Asynchronous REST");
            HttpResponse<String> image = Http.get(port, "/asyncrest/green.png");
            assertThat(image.statusCode()).isEqualTo(200);
            assertThat(image.headers().firstValue("Content-Type")).contains("image/png");
        }
    }

    @Test
    void restAgentWithABasicLoginConfigDeploysWithoutUsersAndAuthenticatesWithAUsersFile() throws Exception {
        try (BerthProcess berth = serving("jolokia-agent-war.war")) {
            assertThat(Http.get(berth.port(), "/version").statusCode()).isEqualTo(401);
        }
        Path users = Files.writeString(dir.resolve("users.properties"), "ops: s3cret,jolokia\n");
        try (BerthProcess berth = serving("jolokia-agent-war.war", "--login.users-file=" + users)) {
            HttpResponse<String> version = Http.send(HttpRequest.newBuilder(Http.uri(berth.port(), "/version"))
                    .header("Authorization", Http.basic("ops", "s3cret")).build());
            assertThat(version.statusCode()).isEqualTo(200);
            assertThat(version.body()).contains("\"agent\":\"2.0.0\"");
        }
    }

    @Test
    void browserConsoleServesItsSinglePageApp() {
        try (BerthProcess berth = serving("hawtio-war.war")) {
            int port = berth.port();
            HttpResponse<String> index = Http.get(port, "/index.html");
            assertThat(index.statusCode()).isEqualTo(200);
            assertThat(index.body()).contains("<title>Hawtio</title>");
            assertThat(Http.get(port, "/hawtconfig.json").body()).contains("Hawtio");
            assertThat(Http.get(port, "/health").statusCode()).isEqualTo(200);
        }
    }
}
