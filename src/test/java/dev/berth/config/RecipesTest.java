package dev.berth.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The deployment recipes in config/ parse, point at Berth's health paths and leave time for the drain. */
class RecipesTest {

    private static final DurationConverter DURATION = new DurationConverter();
    private static final Duration STOP_MARGIN = dev.berth.Berth.STOP_MARGIN;

    @SuppressWarnings("unchecked")
    private static <T> T at(Object node, Object... path) {
        Object current = node;
        for (Object step : path) {
            current = step instanceof Integer i ? ((List<Object>) current).get(i) : ((Map<String, Object>) current).get(step);
        }
        return (T) current;
    }

    /** A recipe's list of environment variables as a map; {@code keyField} names the variable ("key" or "name"). */
    private static Map<String, String> variables(List<Map<String, Object>> list, String keyField) {
        Map<String, String> env = new java.util.HashMap<>();
        list.forEach(variable -> env.put((String) variable.get(keyField), String.valueOf(variable.get("value"))));
        return env;
    }

    /** How long Berth may take to stop with the recipe's settings: delay plus drain timeout. */
    private static Duration stopTime(Map<String, String> env) {
        return DURATION.convert(env.get("BERTH_SHUTDOWN_DELAY")).plus(DURATION.convert(env.get("BERTH_SHUTDOWN_TIMEOUT")));
    }

    @Test
    void renderBlueprintUsesDockerAndTheCombinedHealthCheck() throws Exception {
        Map<String, Object> blueprint;
        try (Reader reader = Files.newBufferedReader(Path.of("config/render.yaml"))) {
            blueprint = new Yaml().load(reader);
        }
        Map<String, Object> service = at(blueprint, "services", 0);
        assertThat(service).containsEntry("type", "web").containsEntry("runtime", "docker")
                .containsEntry("healthCheckPath", "/health").containsKeys("name", "dockerfilePath");
        Map<String, String> env = variables(at(service, "envVars"), "key");
        assertThat(env).doesNotContainKey("PORT");
        Duration stop = stopTime(env);
        int grace = at(service, "maxShutdownDelaySeconds");
        assertThat(grace).isBetween(1, 300);
        assertThat(stop).isLessThan(Duration.ofSeconds(grace));
    }

