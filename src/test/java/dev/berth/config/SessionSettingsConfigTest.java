package dev.berth.config;

import dev.berth.base.BerthException;
import dev.berth.base.Secrets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** berth.sessions.*: the platform's URLs, what each store needs, and passwords that never show. */
class SessionSettingsConfigTest {

    @TempDir
    Path dir;

    private final Map<String, String> env = new HashMap<>();

    private LoadedConfig load(String... args) throws BerthException {
        return ConfigLoader.load(CommandLine.parse(args), new Environment(env, Map.of(), dir));
    }

    @Test
    void databaseUrlAndRedisUrlFillTheStoresUrlsButNeverChooseTheStore() throws Exception {
        env.put("DATABASE_URL", "postgres://app:secret@db:5432/app");
        env.put("REDIS_URL", "redis://:secret@kv:6379");
        LoadedConfig loaded = load();
        assertThat(loaded.config().sessions().store()).isEqualTo(BerthConfig.SessionStore.MEMORY);
        assertThat(loaded.config().sessions().jdbc().url()).hasValue("postgres://app:secret@db:5432/app");
        assertThat(loaded.origin("berth.sessions.jdbc.url")).isEqualTo("environment variable DATABASE_URL");
        assertThat(loaded.origin("berth.sessions.redis.url")).isEqualTo("environment variable REDIS_URL");
        assertThat(String.join("\n", loaded.describeAll())).doesNotContain("secret")
                .contains("postgres://app:****@db:5432/app").contains("redis://:****@kv:6379");
    }

    @Test
    void anExplicitSettingWinsOverThePlatformsVariable() throws Exception {
        env.put("DATABASE_URL", "postgres://app:secret@db:5432/app");
        env.put("BERTH_SESSIONS_JDBC_URL", "jdbc:postgresql://other:5432/x");
        assertThat(load().config().sessions().jdbc().url()).hasValue("jdbc:postgresql://other:5432/x");
    }

    @Test
    void aMalformedDatabaseUrlIsHarmlessWhileTheStoreIsNotJdbc() throws Exception {
        env.put("DATABASE_URL", "mongodb://app:secret@db/app");
        assertThat(load().config().sessions().store()).isEqualTo(BerthConfig.SessionStore.MEMORY);
    }

