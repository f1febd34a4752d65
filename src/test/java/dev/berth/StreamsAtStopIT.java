package dev.berth;

import dev.berth.testing.BerthProcess;
import dev.berth.testing.Http;
import dev.berth.testing.Wars;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Streams that never end by themselves, a server-sent-event stream and a WebSocket, at a stop with a ten-minute
 * drain timeout: the drain ends them when it begins (the event stream's connection closed, the WebSocket sent
 * 1001 Going Away), so the stop takes what the rest of the drain takes, not the timeout.
 */
class StreamsAtStopIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void aStopEndsEventStreamsAndWebSocketsWhenTheDrainBegins() throws Exception {
        try (BerthProcess berth = BerthProcess.builder().loopback()
                .args("--shutdown.timeout=10m", "--shutdown.delay=0s", Wars.hello().toString()).serving("deployed in");
             Socket events = new Socket("127.0.0.1", berth.port())) {
            events.setSoTimeout((int) WAIT.toMillis());
            OutputStream request = events.getOutputStream();
            request.write(("GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            request.flush();
            BufferedReader stream = new BufferedReader(new InputStreamReader(events.getInputStream(), StandardCharsets.UTF_8));
            assertThat(readUntil(stream, "data: tick 1")).isTrue();

            CompletableFuture<Integer> closeCode = new CompletableFuture<>();
            CompletableFuture<String> echoed = new CompletableFuture<>();
            WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + berth.port() + "/echo"), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                            echoed.complete(data.toString());
                            webSocket.request(1);
                            return null;
                        }

                        @Override
                        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                            closeCode.complete(statusCode);
                            return null;
                        }

                        @Override
                        public void onError(WebSocket webSocket, Throwable error) {
                            closeCode.completeExceptionally(error);
                        }
                    }).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            socket.sendText("hi", true);
            assertThat(echoed.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("echo: hi");
            assertThat(Http.get(berth.port(), "/declared").statusCode()).isEqualTo(200);

            assertThat(berth.terminate()).isEqualTo(143);
            assertThat(closeCode.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(1001);
            assertThat(readUntil(stream, "no such line")).as("the event stream ended").isFalse();
            assertThat(berth.output()).contains("Ended 1 event stream as the drain began").doesNotContain("requests still running after");
        }
    }

    /** Reads lines until one contains {@code text} (true) or the stream ends (false). */
    private static boolean readUntil(BufferedReader stream, String text) throws IOException {
        try {
            for (String line = stream.readLine(); line != null; line = stream.readLine()) {
                if (line.contains(text)) {
                    return true;
                }
            }
        } catch (IOException reset) {
            // a connection reset ends the stream as surely as its end
            return false;
        }
        return false;
    }
}
