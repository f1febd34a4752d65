package dev.berth.server;

import dev.berth.Berth;
import dev.berth.testing.Http;
import dev.berth.testing.Loopback;
import dev.berth.testing.Wars;

import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Proxy headers, compression, staging protection and server defaults against a real Jetty and the fixture WAR. */
class PlatformFeaturesTest {

    private static Berth start(String... more) throws Exception {
        String[] all = new String[more.length + 2];
        all[0] = "berth.access-log";
        all[1] = "off";
        System.arraycopy(more, 0, all, 2, more.length);
        return Loopback.serving(Wars.hello(), all);
    }

    private static HttpRequest request(int port, String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(Http.uri(port, path));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return request.build();
    }

    private static HttpResponse<String> get(int port, String path, String... headers) {
        return Http.send(request(port, path, headers));
    }

    private static HttpResponse<byte[]> getBytes(int port, String path, String... headers) throws Exception {
        return HttpClient.newHttpClient().send(request(port, path, headers), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void behindAProxyForwardedHeadersMakeSchemeClientAndRedirectsRight() throws Exception {
        try (Berth berth = start("berth.proxy.forwarded", "true", "berth.proxy.host", "shop.example.com,api.example.org")) {
            String[] xForwarded = {"X-Forwarded-Proto", "https", "X-Forwarded-For", "203.0.113.7", "X-Forwarded-Host", "shop.example.com"};
            assertThat(get(berth.port(), "/info", xForwarded).body())
                    .isEqualTo("scheme=https secure=true remote=203.0.113.7 host=shop.example.com port=443");
            assertThat(get(berth.port(), "/go", xForwarded).headers().firstValue("Location"))
                    .contains("https://shop.example.com/declared");
        }
        try (Berth berth = start("berth.proxy.forwarded", "true", "berth.proxy.headers", "Forwarded", "berth.proxy.host", "api.example.org")) {
            assertThat(get(berth.port(), "/info", "Forwarded", "for=198.51.100.1;proto=https;host=api.example.org").body())
                    .isEqualTo("scheme=https secure=true remote=198.51.100.1 host=api.example.org port=443");
        }
    }

    @Test
    void withoutForwardingTheHeadersAreIgnored() throws Exception {
        try (Berth berth = start("berth.proxy.forwarded", "false")) {
            String[] forged = {"X-Forwarded-Proto", "https", "X-Forwarded-For", "203.0.113.7", "X-Forwarded-Host", "shop.example.com"};
            assertThat(get(berth.port(), "/info", forged).body())
                    .isEqualTo("scheme=http secure=false remote=127.0.0.1 host=127.0.0.1 port=" + berth.port());
            assertThat(get(berth.port(), "/go", forged).headers().firstValue("Location"))
                    .contains("http://127.0.0.1:" + berth.port() + "/declared");
        }
    }

    @Test
    void largeTextIsGzippedButHealthNever() throws Exception {
        try (Berth berth = start()) {
            HttpResponse<byte[]> big = getBytes(berth.port(), "/big.txt", "Accept-Encoding", "gzip");
            assertThat(big.headers().firstValue("Content-Encoding")).contains("gzip");
            byte[] plain = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(big.body())).readAllBytes();
            assertThat(new String(plain, StandardCharsets.UTF_8)).startsWith(new String(
                    getBytes(berth.port(), "/big.txt").body(), StandardCharsets.UTF_8).substring(0, 100));
            assertThat(big.body().length).isLessThan(plain.length / 3);

            HttpResponse<byte[]> health = getBytes(berth.port(), "/health", "Accept-Encoding", "gzip");
            assertThat(health.headers().firstValue("Content-Encoding")).isEmpty();
            assertThat(new String(health.body(), StandardCharsets.UTF_8)).startsWith("{\"status\":\"UP\"");
        }
    }

    @Test
    void withCompressionOffLargeTextIsSentPlain() throws Exception {
        try (Berth berth = start("berth.compression", "false")) {
            assertThat(getBytes(berth.port(), "/big.txt", "Accept-Encoding", "gzip").headers().firstValue("Content-Encoding")).isEmpty();
        }
    }

    @Test
    void basicAuthGuardsTheApplicationAndLeavesHealthOpen() throws Exception {
        try (Berth berth = start("berth.basic-auth.user", "stage", "berth.basic-auth.password", "s3cret!")) {
            HttpResponse<String> anonymous = get(berth.port(), "/annotated");
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
            assertThat(get(berth.port(), "/annotated", "Authorization", Http.basic("stage", "s3cret!")).statusCode()).isEqualTo(200);
            assertThat(get(berth.port(), "/annotated", "Authorization", Http.basic("stage", "guess")).statusCode()).isEqualTo(401);
            assertThat(get(berth.port(), "/health").statusCode()).isEqualTo(200);
            assertThat(get(berth.port(), "/health/live").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void noServerHeaderAndTheHeaderLimitHolds() throws Exception {
        try (Berth berth = start("berth.http.request-header-size", "2048")) {
            HttpResponse<String> ok = get(berth.port(), "/annotated");
            assertThat(ok.headers().firstValue("Server")).isEmpty();
            assertThat(ok.headers().firstValue("X-Powered-By")).isEmpty();
            HttpResponse<String> tooBig = get(berth.port(), "/annotated", "X-Filler", "x".repeat(4000));
            assertThat(tooBig.statusCode()).isEqualTo(431);
        }
    }
}
