package dev.berth;

import dev.berth.testing.BerthProcess;
import dev.berth.testing.Http;
import dev.berth.testing.RawHttp;
import dev.berth.testing.Wars;

import org.eclipse.jetty.util.ajax.JSON;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Logs as a platform's log stream sees them: the real jar's stdout and stderr, parsed. */
class PlatformIT {

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(String line) {
        return (Map<String, Object>) new JSON().fromJSON(line);
    }

    @Test
    void jsonAccessLogAndJsonLogLinesParse() {
        try (BerthProcess berth = BerthProcess.builder().loopback()
                .args("--access-log=json", "--log.format=json", Wars.hello().toString()).serving("hello.war deployed in")) {
            int port = berth.port();
            Http.get(port, "/annotated");
            Http.get(port, "/health");
            Http.get(port, "/missing");
            berth.awaitOutput("\"path\":\"/missing\"");
            assertThat(berth.terminate()).isEqualTo(143);
            List<String> lines = berth.output().lines().toList();
            assertThat(lines).isNotEmpty().allSatisfy(line -> assertThat(line).startsWith("{").endsWith("}"));
            List<Map<String, Object>> objects = lines.stream().map(PlatformIT::parse).toList();
            List<Map<String, Object>> access = objects.stream().filter(o -> o.containsKey("method")).toList();
            assertThat(access).extracting(o -> o.get("path")).containsExactly("/annotated", "/missing");
            assertThat(access.get(0)).containsEntry("status", 200L).containsEntry("method", "GET").containsEntry("client", "127.0.0.1")
                    .containsKeys("time", "bytes", "durationMs");
            assertThat((Long) access.get(0).get("bytes")).isPositive();
            assertThat(access.get(1)).containsEntry("status", 404L);
            List<Map<String, Object>> logs = objects.stream().filter(o -> o.containsKey("level")).toList();
            assertThat(logs).allSatisfy(o -> assertThat(o).containsKeys("timestamp", "level", "logger", "thread", "message"));
            assertThat(logs).anySatisfy(o -> assertThat(o).containsEntry("phase", "SERVING").containsEntry("port", (long) port));
        }
    }

    @Test
    void busyConnectionsLoseNoAccessLogLineAndKeepTheirOrder() throws Exception {
        int connections = 8;
        int requests = 300;
        try (BerthProcess berth = BerthProcess.builder().loopback().args(Wars.hello().toString()).serving("hello.war deployed in")) {
            int port = berth.port();
            List<Thread> clients = new ArrayList<>();
            Map<Integer, String> answers = new ConcurrentHashMap<>();
            for (int c = 0; c < connections; c++) {
                int connection = c;
                StringBuilder pipelined = new StringBuilder();
                for (int i = 0; i < requests; i++) {
                    pipelined.append("GET /seq/").append(connection).append('/').append(i).append(" HTTP/1.1\r\nHost: localhost\r\n")
                            .append(i == requests - 1 ? "Connection: close\r\n" : "").append("\r\n");
                }
                Thread client = new Thread(() -> answers.put(connection, RawHttp.exchange(port, pipelined.toString())));
                client.start();
                clients.add(client);
            }
            for (Thread client : clients) {
                client.join(Duration.ofMinutes(2).toMillis());
            }
            assertThat(clients).as("every connection was answered and closed").noneMatch(Thread::isAlive);
            assertThat(answers).hasSize(connections)
                    .allSatisfy((c, answer) -> assertThat(answer.split("HTTP/1.1 404", -1)).hasSize(requests + 1));
            assertThat(berth.terminate()).isEqualTo(143);

            List<String> logged = berth.output().lines().filter(line -> line.contains("\"GET /seq/")).toList();
            assertThat(logged).hasSize(connections * requests);
            for (int c = 0; c < connections; c++) {
                String prefix = "\"GET /seq/" + c + "/";
                List<Integer> order = logged.stream().filter(line -> line.contains(prefix))
                        .map(line -> Integer.parseInt(line.substring(line.indexOf(prefix) + prefix.length(), line.indexOf("\" 404"))))
                        .toList();
                assertThat(order).as("connection %d", c).isEqualTo(IntStream.range(0, requests).boxed().toList());
            }
        }
    }

    @Test
    void theTextAccessLogLeavesHealthChecksOutByDefault() {
        try (BerthProcess berth = BerthProcess.builder().loopback().serving("Status page deployed")) {
            Http.get(berth.port(), "/health/ready");
            Http.get(berth.port(), "/");
            berth.awaitOutput("\"GET /\" 200");
            assertThat(berth.output()).containsPattern("\\d{4}-\\d\\d-\\d\\dT\\S+ 127\\.0\\.0\\.1 \"GET /\" 200 \\d+ B \\d+ ms")
                    .doesNotContain("GET /health");
        }
    }

    @Test
    void aQuoteOrBackslashInTheRequestPathIsEscapedInTheTextAccessLog() {
        try (BerthProcess berth = BerthProcess.builder().loopback().serving("Status page deployed")) {
            String response = RawHttp.exchange(berth.port(), "GET /a\"b\\c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            berth.awaitOutput("\"GET /a\\\"b");
            assertThat(berth.output()).as(response).contains("\"GET /a\\\"b\\\\c\" " + RawHttp.status(response) + " ");
        }
    }

    @Test
    void theTextAccessLogIncludesHealthChecksWhenAskedTo() {
        try (BerthProcess berth = BerthProcess.builder().loopback().args("--access-log.health").serving("Status page deployed")) {
            Http.get(berth.port(), "/health/ready");
            berth.awaitOutput("\"GET /health/ready\" 200");
        }
    }

