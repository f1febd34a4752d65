package dev.berth.security;

import dev.berth.Berth;
import dev.berth.testing.Http;
import dev.berth.testing.Loopback;
import dev.berth.testing.Wars;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Behind the platform's proxy, the client writes the left part of X-Forwarded-For and any X-Forwarded-Host it
 * likes; Berth takes the address the trusted proxy saw, and a forwarded host only when it is allowed.
 */
class ForwardedHeadersTest {

    private static HttpResponse<String> get(Berth berth, String path, String header, String value) {
        return Http.send(HttpRequest.newBuilder(Http.uri(berth.port(), path)).header(header, value).header("X-Forwarded-Proto", "https").build());
    }

    @ParameterizedTest(name = "with {0} trusted hop(s), {1}: {2} is the client")
    @CsvSource(delimiter = '|', value = {
        "1 | X-Forwarded-For: 6.6.6.6, 10.0.0.1 | 10.0.0.1",
        "1 | X-Forwarded-For: 203.0.113.7 | 203.0.113.7",
        "2 | X-Forwarded-For: 6.6.6.6, 203.0.113.7, 10.0.0.1 | 203.0.113.7",
        "2 | X-Forwarded-For: 10.0.0.1 | 127.0.0.1",
        "1 | Forwarded: for=6.6.6.6, for=10.0.0.1 | 10.0.0.1",
        "1 | Forwarded: for=\"[2001:db8::1]\" | [2001:db8::1]"})
    void theClientIsTheAddressTheFarthestTrustedProxySaw(int hops, String header, String client) throws Exception {
        String[] nameValue = header.split(": ", 2);
        try (Berth berth = Loopback.serving(Wars.hello(), "berth.proxy.forwarded", "true", "berth.proxy.trusted-hops", String.valueOf(hops),
                "berth.access-log", "off")) {
            assertThat(get(berth, "/info", nameValue[0], nameValue[1]).body()).contains("remote=" + client + " ");
        }
    }

    @ParameterizedTest(name = "with berth.proxy.host={0}, {1} makes the redirect go to {2}")
    @CsvSource(delimiter = '|', value = {
        "'' | X-Forwarded-Host: evil.example | https://127.0.0.1",
        "shop.example.com | X-Forwarded-Host: evil.example | https://127.0.0.1",
        "shop.example.com | X-Forwarded-Host: shop.example.com | https://shop.example.com/declared",
        "'' | Forwarded: for=1.2.3.4;host=evil.example;proto=https | https://127.0.0.1",
        "shop.example.com | Forwarded: host=shop.example.com;proto=https | https://shop.example.com/declared"})
    void aForwardedHostIsHonouredOnlyWhenAllowed(String allowed, String header, String location) throws Exception {
        String[] nameValue = header.split(": ", 2);
        String[] more = allowed.isEmpty() ? new String[] {"berth.proxy.forwarded", "true", "berth.access-log", "off"}
                : new String[] {"berth.proxy.forwarded", "true", "berth.access-log", "off", "berth.proxy.host", allowed};
        try (Berth berth = Loopback.serving(Wars.hello(), more)) {
            assertThat(get(berth, "/go", nameValue[0], nameValue[1]).headers().firstValue("Location"))
                    .hasValueSatisfying(l -> assertThat(l).startsWith(location).doesNotContain("evil"));
        }
    }
}
