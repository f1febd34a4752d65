package dev.berth;

import dev.berth.base.BerthException;
import dev.berth.base.ExitCode;
import dev.berth.base.Version;
import dev.berth.testing.Http;
import dev.berth.testing.Loopback;
import dev.berth.testing.Wars;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The launcher facade embedded in the test's JVM, serving the fixture WAR on loopback. */
class BerthTest {

    @Test
    void servesEveryKindOfServletOfTheFixtureWar() throws Exception {
        try (Berth berth = Loopback.serving("berth.war", Wars.hello().toString())) {
            assertThat(Http.get(berth.port(), "/declared").body()).isEqualTo("declared servlet, greeting=hello-from-web-xml");
            assertThat(Http.get(berth.port(), "/annotated").body()).isEqualTo("annotated servlet at /annotated");
            assertThat(Http.get(berth.port(), "/hello.jsp").body()).contains("jsp says 55");
            assertThat(Http.get(berth.port(), "/").body()).contains("static index of the hello fixture");
            assertThat(Http.get(berth.port(), "/missing").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void websocketEndpointsFoundByScanningAnswer() throws Exception {
        try (Berth berth = Loopback.serving("berth.war", Wars.hello().toString())) {
            CompletableFuture<String> reply = new CompletableFuture<>();
            WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + berth.port() + "/echo"), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                            reply.complete(data.toString());
                            return null;
                        }
                    }).get(30, TimeUnit.SECONDS);
            socket.sendText("ahoy", true);
            assertThat(reply.get(30, TimeUnit.SECONDS)).isEqualTo("echo: ahoy");
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
    }

    @Test
    void deploysAnExplodedDirectoryAtAContextPath(@TempDir Path dir) throws Exception {
        Path exploded = Wars.explode(Wars.hello(), dir.resolve("hello"));
        try (Berth berth = Loopback.serving("berth.war", exploded.toString(), "berth.context-path", "/shop/")) {
            assertThat(Http.get(berth.port(), "/shop/annotated").body()).isEqualTo("annotated servlet at /shop/annotated");
            assertThat(Http.get(berth.port(), "/shop/hello.jsp").body()).contains("jsp says 55 at /shop");
            assertThat(Http.get(berth.port(), "/annotated").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void withoutAWarServesTheStatusPage() throws Exception {
        try (Berth berth = Loopback.serving()) {
            var response = Http.get(berth.port(), "/");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("Berth is running", Version.current(), "<td>" + berth.port() + "</td>");
            assertThat(response.headers().firstValue("Server")).isEmpty();
        }
    }

    @Test
    void aMissingWarIsExit66NamingThePath(@TempDir Path dir) {
        Path missing = dir.resolve("nope.war");
        assertThatThrownBy(() -> Loopback.start("berth.war", missing.toString()))
                .isInstanceOfSatisfying(BerthException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.NO_INPUT);
                    assertThat(e.description()).contains(missing.toString(), "does not exist");
                });
    }

    @Test
    void closeIsIdempotent() throws Exception {
        Berth berth = Loopback.start();
        berth.close();
        berth.close();
        assertThat(berth.isRunning()).isFalse();
    }

    @Test
    void aSessionStoreThatCannotBeSetUpIsNamedAsTheFailureAndNothingStaysOpen() throws Exception {
        assertThatThrownBy(() -> Loopback.start("berth.sessions.store", "jdbc", "berth.sessions.jdbc.url", "jdbc:nosuch://db.invalid/app"))
                .isInstanceOfSatisfying(BerthException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.SOFTWARE);
                    assertThat(e.description()).startsWith("The session store (berth.sessions.store=jdbc) could not be set up: ")
                            .contains("jdbc:nosuch://db.invalid/app");
                    assertThat(e.action()).hasValue("check the berth.sessions.* settings (--print-config shows them)");
                });
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet())
                .as("the server's and the backing services' threads").noneMatch(t -> t.getName().startsWith("qtp") || t.getName().startsWith("berth-")));
    }
}
