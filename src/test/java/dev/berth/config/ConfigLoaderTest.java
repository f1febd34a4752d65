package dev.berth.config;

import dev.berth.BerthException;
import dev.berth.ExitCode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private LoadedConfig load(Map<String, String> env, Map<String, String> sysprops, String... args) throws BerthException {
        return ConfigLoader.load(CommandLine.parse(args), new Environment(env, sysprops, dir));
    }

    private LoadedConfig load(String... args) throws BerthException {
        return load(Map.of(), Map.of(), args);
    }

    private BerthException failure(Map<String, String> env, String... args) {
        try {
            load(env, Map.of(), args);
        } catch (BerthException e) {
            return e;
        }
        throw new AssertionError("expected a configuration error");
    }

    private void writeLocalFile(String content) throws IOException {
        Files.createDirectories(dir.resolve("config"));
        Files.writeString(dir.resolve("config/berth.properties"), content);
    }

    @Test
    void defaultsApplyWhenNothingIsSet() throws Exception {
        BerthConfig config = load().config();
        assertThat(config.port()).isEmpty();
        assertThat(config.fallbackPorts().ranges()).containsExactly(PortList.Range.of(8080), PortList.Range.of(8000));
        assertThat(config.host()).isEqualTo("0.0.0.0");
        assertThat(config.bind().attempts()).isEqualTo(3);
        assertThat(config.bind().backoff()).isEqualTo(Duration.ofMillis(250));
        assertThat(config.war()).isEmpty();
        assertThat(config.contextPath()).isEqualTo("/");
        assertThat(config.health().path()).isEqualTo("/health");
        assertThat(config.startup().hold()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.pidFile()).isEmpty();
        assertThat(config.portFile()).isEmpty();
        assertThat(config.unixSocket()).isEmpty();
        assertThat(config.shutdown().timeout()).isEqualTo(Duration.ofSeconds(25));
    }

    @Test
    void eachSourceOverridesTheOnesBelowIt() throws Exception {
        Path extra = dir.resolve("extra.properties");
        Files.writeString(extra, "berth.host=10.0.0.5\n");
        writeLocalFile("berth.host=10.0.0.6\n");
        Map<String, String> env = Map.of("BERTH_HOST", "10.0.0.4");
        Map<String, String> sysprops = Map.of("berth.host", "10.0.0.3");

        assertThat(load(env, sysprops, "--config=" + extra, "--host=10.0.0.2").config().host()).isEqualTo("10.0.0.2");
        LoadedConfig fromSysprops = load(env, sysprops, "--config=" + extra);
        assertThat(fromSysprops.config().host()).isEqualTo("10.0.0.3");
        assertThat(fromSysprops.origin("berth.host")).isEqualTo("system property");
        LoadedConfig fromEnv = load(env, Map.of(), "--config=" + extra);
        assertThat(fromEnv.config().host()).isEqualTo("10.0.0.4");
        assertThat(fromEnv.origin("berth.host")).isEqualTo("environment variable BERTH_HOST");
        LoadedConfig fromFile = load(Map.of(), Map.of(), "--config", extra.toString());
        assertThat(fromFile.config().host()).isEqualTo("10.0.0.5");
        assertThat(fromFile.origin("berth.host")).isEqualTo("file " + extra + ", line 1");
        LoadedConfig fromLocal = load();
        assertThat(fromLocal.config().host()).isEqualTo("10.0.0.6");
        assertThat(fromLocal.origin("berth.host")).isEqualTo("file config/berth.properties, line 1");
        Files.delete(dir.resolve("config/berth.properties"));
        assertThat(load().origin("berth.host")).isEqualTo("default");
    }

    @Test
    void platformPortIsTheFirstCandidateUnlessBerthPortIsSet() throws Exception {
        LoadedConfig platform = load(Map.of("PORT", "10000"), Map.of());
        assertThat(platform.config().port()).contains(10000);
        assertThat(platform.origin("berth.port")).isEqualTo("environment variable PORT");

        writeLocalFile("berth.port=10001\n");
        assertThat(load(Map.of("PORT", "10000"), Map.of()).config().port()).contains(10001);
        assertThat(load(Map.of("PORT", "10000", "BERTH_PORT", "10002"), Map.of()).config().port()).contains(10002);
        assertThat(load(Map.of("PORT", "10000"), Map.of(), "--port=10003").config().port()).contains(10003);
    }

    @ParameterizedTest
    @CsvSource({"500ms, PT0.5S", "30s, PT30S", "2m, PT2M", "1h, PT1H", "PT30S, PT30S", "pt1m30s, PT1M30S"})
    void durationsAcceptShortAndIsoForms(String text, String iso) throws Exception {
        assertThat(load("--shutdown.timeout=" + text).config().shutdown().timeout()).isEqualTo(Duration.parse(iso));
    }

    @Test
    void badValueNamesTheKeyTheValueAndTheSource() {
        assertThat(failure(Map.of("PORT", "abc")).description())
                .isEqualTo("PORT=abc from environment variable PORT: not a port number (1-65535)");
        assertThat(failure(Map.of("BERTH_BIND_ATTEMPTS", "zero")).description())
                .isEqualTo("BERTH_BIND_ATTEMPTS=zero from environment variable BERTH_BIND_ATTEMPTS: not a whole number of at least 1");
        assertThat(failure(Map.of(), "--shutdown.timeout=30").description())
                .isEqualTo("--shutdown.timeout=30 from command line: not a duration (examples: 500ms, 30s, 2m, PT30S)");
        assertThat(failure(Map.of(), "--fallback-ports=8080,70000").description())
                .startsWith("--fallback-ports=8080,70000 from command line: '70000' is not a port number");
        assertThat(failure(Map.of(), "--fallback-ports=9010-9000").description())
                .contains("9010-9000 runs backwards");
        assertThat(failure(Map.of(), "--context-path=shop").description())
                .isEqualTo("--context-path=shop from command line: not a context path (examples: /, /shop)");
        assertThat(failure(Map.of(), "--fallback-ports=abc").exitCode()).isEqualTo(ExitCode.USAGE);
    }

    @Test
    void badValueInAFileNamesTheFile() throws Exception {
        writeLocalFile("berth.host=127.0.0.1\n\nberth.bind.backoff=soon\n");
        assertThat(failure(Map.of()).description())
                .isEqualTo("berth.bind.backoff=soon from file config/berth.properties, line 3: not a duration (examples: 500ms, 30s, 2m, PT30S)");
    }

    @Test
    void unknownKeysSuggestTheClosestName() throws Exception {
        assertThat(failure(Map.of(), "--fallback-port=1").action()).contains("did you mean --fallback-ports? (--help lists every option)");
        assertThat(failure(Map.of("BERTH_FALLBACK_PORT", "1")).description()).contains("BERTH_FALLBACK_PORT");
        assertThat(failure(Map.of("BERTH_FALLBACK_PORT", "1")).action()).hasValueSatisfying(a -> a.startsWith("did you mean BERTH_FALLBACK_PORTS?"));
        writeLocalFile("# a comment\nberth.shutdown.timout=5s\n");
        BerthException fromFile = failure(Map.of());
        assertThat(fromFile.description()).isEqualTo("unknown setting berth.shutdown.timout (from file config/berth.properties, line 2)");
        assertThat(fromFile.action()).hasValueSatisfying(a -> a.startsWith("did you mean berth.shutdown.timeout?"));
    }

    @Test
    void unrelatedPropertiesAndVariablesAreIgnored() throws Exception {
        writeLocalFile("server.port=1\n");
        assertThat(load(Map.of("HOME", "/root", "BERTHA", "x"), Map.of("java.home", "/x")).config().host()).isEqualTo("0.0.0.0");
    }

    @Test
    void emptyValuesTurnThingsOff() throws Exception {
        BerthConfig config = load("--health.path=", "--fallback-ports=").config();
        assertThat(config.health().path()).isEmpty();
        assertThat(config.fallbackPorts().ranges()).isEmpty();
    }

    @Test
    void zeroIsAllowedOnlyAsTheLastCandidate() throws Exception {
        assertThat(load("--port=0", "--fallback-ports=").config().port()).contains(0);
        assertThat(load("--port=9000", "--fallback-ports=9001,0").config().fallbackPorts().toString()).isEqualTo("9001,0");
        assertThat(failure(Map.of(), "--port=0").description()).startsWith("--port=0 from command line: 0 (any free port)");
        assertThat(failure(Map.of(), "--fallback-ports=0,9000").exitCode()).isEqualTo(ExitCode.USAGE);
    }

    @Test
    void aMissingConfigFileIsAnError() {
        BerthException e = failure(Map.of(), "--config=nope.properties");
        assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(e.description()).contains("nope.properties", "no such file");
    }

    @Test
    void commandLineForms() throws Exception {
        CommandLine line = CommandLine.parse("--port", "9000", "--host=127.0.0.1", "app.war");
        assertThat(line.properties()).containsEntry("berth.port", "9000").containsEntry("berth.host", "127.0.0.1")
                .containsEntry("berth.war", "app.war");
        assertThat(CommandLine.parse("--print-config").command()).isEqualTo(CommandLine.Command.PRINT_CONFIG);
        assertThat(CommandLine.parse("--version", "--help").command()).isEqualTo(CommandLine.Command.HELP);
        assertThatThrownBy(() -> CommandLine.parse("a.war", "b.war")).hasMessageContaining("more than one WAR");
        assertThatThrownBy(() -> CommandLine.parse("--port")).hasMessage("--port needs a value");
    }

    @Test
    void printConfigShowsEveryPropertyWithItsSource() throws Exception {
        List<String> lines = load(Map.of("PORT", "9999"), Map.of(), "--host=127.0.0.1").describeAll();
        assertThat(lines).hasSize(Catalog.get().entries().size());
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("berth\\.port\\s+9999\\s+environment variable PORT"));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("berth\\.host\\s+127\\.0\\.0\\.1\\s+command line"));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("berth\\.fallback-ports\\s+8080,8000\\s+default"));
    }

    @Test
    void helpListsEveryPropertyWithFlagEnvAndDefault() {
        List<String> help = HelpText.lines();
        for (Catalog.Entry entry : Catalog.get().entries()) {
            assertThat(String.join("\n", help)).contains(entry.flag(), entry.envVar(), entry.help());
        }
        assertThat(help).contains("      env BERTH_FALLBACK_PORTS, default 8080,8000", "      env BERTH_PORT, default value of PORT");
    }

    @Test
    void fromMapIgnoresTheMachineEnvironment() throws Exception {
        Map<String, String> properties = new HashMap<>();
        properties.put("berth.port", "9100");
        assertThat(ConfigLoader.fromMap(properties).port()).contains(9100);
    }
}
