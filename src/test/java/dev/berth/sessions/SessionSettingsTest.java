package dev.berth.sessions;

import dev.berth.Berth;
import dev.berth.testing.Http;
import dev.berth.testing.Loopback;
import dev.berth.testing.Wars;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class SessionSettingsTest {

    private static final Path WAR = Wars.build("sessions");

    @Test
    void byDefaultSessionsLiveInMemoryWithTheWarsTimeoutAndALaxCookie() throws Exception {
        try (Berth berth = Loopback.serving(WAR)) {
            SessionClient browser = new SessionClient();
            HttpResponse<String> login = browser.get(berth.port(), "/login?user=alice");
            assertThat(login.headers().firstValue("Set-Cookie")).hasValueSatisfying(cookie ->
                    assertThat(cookie).startsWith("JSESSIONID=").contains("SameSite=Lax").contains("HttpOnly").doesNotContain("Secure"));
            assertThat(browser.body(berth.port(), "/whoami")).isEqualTo("user=alice");
            assertThat(browser.body(berth.port(), "/timeout")).isEqualTo("timeout=1200");
        }
    }

    @Test
    void berthsTimeoutCookieNameAndSameSiteWinOverTheWars() throws Exception {
        try (Berth berth = Loopback.serving(WAR, "berth.sessions.timeout", "5m", "berth.sessions.cookie-name", "APPSESSION",
                "berth.sessions.same-site", "strict")) {
            SessionClient browser = new SessionClient("APPSESSION");
            HttpResponse<String> login = browser.get(berth.port(), "/login?user=bob");
            assertThat(login.headers().firstValue("Set-Cookie")).hasValueSatisfying(cookie ->
                    assertThat(cookie).startsWith("APPSESSION=").contains("SameSite=Strict"));
            assertThat(browser.body(berth.port(), "/timeout")).isEqualTo("timeout=300");
        }
    }

    @Test
    void theCookieIsSecureWhenTheTrustedProxySaysTheRequestCameOverHttps() throws Exception {
        try (Berth berth = Loopback.serving(WAR, "berth.proxy.forwarded", "true")) {
            HttpResponse<String> login = Http.send(HttpRequest.newBuilder(Http.uri(berth.port(), "/login?user=carol"))
                    .header("X-Forwarded-Proto", "https").build());
            assertThat(login.headers().firstValue("Set-Cookie")).hasValueSatisfying(cookie -> assertThat(cookie).contains("Secure"));
        }
    }

    @Test
    void theFileStoreKeepsAUserLoggedInAcrossARestart(@TempDir Path sessions) throws Exception {
        SessionClient browser = new SessionClient();
        String[] settings = {"berth.sessions.store", "file", "berth.sessions.file.dir", sessions.toString()};
        try (Berth berth = Loopback.serving(WAR, settings)) {
            browser.get(berth.port(), "/login?user=dave");
            assertThat(browser.body(berth.port(), "/cart?add=book")).isEqualTo("user=dave cart=book");
        }
        try (Berth berth = Loopback.serving(WAR, settings)) {
            assertThat(browser.body(berth.port(), "/cart?add=pen")).isEqualTo("user=dave cart=book,pen");
        }
    }
}
