package dev.berth.server;

import dev.berth.testing.BerthProcess;
import dev.berth.testing.Wars;

import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * berth.http.h2c through the real jar: a client that speaks HTTP/2 from its first byte (Jetty's own HTTP/2 client,
 * with prior knowledge, as Fly.io's h2_backend does) and one that asks to upgrade (the JDK's) both get HTTP/2 on the
 * port that serves HTTP/1.1; health answers over HTTP/2 too; by default (off), the port speaks HTTP/1.1 only.
 */
class H2cIT {

    @Test
    void priorKnowledgeAndUpgradeBothGetHttp2OnThePortThatServesHttp11() throws Exception {
        try (BerthProcess berth = BerthProcess.builder().loopback().args("--http.h2c=true", Wars.hello().toString()).serving("deployed in")) {
            ContentResponse prior = priorKnowledge(berth.port(), "/annotated");
            assertThat(prior.getVersion()).isEqualTo(HttpVersion.HTTP_2);
            assertThat(prior.getStatus()).isEqualTo(200);
            assertThat(prior.getContentAsString()).isEqualTo("annotated servlet at /annotated");
            assertThat(priorKnowledge(berth.port(), "/health/ready").getContentAsString()).contains("\"status\":\"UP\"");

            HttpResponse<String> upgraded = jdk(berth.port(), "/annotated");
            assertThat(upgraded.version()).isEqualTo(java.net.http.HttpClient.Version.HTTP_2);
            assertThat(upgraded.body()).isEqualTo("annotated servlet at /annotated");

            HttpResponse<String> plain = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build()
                    .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + berth.port() + "/annotated")).build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(plain.version()).isEqualTo(java.net.http.HttpClient.Version.HTTP_1_1);
        }
    }

    @Test
    void curlWithPriorKnowledgeGetsHttp2() throws Exception {
        try (BerthProcess berth = BerthProcess.builder().loopback().args("--http.h2c=true", Wars.hello().toString()).serving("deployed in")) {
            Process curl = curl("--http2-prior-knowledge", "--silent", "--show-error", "--max-time", "30",
                    "--write-out", "\n%{http_version} %{http_code}", "http://127.0.0.1:" + berth.port() + "/annotated");
            String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(curl.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(output).isEqualTo("annotated servlet at /annotated\n2 200");
        }
    }

    /** curl, which the CI machine has (Debian's, built with nghttp2); elsewhere a skip that says why. */
    private static Process curl(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("curl"));
        command.addAll(List.of(args));
        String reason;
        try {
            Process version = new ProcessBuilder("curl", "--version").redirectErrorStream(true).start();
            String features = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            reason = features.contains("HTTP2") ? null : "this curl has no HTTP/2 (its --version lists no HTTP2 feature)";
        } catch (IOException e) {
            reason = "no curl on the PATH (" + e.getMessage() + ")";
        }
        if (reason != null) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError("CI=true but curl cannot be run: " + reason);
            }
            Assumptions.abort(reason);
        }
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    @Test
    void byDefaultThePortSpeaksHttp11OnlyEvenToAClientThatAsksToUpgrade() throws Exception {
        try (BerthProcess berth = BerthProcess.builder().loopback().args(Wars.hello().toString()).serving("deployed in")) {
            assertThat(jdk(berth.port(), "/annotated").version()).as("the upgrade is declined").isEqualTo(java.net.http.HttpClient.Version.HTTP_1_1);
            assertThatThrownBy(() -> priorKnowledge(berth.port(), "/annotated")).isInstanceOf(ExecutionException.class);
        }
    }

    private static ContentResponse priorKnowledge(int port, String path) throws Exception {
        HttpClient client = new HttpClient(new HttpClientTransportOverHTTP2(new HTTP2Client()));
        client.start();
        try {
            return client.newRequest("http://127.0.0.1:" + port + path).timeout(30, TimeUnit.SECONDS).send();
        } finally {
            client.stop();
        }
    }

    private static HttpResponse<String> jdk(int port, String path) throws Exception {
        return java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_2).connectTimeout(Duration.ofSeconds(30)).build()
                .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30)).build(),
                        HttpResponse.BodyHandlers.ofString());
    }
}
