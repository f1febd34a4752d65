package dev.berth.deploy;

import dev.berth.Berth;
import dev.berth.testing.Http;
import dev.berth.testing.Loopback;
import dev.berth.testing.Wars;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A WAR with a login-config deploys with no users (401s) and authenticates against berth.login.users-file. */
class LoginConfigTest {

    @TempDir
    Path dir;

    private static Berth start(String... more) throws Exception {
        return Loopback.serving(Wars.build("secure"), more);
    }

    private static HttpResponse<String> get(int port, String path, String user, String password) {
        return Http.send(HttpRequest.newBuilder(Http.uri(port, path)).header("Authorization", Http.basic(user, password)).build());
    }

    @Test
    void withoutUsersProtectedUrlsAnswer401AndTheRestServes() throws Exception {
        try (Berth berth = start()) {
            HttpResponse<String> denied = Http.get(berth.port(), "/admin/panel");
            assertThat(denied.statusCode()).isEqualTo(401);
            assertThat(denied.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).contains("Fixture Realm"));
            assertThat(Http.get(berth.port(), "/open").body()).isEqualTo("hello anonymous");
            assertThat(get(berth.port(), "/admin/panel", "alice", "secret").statusCode()).isEqualTo(401);
        }
    }

    @Test
    void aUsersFileAuthenticatesWhateverRealmTheWarNames() throws Exception {
        Path users = Files.writeString(dir.resolve("users.properties"), "alice: secret,admin\nbob: builder,user\n");
        try (Berth berth = start("berth.login.users-file", users.toString())) {
            assertThat(get(berth.port(), "/admin/panel", "alice", "secret").body()).isEqualTo("hello alice");
            assertThat(get(berth.port(), "/admin/panel", "alice", "wrong").statusCode()).isEqualTo(401);
            assertThat(get(berth.port(), "/admin/panel", "bob", "builder").statusCode()).isEqualTo(403);
        }
    }

    @Test
    void aMalformedHeaderForTheWarsOwnBasicLoginIsChallengedNotAServerError() throws Exception {
        try (Berth berth = start()) {
            for (String authorization : java.util.List.of("Basic !!!", "Basic YWxpY2U6c2VjcmV0, Bearer x")) {
                HttpResponse<String> response = Http.send(HttpRequest.newBuilder(Http.uri(berth.port(), "/admin/panel"))
                        .header("Authorization", authorization).build());
                assertThat(response.statusCode()).as(authorization).isEqualTo(401);
            }
        }
    }
}
