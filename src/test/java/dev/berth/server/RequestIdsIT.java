package dev.berth.server;

import dev.berth.testing.BerthProcess;
import dev.berth.testing.Http;
import dev.berth.testing.RawHttp;
import dev.berth.testing.Wars;

import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** Through the real jar: a request's id reaches the application, the response and the access log, in each format. */
class RequestIdsIT {

    private static HttpResponse<String> info(int port, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(Http.uri(port, "/info?attribute=berth.request-id"));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return Http.send(request.build());
    }

    @Test
    void theRoutersIdReachesTheApplicationTheResponseAndTheTextLogAndOneIsMadeWithoutIt() {
        try (BerthProcess berth = BerthProcess.builder().loopback().args(Wars.hello().toString()).serving("deployed in")) {
            HttpResponse<String> given = info(berth.port(), "X-Request-Id", "router-given-1");
            assertThat(given.body()).endsWith(" berth.request-id=router-given-1");
            assertThat(given.headers().firstValue("X-Request-Id")).as("a successful response leaves it to the application").isEmpty();
            berth.awaitOutput("\"GET /info\" 200 ");
            berth.awaitOutput(" id=router-given-1");

            HttpResponse<String> made = info(berth.port());
            String id = made.body().substring(made.body().indexOf(" berth.request-id=") + " berth.request-id=".length());
            assertThat(id).matches("[0-9a-f]{32}");
            berth.awaitOutput(" id=" + id);

            HttpResponse<String> missing = Http.send(java.net.http.HttpRequest.newBuilder(Http.uri(berth.port(), "/missing"))
                    .header("X-Request-Id", "router-given-404").build());
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.headers().firstValue("X-Request-Id")).as("an error response carries it").hasValue("router-given-404");
        }
    }

    @Test
    void anErrorResponseCarriesTheIdToo() {
        try (BerthProcess berth = BerthProcess.builder().loopback().args(Wars.hello().toString()).serving("deployed in")) {
            String ambiguous = RawHttp.exchange(berth.port(), "GET //twice HTTP/1.1\r\nHost: x\r\nX-Request-Id: client-err-1\r\nConnection: close\r\n\r\n");
            assertThat(RawHttp.status(ambiguous)).isEqualTo(400);
            assertThat(ambiguous).containsIgnoringCase("X-Request-Id: client-err-1\r\n");
            berth.awaitOutput(" id=client-err-1");

            String oversized = RawHttp.exchange(berth.port(), "GET /info HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000)
                    + "\r\nConnection: close\r\n\r\n");
            assertThat(RawHttp.status(oversized)).isEqualTo(431);
            assertThat(oversized).as("refused before its headers were read: an id made for it").containsPattern("(?i)X-Request-Id: [0-9a-f]{32}\r\n");
        }
    }

    @Test
    void aJsonLineCarriesTheIdAndACombinedLineIsNcsaWithRefererAndUserAgent() {
        try (BerthProcess berth = BerthProcess.builder().loopback().args("--access-log=json", Wars.hello().toString()).serving("deployed in")) {
            info(berth.port(), "X-Request-Id", "router-given-2");
            berth.awaitOutput("\"client\":\"127.0.0.1\",\"requestId\":\"router-given-2\"}");
        }
        try (BerthProcess berth = BerthProcess.builder().loopback().args("--access-log=combined", Wars.hello().toString()).serving("deployed in")) {
            info(berth.port(), "Referer", "https://shop.example/cart", "User-Agent", "berth-it/1.0");
            berth.awaitOutput("\"GET /info HTTP/1.1\" 200 ");
            assertThat(berth.output()).containsPattern("(?m)^127\\.0\\.0\\.1 - - \\[\\d{2}/\\w{3}/\\d{4}:\\d{2}:\\d{2}:\\d{2} \\+0000\\] "
                    + "\"GET /info HTTP/1\\.1\" 200 \\d+ \"https://shop\\.example/cart\" \"berth-it/1\\.0\"$");
        }
    }
}
