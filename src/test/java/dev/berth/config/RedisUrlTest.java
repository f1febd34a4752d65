package dev.berth.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedisUrlTest {

    @Test
    void aUrlWithoutLoginOrDatabaseUsesDatabaseZeroWithoutTls() {
        RedisUrl endpoint = RedisUrl.parse(URI.create("redis://red-abc123:6380"));

        assertThat(endpoint).isEqualTo(new RedisUrl("red-abc123", 6380, null, null, 0, false));
        assertThat(endpoint).hasToString("redis://red-abc123:6380/0");
    }

    @Test
    void aPasswordAloneAndADatabaseNumberAreReadAndThePasswordIsMaskedWhenShown() {
        RedisUrl endpoint = RedisUrl.parse(URI.create("redis://:Pa55word@127.0.0.1:6379/2"));

        assertThat(endpoint).isEqualTo(new RedisUrl("127.0.0.1", 6379, null, "Pa55word", 2, false));
        assertThat(endpoint).hasToString("redis://:****@127.0.0.1:6379/2");
    }

    @Test
    void rediss_MeansTlsAndAnAclUserAndAnEncodedPasswordAreRead() {
        RedisUrl endpoint = RedisUrl.parse(URI.create("rediss://default:p%40ss%2Bword@oregon-keyvalue.render.com/3"));

        assertThat(endpoint).isEqualTo(new RedisUrl("oregon-keyvalue.render.com", 6379, "default", "p@ss+word", 3, true));
        assertThat(endpoint).hasToString("rediss://default:****@oregon-keyvalue.render.com:6379/3");
    }

    @Test
    void anIpv6HostLosesItsBracketsForConnectingAndKeepsThemWhenShown() {
        RedisUrl endpoint = RedisUrl.parse(URI.create("redis://[::1]:6379"));

        assertThat(endpoint.host()).isEqualTo("::1");
        assertThat(endpoint).hasToString("redis://[::1]:6379/0");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "http://:Pa55word@host:6379/0",
        "localhost:6379",
        "redis:Pa55word@host",
        "redis://Pa55word@host:6379",
        "redis://:Pa55word@host:6379/zero",
        "redis://:Pa55word@bad_host:6379/0",
        "redis://:Pa55word@host:6379/0?ssl=true",
    })
    void anUnusableUrlIsRejectedWithAMessageThatDoesNotShowThePassword(String url) {
        assertThatThrownBy(() -> RedisUrl.parse(URI.create(url)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageStartingWith("Not a usable Redis URL: ")
            .hasMessageNotContaining("Pa55word");
    }

    @Test
    void aRejectedUrlIsQuotedWithItsPasswordMasked() {
        assertThatThrownBy(() -> RedisUrl.parse(URI.create("redis://admin:Pa55word@host:6379/zero")))
            .hasMessage("Not a usable Redis URL: redis://admin:****@host:6379/zero"
                + " (the path must be a database number such as /0, not /zero)");
    }
}
