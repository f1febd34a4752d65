package dev.berth.config;

import dev.berth.base.BerthException;
import dev.berth.base.ExitCode;
import dev.berth.testing.BerthProcess;

import org.eclipse.jetty.util.security.Password;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Sources, precedence, values and messages, with every source given explicitly: never the machine's own. */
class ConfigLoaderTest {

    @TempDir
    Path dir;

    private final Map<String, String> env = new HashMap<>();
    private final Map<String, String> sysprops = new HashMap<>();

    private LoadedConfig load(String... args) throws BerthException {
        return ConfigLoader.load(CommandLine.parse(args), new Environment(env, sysprops, dir));
    }

    private BerthException failure(String... args) {
        try {
            load(args);
        } catch (BerthException e) {
            return e;
        }
        throw new AssertionError("expected a configuration error");
    }

    private void writeLocalFile(String content) throws IOException {
        Files.createDirectories(dir.resolve("config"));
        Files.writeString(dir.resolve("config/berth.properties"), content);
    }

    /** Sets berth.host in {@code highest} and every source below it; returns the command line. */
    private String[] hostInEverySourceUpTo(String highest) throws IOException {
        List<String> order = List.of("default", "local file", "--config file", "environment", "system property", "command line");
        List<String> args = new java.util.ArrayList<>();
        for (String source : order.subList(0, order.indexOf(highest) + 1)) {
            String host = "10.0.0." + order.indexOf(source);
            switch (source) {
                case "local file" -> writeLocalFile("berth.host=" + host + "\n");
                case "--config file" -> args.add("--config=" + Files.writeString(dir.resolve("extra.properties"), "berth.host=" + host + "\n"));
                case "environment" -> env.put("BERTH_HOST", host);
                case "system property" -> sysprops.put("berth.host", host);
                case "command line" -> args.add("--host=" + host);
                default -> { }
            }
        }
        return args.toArray(String[]::new);
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
        assertThat(config.unixSocketMode().toString()).isEqualTo("rw-rw----");
        assertThat(config.shutdown().timeout()).isEqualTo(Duration.ofSeconds(25));
    }

    @ParameterizedTest(name = "with berth.host set in the {0} and every source below it, the {0} wins")
    @CsvSource({
        "command line,    10.0.0.5, command line",
        "system property, 10.0.0.4, system property",
        "environment,     10.0.0.3, environment variable BERTH_HOST",
        "--config file,   10.0.0.2, 'file {dir}/extra.properties, line 1'",
        "local file,      10.0.0.1, 'file config/berth.properties, line 1'",
        "default,         0.0.0.0,  default"})
    void eachSourceOverridesEveryOneBelowIt(String highest, String host, String origin) throws Exception {
        LoadedConfig loaded = load(hostInEverySourceUpTo(highest));
        assertThat(loaded.config().host()).isEqualTo(host);
        assertThat(loaded.origin("berth.host")).isEqualTo(origin.replace("{dir}", dir.toString()));
    }

    @ParameterizedTest(name = "PORT=10000 with {0} gives port {1}")
    @CsvSource({
        "nothing else,                 10000, environment variable PORT",
        "berth.port in the local file, 10001, 'file config/berth.properties, line 1'",
        "BERTH_PORT,                   10002, environment variable BERTH_PORT",
        "--port,                       10003, command line"})
    void thePlatformsPortIsTheFirstCandidateUnlessBerthPortIsSetAnywhere(String also, int port, String origin) throws Exception {
        env.put("PORT", "10000");
        String[] args = {};
        switch (also) {
            case "berth.port in the local file" -> writeLocalFile("berth.port=10001\n");
            case "BERTH_PORT" -> env.put("BERTH_PORT", "10002");
            case "--port" -> args = new String[] {"--port=10003"};
            default -> { }
        }
        LoadedConfig loaded = load(args);
        assertThat(loaded.config().port()).contains(port);
        assertThat(loaded.origin("berth.port")).isEqualTo(origin);
    }

