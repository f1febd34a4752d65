package dev.berth.security;

import dev.berth.Berth;
import dev.berth.testing.Http;
import dev.berth.testing.Loopback;
import dev.berth.testing.Wars;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Behind the platform's proxy, the client writes the left part of X-Forwarded-For, any header the proxy does
 * not write, and any X-Forwarded-Host it likes; Berth takes the address the trusted proxy saw, only the headers
 * of berth.proxy.headers, and a forwarded host only when it is allowed.
 */
class ForwardedHeadersTest {

    private static Berth start(String... settings) throws Exception {
        List<String> all = new ArrayList<>(List.of("berth.proxy.forwarded", "true", "berth.access-log", "off"));
        all.addAll(List.of(settings));
        return Loopback.serving(Wars.hello(), all.toArray(String[]::new));
    }

    /** GET with headers given as "Name: value" lines separated by " / ". */
    private static HttpResponse<String> get(Berth berth, String path, String headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(Http.uri(berth.port(), path));
        for (String header : headers.split(" / ")) {
            String[] nameValue = header.split(": ", 2);
            request.header(nameValue[0], nameValue[1]);
        }
        return Http.send(request.build());
    }

    @ParameterizedTest(name = "with {0} trusted hop(s), {1}: {2} is the client")
    @CsvSource(delimiter = '|', value = {
        "1 | X-Forwarded-For: 6.6.6.6, 10.0.0.1 | 10.0.0.1",
        "1 | X-Forwarded-For: 203.0.113.7 | 203.0.113.7",
        "2 | X-Forwarded-For: 6.6.6.6, 203.0.113.7, 10.0.0.1 | 203.0.113.7",
        "2 | X-Forwarded-For: 10.0.0.1 | 127.0.0.1"})
    void theClientIsTheAddressTheFarthestTrustedProxySaw(int hops, String header, String client) throws Exception {
        try (Berth berth = start("berth.proxy.trusted-hops", String.valueOf(hops))) {
            assertThat(get(berth, "/info", header).body()).contains("remote=" + client + " ");
        }
    }

    @ParameterizedTest(name = "believing {0}, {1}: {2} is the client")
    @CsvSource(delimiter = '|', value = {
        "Forwarded | Forwarded: for=6.6.6.6, for=10.0.0.1 | 10.0.0.1",
        "Forwarded | Forwarded: for=\"[2001:db8::1]\" | [2001:db8::1]",
        "Fly-Client-IP,X-Forwarded-Proto | Fly-Client-IP: 203.0.113.9 / X-Forwarded-For: 6.6.6.6 | 203.0.113.9",
        "X-Real-IP | X-Real-IP: 6.6.6.6 / X-Real-IP: 203.0.113.4 | 203.0.113.4"})
    void aHeaderTheProxyWritesNamesTheClient(String believed, String headers, String client) throws Exception {
        try (Berth berth = start("berth.proxy.headers", believed)) {
            assertThat(get(berth, "/info", headers).body()).contains("remote=" + client + " ");
        }
    }

    /** The spoofs of issue 22: each made the application see another client, HTTPS, or both, behind a proxy that never wrote them. */
    @ParameterizedTest(name = "believing {0}, a client''s {1} changes nothing")
    @CsvSource(delimiter = '|', value = {
        "X-Forwarded-For,X-Forwarded-Proto,X-Forwarded-Port | Forwarded: for=6.6.6.6;proto=https",
        "X-Forwarded-For,X-Forwarded-Proto,X-Forwarded-Port | X-Proxied-Https: on",
        "X-Forwarded-For,X-Forwarded-Proto,X-Forwarded-Port | Front-End-Https: on",
        "X-Forwarded-For,X-Forwarded-Proto,X-Forwarded-Port | X-Forwarded-Ssl: on",
        "X-Forwarded-For,X-Forwarded-Proto,X-Forwarded-Port | X-Forwarded-Proto: https, http",
        "X-Forwarded-For,X-Forwarded-Proto,X-Forwarded-Port | X-Forwarded-Server: evil.example",
        "X-Forwarded-For,X-Forwarded-Proto,X-Forwarded-Port | Proxy-ssl-id: 0123",
        "X-Forwarded-For,X-Forwarded-Proto,X-Forwarded-Port | Proxy-auth-cert: MIIB",
        "Fly-Client-IP,X-Forwarded-Proto,Fly-Forwarded-Port | X-Forwarded-Port: 8443 / X-Forwarded-For: 6.6.6.6",
        "X-Real-IP,X-Forwarded-Proto,X-Forwarded-Host | X-Forwarded-For: 6.6.6.6 / True-Client-IP: 6.6.6.6"})
    void aForwardingHeaderTheProxyDoesNotWriteIsIgnoredAndRemoved(String believed, String headers) throws Exception {
        try (Berth berth = start("berth.proxy.headers", believed)) {
            // the request came over plain HTTP from 127.0.0.1 to the port Berth listens on
            assertThat(get(berth, "/info", headers).body()).startsWith("scheme=http secure=false remote=127.0.0.1 host=127.0.0.1 port=" + berth.port());
            String first = headers.split(" / ")[0].split(": ")[0];
            String seen = get(berth, "/info?header=" + first, headers).body();
            assertThat(seen).as("what the application sees of " + first).endsWith(" " + first + "=" + (first.equals("X-Forwarded-Proto") ? "http" : "null"));
        }
    }

    @ParameterizedTest(name = "believing {0}, {1} means HTTPS")
    @CsvSource(delimiter = '|', value = {
        "X-Forwarded-For,X-Forwarded-Proto | X-Forwarded-Proto: http, https",
        "Forwarded | Forwarded: for=1.2.3.4;proto=https",
        "X-Forwarded-Ssl | X-Forwarded-Ssl: on",
        "Front-End-Https | Front-End-Https: on"})
    void theHeaderTheProxyWritesMakesTheRequestSecure(String believed, String headers) throws Exception {
        try (Berth berth = start("berth.proxy.headers", believed)) {
            assertThat(get(berth, "/info", headers).body()).startsWith("scheme=https secure=true ");
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
        List<String> settings = new ArrayList<>(List.of("berth.proxy.headers", header.startsWith("Forwarded") ? "Forwarded" : "X-Forwarded-Proto,X-Forwarded-Host"));
        if (!allowed.isEmpty()) {
            settings.addAll(List.of("berth.proxy.host", allowed));
        }
        try (Berth berth = start(settings.toArray(String[]::new))) {
            assertThat(get(berth, "/go", header + " / X-Forwarded-Proto: https").headers().firstValue("Location"))
                    .hasValueSatisfying(l -> assertThat(l).startsWith(location).doesNotContain("evil"));
        }
    }
}
