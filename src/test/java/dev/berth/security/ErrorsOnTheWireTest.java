package dev.berth.security;

import dev.berth.testing.Http;
import dev.berth.testing.RawHttp;
import dev.berth.testing.ServingBerth;
import dev.berth.testing.Wars;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a failing or abusive request gets back: a status and its reason phrase, never an exception's message,
 * class, stack or servlet name; the application's own error pages still answer.
 */
class ErrorsOnTheWireTest {

    @RegisterExtension
    static final ServingBerth berth = new ServingBerth(() -> Wars.build("exposed"), "berth.basic-auth.user", "stage",
            "berth.basic-auth.password", "s3cret", "berth.http.form-max-size", "1000", "berth.http.query-max-keys", "20",
            "berth.access-log", "off");

    private static HttpResponse<String> get(String path, String authorization) {
        return Http.send(HttpRequest.newBuilder(Http.uri(berth.port(), path)).header("Authorization", authorization).build());
    }

    private static HttpResponse<String> get(String path) {
        return get(path, Http.basic("stage", "s3cret"));
    }

    private static void assertQuiet(String body) {
        assertThat(body).doesNotContain("secret-detail", "Exception", "java.", "dev.berth", "\tat ", "Servlet", "Caused by");
    }

    @Test
    void anExceptionInTheApplicationIs500WithoutItsMessageOrStack() {
        HttpResponse<String> response = get("/boom");
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).contains("500");
        assertQuiet(response.body());
    }

    @ParameterizedTest(name = "a client accepting {0} gets no detail either")
    @ValueSource(strings = {"application/json", "text/plain", "text/html"})
    void everyErrorFormatIsQuiet(String accept) {
        HttpResponse<String> response = Http.send(HttpRequest.newBuilder(Http.uri(berth.port(), "/boom"))
                .header("Authorization", Http.basic("stage", "s3cret")).header("Accept", accept).build());
        assertThat(response.statusCode()).isEqualTo(500);
        assertQuiet(response.body());
    }

    @Test
    void theApplicationsOwnErrorPageStillAnswers() {
        HttpResponse<String> response = get("/no-such-page");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("the application says: no such page");
    }

    @Test
    void anOversizedFormIs400WithoutAStack() {
        HttpResponse<String> response = Http.send(HttpRequest.newBuilder(Http.uri(berth.port(), "/parameters"))
                .header("Authorization", Http.basic("stage", "s3cret"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("a=" + "x".repeat(5000))).build());
        assertThat(response.statusCode()).isEqualTo(400);
        assertQuiet(response.body());
    }

    @Test
    void moreQueryParametersThanTheLimitAre400AndTheLimitItselfPasses() {
        assertThat(get("/parameters?" + "k=v&".repeat(19) + "k=v").body()).isEqualTo("parameters=1");
        HttpResponse<String> tooMany = get("/parameters?" + "k=v&".repeat(20) + "k=v");
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertQuiet(tooMany.body());
    }

    @ParameterizedTest(name = "Authorization: {0} is challenged with 401, not a 500")
    @ValueSource(strings = {"Basic !!!", "Basic c3RhZ2U6czNjcmV0, Bearer x", "Basic", "Basic ====", "Bearer abc"})
    void aMalformedBasicHeaderIsChallenged(String authorization) {
        HttpResponse<String> response = get("/parameters", authorization);
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
        assertQuiet(response.body());
    }

    @Test
    void aBadRequestLineIs400WithoutDetail() {
        String response = RawHttp.exchange(berth.port(), "GET /parameters HTTP/1.1\r\nHost: x\r\nBad Header Without Colon\r\n\r\n");
        assertThat(RawHttp.status(response)).isEqualTo(400);
        assertQuiet(response);
    }
}