    @ParameterizedTest(name = "{0} reads as {1}")
    @CsvSource({"500ms, PT0.5S", "30s, PT30S", "2m, PT2M", "1h, PT1H", "PT30S, PT30S", "pt1m30s, PT1M30S"})
    void durationsAcceptShortAndIsoForms(String text, String iso) throws Exception {
        assertThat(load("--shutdown.timeout=" + text).config().shutdown().timeout()).isEqualTo(Duration.parse(iso));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "a word in PORT is named as the platform's variable | PORT=abc |  | PORT=abc from environment variable PORT: not a port number (1-65535)",
        "zero tries is named as the variable | BERTH_BIND_ATTEMPTS=zero |  | BERTH_BIND_ATTEMPTS=zero from environment variable BERTH_BIND_ATTEMPTS: not a whole number of at least 1",
        "a bare number is not a duration |  | --shutdown.timeout=30 | --shutdown.timeout=30 from command line: not a duration (examples: 500ms, 30s, 2m, PT30S)",
        "a fallback port above 65535 is named |  | --fallback-ports=8080,70000 | --fallback-ports=8080,70000 from command line: '70000' is not a port number (1-65535)",
        "a backwards range is named |  | --fallback-ports=9010-9000 | --fallback-ports=9010-9000 from command line: range 9010-9000 runs backwards",
        "a context path needs a leading slash |  | --context-path=shop | --context-path=shop from command line: not a context path (examples: /, /shop)",
        "a boolean is true or false, nothing else |  | --compression=ture | --compression=ture from command line: not true or false",
        "an enum names its values |  | --access-log=yaml | --access-log=yaml from command line: not one of off, text, json, combined",
        "the management port is not a main candidate |  | --management.port=8000 | --management.port=8000 from command line: the main port's candidates (berth.port, berth.fallback-ports) include it; the management port needs one of its own",
        "a file mode is octal |  | --unix-socket-mode=rw | --unix-socket-mode=rw from command line: not an octal file mode (examples: 0660, 0600)",
        "0 may only be the last candidate |  | --port=0 | --port=0 from command line: 0 (any free port) always binds, so it may only be the last candidate; put it last or empty berth.fallback-ports",
        "too few threads are refused |  | --threads.max=4 | --threads.max=4 from command line: Jetty needs at least 8 threads (acceptors, selectors and requests)",
        "served metrics cannot live under health | BERTH_METRICS_ENABLED=true | --metrics.path=/health/metrics | --metrics.path=/health/metrics from command line: the health endpoints live under /health",
        "metrics need a path of their own |  | --metrics.path=/ | --metrics.path=/ from command line: metrics need a path of their own (example: /metrics)",
        "served metrics need a path | BERTH_METRICS_ENABLED=true | --metrics.path= | --metrics.path= from command line: berth.metrics.enabled=true needs a path to serve metrics at",
        "the OTLP endpoint is an http URL |  | --metrics.otlp.url=otlp.example.com:4318 | --metrics.otlp.url=otlp.example.com:4318 from command line: not an http or https URL",
        "OTLP headers are NAME=VALUE, shown masked |  | --metrics.otlp.headers=Bearer s3cret | --metrics.otlp.headers=**** from command line: not a list of NAME=VALUE",
        "an OTLP header's escape is two hex digits |  | --metrics.otlp.headers=Authorization=Bearer%zzs3cret | --metrics.otlp.headers=**** from command line: a value has a % that is not followed by two hex digits (write %25 for a %)",
        "pushes go at most once a second |  | --metrics.otlp.interval=1ms | --metrics.otlp.interval=1ms from command line: shorter than a second (pushes go at most once a second)"})
    void aBadValueIsExit64NamingTheKeyAsWrittenTheValueAndTheSource(String name, String variable, String flag, String message) {
        if (variable != null) {
            String[] kv = variable.split("=", 2);
            env.put(kv[0], kv[1]);
        }
        BerthException e = flag == null ? failure() : failure(flag);
        assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(e.description()).isEqualTo(message);
    }

    @Test
    void healthMayTakeTheMetricsPathWhileMetricsAreOff() throws Exception {
        assertThat(load("--health.path=/metrics").config().health().path()).isEqualTo("/metrics");
    }

    @Test
    void aBadValueInAFileNamesTheFileAndTheLine() throws Exception {
        writeLocalFile("berth.host=127.0.0.1\n\nberth.bind.backoff=soon\n");
        assertThat(failure().description())
                .isEqualTo("berth.bind.backoff=soon from file config/berth.properties, line 3: not a duration (examples: 500ms, 30s, 2m, PT30S)");
    }

    @Test
    void valuesInAFileAreStrippedLikeFlags() throws Exception {
        writeLocalFile("berth.host=127.0.0.1   \nberth.shutdown.timeout = 5s\t\n");
        BerthConfig config = load().config();
        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.shutdown().timeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @ParameterizedTest(name = "an unknown {0} suggests {2}")
    @CsvSource(delimiter = '|', value = {
        "flag | --fallback-port=1 | --fallback-ports | unknown option --fallback-port",
        "environment variable | BERTH_FALLBACK_PORT=1 | BERTH_FALLBACK_PORTS | unknown setting BERTH_FALLBACK_PORT (from environment variable BERTH_FALLBACK_PORT)",
        "key in a file | # a comment\\nberth.shutdown.timout=5s | berth.shutdown.timeout | unknown setting berth.shutdown.timout (from file config/berth.properties, line 2)",
        "system property | berth.shutdown.timout=5s | berth.shutdown.timeout | unknown setting berth.shutdown.timout (from system property)"})
    void anUnknownKeySuggestsTheClosestName(String kind, String input, String suggested, String description) throws Exception {
        BerthException e;
        switch (kind) {
            case "flag" -> e = failure(input);
            case "environment variable" -> {
                env.put(input.split("=")[0], "1");
                e = failure();
            }
            case "key in a file" -> {
                writeLocalFile(input.replace("\\n", "\n") + "\n");
                e = failure();
            }
            default -> {
                sysprops.put(input.split("=")[0], "5s");
                e = failure();
            }
        }
        assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(e.description()).isEqualTo(description);
        assertThat(e.action()).hasValueSatisfying(a -> assertThat(a).startsWith("did you mean " + suggested + "?"));
    }

    @Test
    void unrelatedPropertiesAndVariablesAreIgnored() throws Exception {
        writeLocalFile("server.port=1\n");
        env.put("HOME", "/root");
        env.put("BERTHA", "x");
        sysprops.put("java.home", "/x");
        assertThat(load().config().host()).isEqualTo("0.0.0.0");
    }

    @Test
    void emptyValuesTurnThingsOff() throws Exception {
        BerthConfig config = load("--health.path=", "--fallback-ports=").config();
        assertThat(config.health().path()).isEmpty();
        assertThat(config.fallbackPorts().ranges()).isEmpty();
    }

    @ParameterizedTest(name = "--port={0} --fallback-ports={1} is allowed")
    @CsvSource({"0, ''", "9000, '9001,0'", "9000, ''"})
    void zeroIsAllowedAsTheLastCandidate(String port, String fallbacks) throws Exception {
        assertThat(load("--port=" + port, "--fallback-ports=" + fallbacks).config().port()).contains(Integer.parseInt(port));
    }

    @Test
    void aMissingConfigFileIsExit64NamingIt() {
        BerthException e = failure("--config=nope.properties");
        assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(e.description()).contains("nope.properties", "no such file");
    }

    @Test
    void basicAuthNeedsBothHalves() {
        assertThat(failure("--basic-auth.user=stage").description())
                .isEqualTo("berth.basic-auth.user and berth.basic-auth.password go together; berth.basic-auth.password is not set");
    }

    @Test
    void printConfigShowsEveryPropertyWithItsSource() throws Exception {
        env.put("PORT", "9999");
        List<String> lines = load("--host=127.0.0.1", "--datasource.app.url=jdbc:postgresql://db/app").describeAll();
        // a map's properties appear once for each of its keys
        long perKey = Catalog.get().entries().stream().filter(Catalog.Entry::isPattern).count();
        assertThat(lines).hasSize(Catalog.get().entries().size());
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("berth\\.datasource\\.app\\.url\\s+jdbc:postgresql://db/app\\s+command line"))
                .anySatisfy(l -> assertThat(l).matches("berth\\.datasource\\.app\\.pool-size\\s+4\\s+default"))
                .noneSatisfy(l -> assertThat(l).contains(Catalog.KEY));
        assertThat(perKey).isEqualTo(4);
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("berth\\.port\\s+9999\\s+environment variable PORT"));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("berth\\.host\\s+127\\.0\\.0\\.1\\s+command line"));
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("berth\\.fallback-ports\\s+8080,8000\\s+default"));
    }

    @Test
    void helpListsEveryPropertyWithFlagEnvAndDefault() {
        String help = String.join("\n", HelpText.lines());
        for (Catalog.Entry entry : Catalog.get().entries()) {
            assertThat(help).contains(entry.flag(), entry.envVar(), entry.help());
        }
        assertThat(HelpText.lines()).contains("      env BERTH_FALLBACK_PORTS, default 8080,8000", "      env BERTH_PORT, default value of PORT");
    }

    @Test
    void fromMapReadsNeitherSystemPropertiesNorTheEnvironment() throws Exception {
        String before = System.getProperty("berth.host");
        System.setProperty("berth.host", "10.9.9.9");
        try {
            BerthConfig config = ConfigLoader.fromMap(Map.of());
            assertThat(config.host()).isEqualTo("0.0.0.0");
            assertThat(config.port()).as("PORT of this machine, if any").isEmpty();
        } finally {
            if (before == null) {
                System.clearProperty("berth.host");
            } else {
                System.setProperty("berth.host", before);
            }
        }
    }

    @Test
    void subprocessTestsClearEveryVariableThatMarksAPlatform() {
        assertThat(java.util.Arrays.stream(Platform.values()).map(p -> p.variable)).containsExactlyInAnyOrderElementsOf(BerthProcess.PLATFORM_VARIABLES);
    }

    @Test
    void commandsAreOrderedHelpFirst() throws Exception {
        assertThat(CommandLine.parse("--version", "--help").command()).isEqualTo(CommandLine.Command.HELP);
        assertThat(CommandLine.parse("--train", "--print-config").command()).isEqualTo(CommandLine.Command.PRINT_CONFIG);
        assertThat(CommandLine.parse("app.war").command()).isEqualTo(CommandLine.Command.RUN);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "a value may follow a space | --port 9000 | berth.port=9000",
        "a value may follow an equals sign | --host=127.0.0.1 | berth.host=127.0.0.1",
        "a boolean flag alone means true | --compression | berth.compression=true",
        "the positional argument is the WAR | app.war | berth.war=app.war",
        "after -- every argument is positional | -- --odd.war | berth.war=--odd.war",
        "several WARs, each at its path, are one list | /shop=shop.war /api=api.war | berth.war=/shop=shop.war,/api=api.war"})
    void commandLineForms(String name, String args, String property) throws Exception {
        String[] kv = property.split("=", 2);
        assertThat(CommandLine.parse(args.split(" ")).properties()).containsEntry(kv[0], kv[1]);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "two WARs without their paths are refused | a.war b.war | several WARs given, and a.war has no context path",
        "two WARs, one without its path, are refused | /a=a.war b.war | several WARs given, and b.war has no context path",
        "a WAR both as flag and positional is refused | --war=a.war b.war | the WAR is given twice: --war=a.war and b.war",
        "a flag without its value is refused | --port | --port needs a value",
        "a flag followed by another flag has no value | --port --host=x | --port needs a value"})
    void badCommandLinesAreExit64(String name, String args, String message) {
        assertThatThrownBy(() -> CommandLine.parse(args.split(" "))).isInstanceOfSatisfying(BerthException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
            assertThat(e.description()).isEqualTo(message);
        });
    }

    @ParameterizedTest(name = "{0}: timeout {2} from {3}")
    @CsvSource(delimiter = '|', value = {
        "Fly.io, nothing set                 | FLY_APP_NAME |                        | PT4.5S | platform detection (FLY_APP_NAME is set)",
        "Fly.io, a delay set                 | FLY_APP_NAME | --shutdown.delay=2s    | PT2.5S | platform detection (FLY_APP_NAME is set)",
        "Fly.io, the timeout set             | FLY_APP_NAME | --shutdown.timeout=10s | PT10S  | command line",
        "Fly.io, the grace period set        | FLY_APP_NAME | --shutdown.grace=60s   | PT25S  | default",
        "Render, whose grace fits the default | RENDER      |                        | PT25S  | default"})
    void onAPlatformWhoseGracePeriodIsShorterTheDefaultTimeoutIsFittedIntoIt(String name, String variable, String flag, String timeout,
                                                                             String origin) throws Exception {
        env.put(variable, "app");
        LoadedConfig loaded = flag == null ? load() : load(flag);
        assertThat(loaded.config().shutdown().timeout()).isEqualTo(Duration.parse(timeout));
        assertThat(loaded.origin("berth.shutdown.timeout")).isEqualTo(origin);
    }

    @Test
    void aPathSettingThatNamesNothingUsableIsExit64NamingTheKeyThePathAndTheSource() throws Exception {
        Path missing = dir.resolve("missing");
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        BerthException contextXml = failure("--context-xml=" + missing.resolve("context.xml"));
        assertThat(contextXml.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(contextXml.description()).isEqualTo("--context-xml=" + missing.resolve("context.xml") + " from command line: "
                + missing.resolve("context.xml") + " is not a readable file");
        assertThat(contextXml.action()).hasValue("give the path of a Tomcat context.xml, or leave berth.context-xml out");

        env.put("BERTH_CLASSPATH", file + File.pathSeparator + missing.resolve("driver.jar"));
        BerthException classpath = failure();
        assertThat(classpath.description()).isEqualTo("BERTH_CLASSPATH=" + file + File.pathSeparator + missing.resolve("driver.jar")
                + " from environment variable BERTH_CLASSPATH: names " + missing.resolve("driver.jar") + ", which does not exist");
        env.clear();

        BerthException sessions = failure("--sessions.store=file", "--sessions.file.dir=" + file);
        assertThat(sessions.description()).endsWith(file + " is a file, not a folder");
        assertThat(load("--sessions.store=file", "--sessions.file.dir=" + missing).config().sessions().file().dir()).hasValue(missing.toString());
    }

    @ParameterizedTest(name = "{0} is exit 64: {1}")
    @CsvSource(delimiter = '|', value = {
        "OBF:abc    | OBF: is not followed by a password Jetty's Password tool obfuscated",
        "MD5:12345  | MD5: is not followed by the 32 hex digits of an MD5 digest",
        "CRYPT:     | CRYPT: is not followed by a crypt(3) hash"})
    void aBasicAuthPasswordInAJettyFormThatJettyCannotReadIsExit64WithTheValueMasked(String password, String reason) {
        env.put("BERTH_BASIC_AUTH_PASSWORD", password);
        BerthException e = failure("--basic-auth.user=stage");
        assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(e.description()).isEqualTo("BERTH_BASIC_AUTH_PASSWORD=**** from environment variable BERTH_BASIC_AUTH_PASSWORD: " + reason);
        assertThat(e.action().orElseThrow()).contains("org.eclipse.jetty.util.security.Password");
    }

    @Test
    void aBasicAuthPasswordInAJettyFormJettyCanReadIsTaken() throws Exception {
        for (String password : List.of(Password.obfuscate("s3cret"), "MD5:" + "0".repeat(32), "CRYPT:abc", "plain", "OBF")) {
            env.put("BERTH_BASIC_AUTH_PASSWORD", password);
            assertThat(load("--basic-auth.user=stage").config().basicAuth().password()).hasValue(password);
        }
    }

    private BerthConfig.LogFormat logFormat(CommandLine commandLine) {
        return ConfigLoader.logFormat(commandLine, new Environment(env, sysprops, dir));
    }

    @Test
    void theLogFormatIsReadFromItsSourcesWhenAnotherSettingIsBad() throws Exception {
        env.put("BERTH_LOG_FORMAT", "json");
        assertThat(failure("--port=abc").exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(logFormat(CommandLine.parse("--port=abc"))).isEqualTo(BerthConfig.LogFormat.JSON);
        assertThat(logFormat(CommandLine.parse("--port=abc", "--log.format=text"))).isEqualTo(BerthConfig.LogFormat.TEXT);
        env.clear();
        writeLocalFile("berth.log.format=JSON\n");
        assertThat(logFormat(CommandLine.parse())).isEqualTo(BerthConfig.LogFormat.JSON);
    }

    @Test
    void aCommandLineThatCannotBeParsedIsStillReadForTheLogFormat() {
        assertThat(logFormat(CommandLine.lenient("--bogus", "x", "--log.format", "json", "a.war", "b.war"))).isEqualTo(BerthConfig.LogFormat.JSON);
        assertThat(logFormat(CommandLine.lenient("--log.format=json", "--port"))).isEqualTo(BerthConfig.LogFormat.JSON);
        assertThat(logFormat(CommandLine.lenient("--log.format"))).isEqualTo(BerthConfig.LogFormat.TEXT);
        assertThat(logFormat(CommandLine.lenient("--config=" + dir.resolve("missing.properties"), "--log.format=json")))
                .as("a configuration file that cannot be read is left out of the question").isEqualTo(BerthConfig.LogFormat.JSON);
        assertThat(logFormat(CommandLine.lenient())).isEqualTo(BerthConfig.LogFormat.TEXT);
    }
}
