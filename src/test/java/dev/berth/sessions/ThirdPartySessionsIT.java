package dev.berth.sessions;

import dev.berth.testing.BerthProcess;
import dev.berth.testing.PostgresServer;
import dev.berth.testing.Started;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13 with a real WAR from Maven Central: Jetty's JAAS demo (copied to target/third-party-wars by the
 * build), whose FORM login-config guards auth.html for role roleA. In Jetty's distribution a JAAS login module
 * checks the users; here Berth's users file does. Jetty keeps the login in the HTTP session, so with the
 * sessions on PostgreSQL a login on one instance is a login on every instance, and outlives the instance.
 */
class ThirdPartySessionsIT {

    private static final String WAR = "jetty-ee10-demo-jaas-webapp.war";
    private static final String PROTECTED = "SUCCESS! You are AUTHENTICATED and AUTHORIZED";

    @Started
    private static PostgresServer postgres;

    @TempDir
    Path dir;

    private Path users;

    @BeforeEach
    void writeUsers() throws IOException {
        users = Files.writeString(dir.resolve("users.properties"), "me: me,roleA\nguest: guest,roleB\n");
    }

    private BerthProcess serving() {
        Path war = Path.of("target", "third-party-wars", WAR).toAbsolutePath();
        return BerthProcess.builder().loopback().env("DATABASE_URL", postgres.databaseUrl())
                .args("--sessions.store=jdbc", "--login.users-file=" + users, war.toString())
                .serving(WAR + " deployed in");
    }

    /** Through the WAR's own flow: the protected page sends to its login page, whose form posts to j_security_check. */
    private static void logIn(SessionClient browser, BerthProcess berth, String user, String password) {
        int port = berth.port();
        HttpResponse<String> challenge = browser.get(port, "/auth.html");
        assertThat(challenge.statusCode()).as(berth::output).isEqualTo(302);
        assertThat(challenge.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).contains("/login.html"));
        assertThat(browser.body(port, "/login.html")).contains("<form method=\"POST\" action=\"j_security_check\">");
        HttpResponse<String> login = browser.post(port, "/j_security_check", "j_username=" + user + "&j_password=" + password);
        assertThat(login.statusCode()).as(berth::output).isEqualTo(303);
        assertThat(login.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/auth.html"));
    }

    /** The page only a user with roleA sees; on failure, the instance's log says why. */
    private static void assertProtectedPage(HttpResponse<String> page, BerthProcess berth) {
        assertThat(page.statusCode()).as(berth::output).isEqualTo(200);
        assertThat(page.body()).contains(PROTECTED);
    }

    @Test
    void aFormLoginOnOneInstanceOpensTheProtectedPageOnTheOtherAndOutlivesTheFirstBeingKilled() throws Exception {
        try (BerthProcess a = serving(); BerthProcess b = serving()) {
            SessionClient browser = new SessionClient();
            logIn(browser, a, "me", "me");
            assertProtectedPage(browser.get(a.port(), "/auth.html"), a);
            assertProtectedPage(browser.get(b.port(), "/auth.html"), b);
            assertThat(new SessionClient().get(b.port(), "/auth.html").statusCode()).isEqualTo(302);

            a.kill();
            assertProtectedPage(browser.get(b.port(), "/auth.html"), b);
        }
    }

    @Test
    void aUserWithoutTheRoleLoggedInOnOneInstanceIsForbiddenOnTheOther() {
        try (BerthProcess a = serving(); BerthProcess b = serving()) {
            SessionClient browser = new SessionClient();
            logIn(browser, a, "guest", "guest");
            assertThat(browser.get(a.port(), "/auth.html").statusCode()).as(a::output).isEqualTo(403);
            assertThat(browser.get(b.port(), "/auth.html").statusCode()).as(b::output).isEqualTo(403);
        }
    }

    @Test
    void loggingOutOnOneInstanceLogsTheUserOutOfTheOther() {
        try (BerthProcess a = serving(); BerthProcess b = serving()) {
            SessionClient browser = new SessionClient();
            logIn(browser, a, "me", "me");
            assertProtectedPage(browser.get(b.port(), "/auth.html"), b);
            assertThat(browser.body(b.port(), "/logout.jsp")).as(b::output).contains("You are now logged out.");
            HttpResponse<String> again = browser.get(a.port(), "/auth.html");
            assertThat(again.statusCode()).as(a::output).isEqualTo(302);
            assertThat(again.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).contains("/login.html"));
        }
    }
}