    @Test
    void printConfigNeverShowsThePassword() {
        BerthProcess.Result result = BerthProcess.builder().env("BERTH_BASIC_AUTH_PASSWORD", "hunter2-secret")
                .args("--print-config", "--basic-auth.user=stage").run();
        assertThat(result.exitCode()).isZero();
        assertThat(result.output()).doesNotContain("hunter2-secret")
                .containsPattern("berth\\.basic-auth\\.password\\s+\\*\\*\\*\\*\\s+environment variable BERTH_BASIC_AUTH_PASSWORD");
    }

    /** Issue 22: behind Heroku's router (which writes X-Forwarded-For/-Proto/-Port only), a client's own headers were believed. */
    @Test
    void behindHerokuAClientsOwnForwardingHeadersChangeNeitherTheClientNorTheSchemeNorTheAccessLog() {
        try (BerthProcess berth = BerthProcess.builder().loopback().env("DYNO", "web.1").args(Wars.hello().toString())
                .serving("hello.war deployed in")) {
            String answer = RawHttp.exchange(berth.port(), "GET /info HTTP/1.1\r\nHost: shop.example.com\r\nConnection: close\r\n"
                    + "Forwarded: for=6.6.6.6;proto=https\r\nX-Proxied-Https: on\r\nFront-End-Https: on\r\n"
                    + "X-Forwarded-For: 6.6.6.6, 203.0.113.7\r\nX-Forwarded-Proto: https, http\r\nX-Forwarded-Port: 80\r\n\r\n");
            assertThat(answer).startsWith("HTTP/1.1 200").endsWith("scheme=http secure=false remote=203.0.113.7 host=shop.example.com port=80");
            berth.awaitOutput("\"GET /info\" 200");
            assertThat(berth.output()).contains(" 203.0.113.7 \"GET /info\" 200").doesNotContain("6.6.6.6");
        }
    }

    @Test
    void behindHerokuTheSessionCookieIsSecureOnlyWhenTheRoutersProtocolIsHttps() {
        try (BerthProcess berth = BerthProcess.builder().loopback().env("DYNO", "web.1").args(Wars.build("sessions").toString())
                .serving("sessions.war deployed in")) {
            String spoofed = RawHttp.exchange(berth.port(), "GET /count HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                    + "Forwarded: proto=https\r\nX-Proxied-Https: on\r\nFront-End-Https: on\r\nX-Forwarded-Proto: http\r\n\r\n");
            assertThat(spoofed).startsWith("HTTP/1.1 200").containsPattern("(?i)set-cookie: JSESSIONID=").doesNotContainPattern("(?i)set-cookie:[^\r]*;\\s*Secure");
            String https = RawHttp.exchange(berth.port(), "GET /count HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Forwarded-Proto: https\r\n\r\n");
            assertThat(https).startsWith("HTTP/1.1 200").containsPattern("(?i)set-cookie: JSESSIONID=[^\r]*;\\s*Secure");
        }
    }

    @Test
    void aForwardingHeaderBerthDoesNotKnowOrTwoThatTellTheSameAreExit64() {
        BerthProcess.Result unknown = BerthProcess.builder().env("BERTH_PROXY_HEADERS", "X-Forwarded-For,X-Client-Ip").run();
        assertThat(unknown.exitCode()).isEqualTo(64);
        assertThat(unknown.output()).contains("BERTH_PROXY_HEADERS=X-Forwarded-For,X-Client-Ip from environment variable", "X-Client-Ip is not a forwarding header Berth knows", "Fly-Client-IP");
        BerthProcess.Result twice = BerthProcess.builder().args("--proxy.headers=X-Forwarded-For,X-Real-IP").run();
        assertThat(twice.exitCode()).isEqualTo(64);
        assertThat(twice.output()).contains("X-Forwarded-For and X-Real-IP both tell client; name one of them");
    }

    @Test
    void onAPlatformForwardingIsOnByDefaultAndSaysWhy() {
        BerthProcess.Result result = BerthProcess.builder().env("RENDER", "true").args("--print-config").run();
        assertThat(result.output()).containsPattern("berth\\.proxy\\.forwarded\\s+true\\s+platform detection \\(RENDER is set\\)");
        BerthProcess.Result fly = BerthProcess.builder().env("FLY_APP_NAME", "shop").args("--print-config").run();
        assertThat(fly.output())
                .containsPattern("berth\\.proxy\\.headers\\s+Fly-Client-IP,X-Forwarded-Proto,Fly-Forwarded-Port\\s+platform detection \\(FLY_APP_NAME is set\\)");
        BerthProcess.Result local = BerthProcess.run("--print-config");
        assertThat(local.output()).containsPattern("berth\\.proxy\\.forwarded\\s+\\(none\\)\\s+default");
    }

    @Test
    void onFlyTheStopIsFittedIntoItsFiveSecondGracePeriodAndSaysSo() {
        try (BerthProcess berth = BerthProcess.builder().env("FLY_APP_NAME", "app").loopback().serving("Status page deployed")) {
            assertThat(berth.output()).contains("A stop lets requests finish for at most 4500 ms (berth.shutdown.timeout), so that it fits "
                    + "the platform's grace period of 5000 ms").doesNotContain("longer than the platform's grace period");
            assertThat(berth.terminate()).isEqualTo(143);
        }
    }
}
