package dev.berth;

import dev.berth.config.ConfigLoader;
import dev.berth.testing.Http;
import dev.berth.testing.Wars;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BerthTest {

    static Map<String, String> loopback(String... more) {
        Map<String, String> properties = new HashMap<>(Map.of(
                "berth.host", "127.0.0.1", "berth.port", "0", "berth.fallback-ports", ""));
        for (int i = 0; i < more.length; i += 2) {
            properties.put(more[i], more[i + 1]);
        }
        return properties;
    }

    @Test
    void servesEveryKindOfServletOfTheFixtureWar() throws Exception {
        Path war = Wars.hello();
        try (Berth berth = Berth.start(ConfigLoader.fromMap(loopback("berth.war", war.toString())))) {
            berth.awaitDeployment();
            assertThat(Http.get(berth.port(), "/declared").body()).isEqualTo("declared servlet, greeting=hello-from-web-xml");
            assertThat(Http.get(berth.port(), "/annotated").body()).isEqualTo("annotated servlet at /annotated");
            assertThat(Http.get(berth.port(), "/hello.jsp").body()).contains("jsp says 55");
            assertThat(Http.get(berth.port(), "/").body()).contains("static index of the hello fixture");
            assertThat(Http.get(berth.port(), "/missing").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void websocketEndpointsFoundByScanningAnswer() throws Exception {
        try (Berth berth = Berth.start(ConfigLoader.fromMap(loopback("berth.war", Wars.hello().toString())))) {
            berth.awaitDeployment();
            java.util.concurrent.CompletableFuture<String> reply = new java.util.concurrent.CompletableFuture<>();
            java.net.http.WebSocket socket = java.net.http.HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(java.net.URI.create("ws://127.0.0.1:" + berth.port() + "/echo"), new java.net.http.WebSocket.Listener() {
                        @Override
                        public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket ws, CharSequence data, boolean last) {
                            reply.complete(data.toString());
                            return null;
                        }
                    }).get(10, java.util.concurrent.TimeUnit.SECONDS);
            socket.sendText("ahoy", true);
            assertThat(reply.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("echo: ahoy");
            socket.sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "done");
        }
    }

    @Test
    void deploysAnExplodedDirectoryAtAContextPath(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path exploded = dir.resolve("hello");
        try (var zip = java.nio.file.FileSystems.newFileSystem(Wars.hello())) {
            Path root = zip.getPath("/");
            try (var walk = java.nio.file.Files.walk(root)) {
                for (Path p : walk.toList()) {
                    Path target = exploded.resolve(root.relativize(p).toString());
                    if (java.nio.file.Files.isDirectory(p)) {
                        java.nio.file.Files.createDirectories(target);
                    } else {
                        java.nio.file.Files.copy(p, target);
                    }
                }
            }
        }
        try (Berth berth = Berth.start(ConfigLoader.fromMap(loopback("berth.war", exploded.toString(), "berth.context-path", "/shop/")))) {
            berth.awaitDeployment();
            assertThat(Http.get(berth.port(), "/shop/annotated").body()).isEqualTo("annotated servlet at /shop/annotated");
            assertThat(Http.get(berth.port(), "/shop/hello.jsp").body()).contains("jsp says 55 at /shop");
            assertThat(Http.get(berth.port(), "/annotated").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void withoutAWarServesTheStatusPage() throws Exception {
        try (Berth berth = Berth.start(ConfigLoader.fromMap(loopback()))) {
            berth.awaitDeployment();
            var response = Http.get(berth.port(), "/");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("Berth is running", Version.current(), "<td>" + berth.port() + "</td>");
            assertThat(response.headers().firstValue("Server")).isEmpty();
        }
    }

    @Test
    void aMissingWarIsExit66NamingThePath(@org.junit.jupiter.api.io.TempDir Path dir) {
        Path missing = dir.resolve("nope.war");
        assertThatThrownBy(() -> Berth.start(ConfigLoader.fromMap(loopback("berth.war", missing.toString()))))
                .isInstanceOfSatisfying(BerthException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.NO_INPUT);
                    assertThat(e.description()).contains(missing.toString(), "does not exist");
                });
    }

    @Test
    void closeIsIdempotent() throws Exception {
        Berth berth = Berth.start(ConfigLoader.fromMap(loopback()));
        berth.close();
        berth.close();
        assertThat(berth.isRunning()).isFalse();
    }
}
