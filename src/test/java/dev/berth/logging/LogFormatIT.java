package dev.berth.logging;

import dev.berth.testing.BerthProcess;
import dev.berth.testing.Http;
import dev.berth.testing.Wars;

import org.eclipse.jetty.util.ajax.JSON;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Berth's log as a platform's collector reads it from the real jar: with {@code --log.format=json} every line is a JSON
 * object (Berth's, Jetty's, the WAR's java.util.logging records, the last words of a failed run), and in both formats
 * a password never shows.
 */
class LogFormatIT {

    private static final String JUL_LOGGER = "dev.berth.fixture.exposed.JulServlet";

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> objects(String output) {
        List<String> lines = output.lines().toList();
        assertThat(lines).isNotEmpty().allSatisfy(line -> assertThat(line).startsWith("{").endsWith("}"));
        return lines.stream().map(line -> (Map<String, Object>) new JSON().fromJSON(line)).toList();
    }

    private static List<Map<String, Object>> withMessage(List<Map<String, Object>> objects, String start) {
        return objects.stream().filter(o -> String.valueOf(o.get("message")).startsWith(start)).toList();
    }

    @Test
    void atDebugTheStartAndTheDeploymentEachLogTheirPhasesInOneLine() {
        try (BerthProcess berth = BerthProcess.builder().loopback().jvm("-Ddev.berth.LEVEL=DEBUG").args(Wars.hello().toString())
                .serving("hello.war deployed in")) {
            assertThat(berth.output())
                    .containsPattern("DEBUG:db.Berth:main: Start-up: config \\d+ ms, logging \\d+ ms, check \\d+ ms, claim \\d+ ms, server \\d+ ms, "
                            + "bind \\d+ ms, health \\d+ ms, files, session store \\d+ ms \\(\\d+ ms in all\\)")
                    .containsPattern("Deployment of hello.war: context \\d+ ms, unpack \\d+ ms, scan \\d+ ms, configure \\d+ ms, backing services \\d+ ms, "
                            + "start \\d+ ms, hand-over \\d+ ms \\(\\d+ ms in all\\)")
                    // SLF4J starts before the preload thread: never two threads at once, so nothing is replayed
                    .doesNotContain("SLF4J");
        }
    }

    @Test
    void everyLineOfAJsonRunIsAJsonObjectWithAUtcTimestampAndTheFullLoggerName() {
        try (BerthProcess berth = BerthProcess.builder().loopback().args("--log.format=json", "--access-log=json", Wars.build("exposed").toString())
                .serving("exposed.war deployed in")) {
            assertThat(Http.get(berth.port(), "/jul").body()).isEqualTo("logged");
            berth.awaitOutput("\"path\":\"/jul\"");
            assertThat(berth.terminate()).isEqualTo(143);
            List<Map<String, Object>> logs = objects(berth.output()).stream().filter(o -> o.containsKey("level")).toList();
            assertThat(logs).allSatisfy(o -> {
                assertThat(o).containsKeys("timestamp", "level", "logger", "thread", "message");
                assertThat((String) o.get("timestamp")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
                assertThat(Instant.parse((String) o.get("timestamp"))).isBefore(Instant.now());
            });
            assertThat(logs).extracting(o -> o.get("logger")).contains("org.eclipse.jetty.server.Server", "dev.berth.Berth")
                    .doesNotContain("oejs.Server", "db.Berth");
            assertThat(withMessage(logs, "Stopped in")).singleElement()
                    .satisfies(o -> assertThat(o).containsEntry("phase", "STOPPING").containsEntry("port", (long) berth.port()));
        }
    }

    @Test
    void aWarsJavaUtilLoggingRecordsArriveOnceEachAsMaskedJsonLines() {
        try (BerthProcess berth = BerthProcess.builder().loopback().args("--log.format=json", "--access-log=json", Wars.build("exposed").toString())
                .serving("exposed.war deployed in")) {
            Http.get(berth.port(), "/jul");
            berth.awaitOutput("\"path\":\"/jul\"");
            String output = berth.output();
            assertThat(output).doesNotContain("jul-secret-pw", "a detail below JUL's level");
            List<Map<String, Object>> objects = objects(output);
            assertThat(withMessage(objects, "jul: connecting")).singleElement().satisfies(o -> assertThat(o)
                    .containsEntry("level", "INFO").containsEntry("logger", JUL_LOGGER)
                    .containsEntry("message", "jul: connecting to postgres://shop:****@db.internal:5432/shop")
                    .containsEntry("phase", "SERVING").containsKey("thread"));
            assertThat(withMessage(objects, "jul: pool")).singleElement()
                    .satisfies(o -> assertThat(o).containsEntry("message", "jul: pool shop-pool ready"));
            assertThat(withMessage(objects, "jul: connection refused")).singleElement().satisfies(o -> assertThat(o)
                    .containsEntry("level", "WARN").extractingByKey("stackTrace").asString()
                    .startsWith("java.lang.IllegalStateException: jul: refused by db.internal\n\tat "));
        }
    }

    @Test
    void inTextModeAJavaUtilLoggingRecordIsOneMaskedLineInJettysFormatAndJettysLinesAreUnchanged() {
        try (BerthProcess berth = BerthProcess.builder().loopback().args(Wars.build("exposed").toString()).serving("exposed.war deployed in")) {
            Http.get(berth.port(), "/jul");
            berth.awaitOutput("\"GET /jul\" 200");
            String output = berth.output();
            assertThat(output).doesNotContain("jul-secret-pw", "INFO: jul:", "WARNING: jul:")
                    .containsPattern("(?m)^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}:INFO :oejs\\.Server:main: jetty-12\\.1\\.")
                    .containsPattern("(?m)^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}:INFO :dbfe\\.JulServlet:[^:]+: "
                            + "jul: connecting to postgres://shop:\\*\\*\\*\\*@db\\.internal:5432/shop$")
                    .containsPattern("(?m):WARN :dbfe\\.JulServlet:[^:]+: jul: connection refused, retrying\\R"
                            + "java\\.lang\\.IllegalStateException: jul: refused by db\\.internal\\R\\tat ");
            assertThat(output.split("jul: connecting to", -1)).as("printed once").hasSize(2);
        }
    }

    @Test
    void aBadSettingEndsWithOneJsonLineInJsonModeAndTwoTextLinesInTextMode() {
        BerthProcess.Result json = BerthProcess.run("--log.format=json", "--port=abc");
        assertThat(json.exitCode()).isEqualTo(64);
        assertThat(objects(json.output())).singleElement().satisfies(o -> {
            assertThat(o).containsEntry("level", "ERROR").containsEntry("logger", "dev.berth.Main").containsEntry("exitCode", 64L)
                    .containsEntry("message", "--port=abc from command line: not a port number (1-65535)")
                    .containsEntry("action", "fix the value, or leave it out to use the default (--help shows each setting)");
            assertThat(Instant.parse((String) o.get("timestamp"))).isBefore(Instant.now());
        });

        BerthProcess.Result text = BerthProcess.run("--port=abc");
        assertThat(text.exitCode()).isEqualTo(64);
        assertThat(text.output().lines()).containsExactly("berth: --port=abc from command line: not a port number (1-65535)",
                "berth: fix the value, or leave it out to use the default (--help shows each setting)");
    }

    @Test
    void anUnknownFlagOrAMissingWarStillEndsInJsonWhenJsonIsAskedFor() {
        BerthProcess.Result flag = BerthProcess.builder().env("BERTH_LOG_FORMAT", "json").args("--bogus").run();
        assertThat(flag.exitCode()).isEqualTo(64);
        assertThat(objects(flag.output())).singleElement().satisfies(o -> assertThat(o).containsEntry("message", "unknown option --bogus"));

        BerthProcess.Result flagBefore = BerthProcess.run("--bogus", "--log.format=json");
        assertThat(flagBefore.exitCode()).isEqualTo(64);
        assertThat(objects(flagBefore.output())).singleElement().satisfies(o -> assertThat(o).containsEntry("exitCode", 64L)
                .containsEntry("message", "unknown option --bogus"));

        BerthProcess.Result missing = BerthProcess.builder().loopback().args("--log.format=json", "no-such.war").run();
        assertThat(missing.exitCode()).isEqualTo(66);
        List<Map<String, Object>> objects = objects(missing.output());
        assertThat(objects.get(objects.size() - 1)).containsEntry("level", "ERROR").containsEntry("exitCode", 66L)
                .extractingByKey("message").asString().contains("no-such.war");
    }
}