    @ParameterizedTest(name = "{0} without its location names {1}")
    @CsvSource({
        "file, berth.sessions.file.dir",
        "jdbc, berth.sessions.jdbc.url",
        "redis, berth.sessions.redis.url",
    })
    void aStoreWithoutItsLocationIsAConfigurationError(String store, String property) {
        assertThatThrownBy(() -> load("--sessions.store=" + store)).isInstanceOfSatisfying(BerthException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(dev.berth.base.ExitCode.USAGE);
            assertThat(e.getMessage()).contains("berth.sessions.store=" + store + " needs " + property);
        });
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "mongodb://app:hunter2@db/app | not a JDBC URL (jdbc:...) nor a postgres://, mysql:// or mariadb:// URL",
        "postgres://app:hunter2@/app | the URL names no host",
        "postgres://app:hunter2@db:5432 | the URL names no database",
    })
    void anUnreadableDatabaseUrlNamesTheKeyTheMaskedValueAndTheSource(String url, String reason) {
        env.put("DATABASE_URL", url);
        assertThatThrownBy(() -> load("--sessions.store=jdbc")).isInstanceOfSatisfying(BerthException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(dev.berth.base.ExitCode.USAGE);
            assertThat(e.getMessage()).startsWith("DATABASE_URL=" + url.replace("hunter2", "****") + " from environment variable DATABASE_URL: " + reason)
                    .doesNotContain("hunter2");
        });
    }

    @Test
    void aRedisStoreNeedsARedisUrl() {
        env.put("REDIS_URL", "http://kv:6379");
        assertThatThrownBy(() -> load("--sessions.store=redis")).isInstanceOfSatisfying(BerthException.class, e ->
                assertThat(e.getMessage()).isEqualTo("REDIS_URL=http://kv:6379 from environment variable REDIS_URL: expected redis://host:port or rediss://host:port"));
    }

    @ParameterizedTest(name = "{0} is masked as {1}")
    @CsvSource(delimiter = '|', value = {
        "postgres://app:s3cr%40t@db:5432/app?sslmode=require | postgres://app:****@db:5432/app?sslmode=require",
        "redis://:pw@kv:6379/2 | redis://:****@kv:6379/2",
        "rediss://default:pw@kv.render.com:6379 | rediss://default:****@kv.render.com:6379",
        "jdbc:postgresql://db/app?user=app&password=pw&ssl=true | jdbc:postgresql://db/app?user=app&password=****&ssl=true",
        "failed to reach redis://:pw@kv:6379 (refused) | failed to reach redis://:****@kv:6379 (refused)",
        "redis://kv:6379 | redis://kv:6379",
        "mail me at ops@example.com | mail me at ops@example.com",
        "postgres://app:PW/secret@db:5432/app | postgres://app:****@db:5432/app",
        "postgres://app:p@ss@db/app | postgres://app:****@db/app",
        "postgresql:/app:pw@db/app | postgresql:/app:****@db/app",
        "jdbc:oracle:thin:scott/tiger@db:1521/orcl | jdbc:oracle:thin:scott/****@db:1521/orcl",
        "jdbc:postgresql://db/app?sslpassword=pw&ssl=true | jdbc:postgresql://db/app?sslpassword=****&ssl=true",
        "jdbc:mysql://db/app?trustCertificateKeyStorePassword=pw | jdbc:mysql://db/app?trustCertificateKeyStorePassword=****",
        "jdbc:sqlserver://db;user=app;pwd=pw;encrypt=true | jdbc:sqlserver://db;user=app;pwd=****;encrypt=true",
        "jdbc:postgresql://db:5432/app | jdbc:postgresql://db:5432/app",
        "Publishing metrics to https://otlp.example.com/v1/metrics?api-key=KEY123&region=eu | Publishing metrics to https://otlp.example.com/v1/metrics?api-key=****&region=eu",
        "https://collector/v1/metrics?token=t0k;apikey=k | https://collector/v1/metrics?token=****;apikey=****",
        "> Authorization: Basic YWRhOmh1bnRlcjI= | > Authorization: ****",
        "[Host: kv, Cookie: JSESSIONID=node0abc, Accept: */*] | [Host: kv, Cookie: ****, Accept: */*]",
        "the session cookie is HttpOnly | the session cookie is HttpOnly",
        "parsedHeader(Cookie: x, headerString=[Cookie], valueString=[JSESSIONID=node0abc] | parsedHeader(Cookie: ****, headerString=[Cookie], valueString=[****]",
        "filled 300 DirectByteBuffer@1[p=0]={<<<GET / HTTP/1.1\\r\\nCookie...D=node0abc\\r\\n>>>\\x00} | filled 300 DirectByteBuffer@1[p=0]={<<<****>>>\\x00}",
    })
    void passwordsInUrlsAreMaskedWhereverTheyAppear(String text, String masked) {
        assertThat(Secrets.mask(text)).isEqualTo(masked);
    }

    @ParameterizedTest(name = "{0} is {1} as {2}")
    @CsvSource(delimiter = '|', value = {
        "postgres://app:secret@db.internal:5432/app | jdbc:postgresql://db.internal:5432/app | app",
        "postgresql://app:s%3Acret@db/app?sslmode=require | jdbc:postgresql://db:5432/app?sslmode=require | app",
        "postgres://db:6543/app | jdbc:postgresql://db:6543/app | ",
        "postgres://u:p@[::1]:5432/app | jdbc:postgresql://[::1]:5432/app | u",
        "jdbc:postgresql://db/app?user=x | jdbc:postgresql://db/app?user=x | ",
        "mysql://app:pw@mysql.example.com/shop?useSSL=true | jdbc:mysql://mysql.example.com:3306/shop?useSSL=true | app",
    })
    void platformUrlsBecomeJdbcUrlsWithTheCredentialsBeside(String url, String jdbc, String user) {
        DatabaseUrl parsed = DatabaseUrl.parse(url, java.util.Optional.empty(), java.util.Optional.empty());
        assertThat(parsed.jdbcUrl()).isEqualTo(jdbc);
        assertThat(parsed.username()).isEqualTo(java.util.Optional.ofNullable(user));
    }

    @Test
    void thePasswordOfAPostgresUrlIsDecodedAndTheSettingsOverrideTheUrls() {
        DatabaseUrl parsed = DatabaseUrl.parse("postgres://app:s%3Acr%40t@db/app", java.util.Optional.empty(), java.util.Optional.empty());
        assertThat(parsed.password()).hasValue("s:cr@t");
        DatabaseUrl overridden = DatabaseUrl.parse("postgres://app:pw@db/app", java.util.Optional.of("other"), java.util.Optional.of("pw2"));
        assertThat(overridden.username()).hasValue("other");
        assertThat(overridden.password()).hasValue("pw2");
    }
}