    @Test
    void kubernetesProbesTheManagementPortsHealthPathsScrapesItAndTheGracePeriodCoversTheDrain() throws Exception {
        List<Object> documents = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(Path.of("config/kubernetes.yaml"))) {
            new Yaml().loadAll(reader).forEach(documents::add);
        }
        Map<String, Object> deployment = documents.stream().map(d -> (Map<String, Object>) d)
                .filter(d -> "Deployment".equals(d.get("kind"))).findFirst().orElseThrow();
        assertThat(deployment).containsEntry("apiVersion", "apps/v1");
        Map<String, Object> pod = at(deployment, "spec", "template", "spec");
        Map<String, Object> container = at(pod, "containers", 0);
        assertThat((String) at(container, "startupProbe", "httpGet", "path")).isEqualTo("/health/started");
        assertThat((String) at(container, "readinessProbe", "httpGet", "path")).isEqualTo("/health/ready");
        assertThat((String) at(container, "livenessProbe", "httpGet", "path")).isEqualTo("/health/live");
        Map<String, String> env = variables(at(container, "env"), "name");
        assertThat(env.get("PORT")).isEqualTo(String.valueOf((Integer) at(container, "ports", 0, "containerPort")));
        // probes and scrapes on the management port, which the Service leaves out
        assertThat((String) at(container, "ports", 1, "name")).isEqualTo("management");
        String management = String.valueOf((Integer) at(container, "ports", 1, "containerPort"));
        assertThat(env).containsEntry("BERTH_MANAGEMENT_PORT", management).containsEntry("BERTH_METRICS_ENABLED", "true");
        for (String probe : List.of("startupProbe", "readinessProbe")) {
            assertThat((String) at(container, probe, "httpGet", "port")).as(probe).isEqualTo("management");
        }
        assertThat((String) at(container, "livenessProbe", "httpGet", "port")).as("a main port that no longer answers is restarted")
                .isEqualTo("http");
        Map<String, String> annotations = at(deployment, "spec", "template", "metadata", "annotations");
        assertThat(annotations).containsEntry("prometheus.io/scrape", "true").containsEntry("prometheus.io/port", management)
                .containsEntry("prometheus.io/path", "/metrics");
        Duration stop = stopTime(env);
        int grace = at(pod, "terminationGracePeriodSeconds");
        assertThat(Duration.ofSeconds(grace)).isGreaterThanOrEqualTo(stop.plusSeconds(5));
        assertThat(DURATION.convert(env.get("BERTH_SHUTDOWN_GRACE"))).as("Berth is told the grace period").isEqualTo(Duration.ofSeconds(grace));
        assertThat(documents).anySatisfy(d -> assertThat((Map<String, Object>) d).containsEntry("kind", "Service"));
    }

    @Test
    void railwayBuildsTheDockerfileChecksTheCombinedHealthAndDrainsLongerThanBerthStops() throws Exception {
        JsonNode railway = new ObjectMapper().readTree(Path.of("config/railway.json").toFile());
        assertThat(railway.path("build").path("builder").asText()).isEqualTo("DOCKERFILE");
        JsonNode deploy = railway.path("deploy");
        assertThat(deploy.path("healthcheckPath").asText()).isEqualTo("/health");
        assertThat(deploy.path("drainingSeconds").isInt()).as("a number: Railway refuses a string").isTrue();
        Duration defaults = Duration.ofMillis(new DurationConverter().convert("25s").toMillis()).plus(STOP_MARGIN);
        assertThat(Duration.ofSeconds(deploy.path("drainingSeconds").asInt())).as("SIGTERM to SIGKILL").isGreaterThan(defaults);
    }

    @Test
    void herokuRunsTheJarTheBuildCopiesFromMavenCentralWithTheWar() throws Exception {
        List<String> procfile = Files.readAllLines(Path.of("config/heroku/Procfile")).stream().filter(l -> !l.isBlank()).toList();
        assertThat(procfile).singleElement().satisfies(web -> assertThat(web)
                .startsWith("web: java $JAVA_OPTS -jar target/dependency/berth.jar ").endsWith(".war").doesNotContain("--port"));
        var plugin = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(Path.of("config/heroku/pom-plugin.xml").toFile()).getDocumentElement();
        var item = (org.w3c.dom.Element) plugin.getElementsByTagName("artifactItem").item(0);
        String pom = Files.readString(Path.of("pom.xml"));
        String version = pom.substring(pom.indexOf("<version>", pom.indexOf("<artifactId>berth</artifactId>")) + "<version>".length());
        assertThat(item.getElementsByTagName("groupId").item(0).getTextContent()).isEqualTo("dev.berth");
        assertThat(item.getElementsByTagName("artifactId").item(0).getTextContent()).isEqualTo("berth");
        assertThat(version).as("the recipe copies this build's version").startsWith(item.getElementsByTagName("version").item(0).getTextContent() + "<");
        assertThat(item.getElementsByTagName("destFileName").item(0).getTextContent()).isEqualTo("berth.jar");
        assertThat(Files.readString(Path.of("config/heroku/system.properties"))).contains("java.runtime.version=17");
    }

    @Test
    void theDockerfileRecipeTakesThisVersionByItsCoordinatesAndRunsItsWarAsPidOne() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("config/Dockerfile"));
        assertThat(lines).as("the release the recipe takes").contains("ARG BERTH_VERSION=" + dev.berth.base.Version.current());
        assertThat(String.join("\n", lines)).contains("-Dartifact=dev.berth:berth:${BERTH_VERSION}", "-Dmdep.stripVersion=true")
                .containsPattern("(?m)^ENTRYPOINT \\[\"java\", .*\"-jar\", \"/opt/berth/berth.jar\"\\]$")
                .containsPattern("(?m)^USER (?!root)\\w+$");
    }

    @Test
    void flyConfigChecksHealthOnThePortBerthBindsAndScrapesMetricsOnTheManagementPort() throws Exception {
        JsonNode fly = new TomlMapper().readTree(Path.of("config/fly.toml").toFile());
        assertThat(fly.path("app").asText()).isNotBlank();
        assertThat(fly.path("kill_signal").asText()).isEqualTo("SIGTERM");
        int port = Integer.parseInt(fly.path("env").path("PORT").asText());
        assertThat(fly.path("http_service").path("internal_port").asInt()).isEqualTo(port);
        JsonNode check = fly.path("http_service").path("checks").get(0);
        assertThat(check.path("path").asText()).isEqualTo("/health");
        assertThat(check.path("method").asText()).isEqualTo("GET");
        assertThat(fly.path("metrics").path("port").asText()).as("Fly's Prometheus scrapes the management port")
                .isEqualTo(fly.path("env").path("BERTH_MANAGEMENT_PORT").asText());
        assertThat(fly.path("metrics").path("path").asText()).isEqualTo("/metrics");
        assertThat(fly.path("env").path("BERTH_METRICS_ENABLED").asText()).isEqualTo("true");
        Duration stop = DURATION.convert(fly.path("env").path("BERTH_SHUTDOWN_DELAY").asText())
                .plus(DURATION.convert(fly.path("env").path("BERTH_SHUTDOWN_TIMEOUT").asText()));
        assertThat(Duration.ofSeconds(fly.path("kill_timeout").asInt())).isGreaterThan(stop);
        assertThat(DURATION.convert(fly.path("env").path("BERTH_SHUTDOWN_GRACE").asText())).as("Berth is told the kill_timeout")
                .isEqualTo(Duration.ofSeconds(fly.path("kill_timeout").asInt())).isGreaterThan(stop.plus(STOP_MARGIN));
    }
}
