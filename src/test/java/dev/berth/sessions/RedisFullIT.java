package dev.berth.sessions;

import dev.berth.testing.BerthProcess;
import dev.berth.testing.Http;
import dev.berth.testing.RedisServer;
import dev.berth.testing.Wars;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A full Redis ({@code maxmemory} reached under {@code noeviction}) answers PING and reads but refuses every
 * write: for sessions it is down, and readiness must say so until a write goes through again.
 */
class RedisFullIT {

    private static final Pattern REJECTED_SETS = Pattern.compile("cmdstat_set:.*rejected_calls=(\\d+)");

    private static RedisServer redis;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void aFullRedisIsDownUntilAWriteGoesThroughAndAnEvictingPolicyIsWarnedAbout() throws Exception {
        try (Jedis admin = new Jedis(URI.create(redis.url()))) {
            admin.configSet("maxmemory-policy", "allkeys-lru");
            try (BerthProcess berth = BerthProcess.builder().loopback().env("REDIS_URL", redis.url())
                    .args("--sessions.store=redis", Wars.build("sessions").toString()).serving("deployed in")) {
                assertThat(berth.output()).contains("runs with maxmemory-policy allkeys-lru: when its memory is full it may delete sessions");
                SessionClient user = new SessionClient();
                assertThat(user.body(berth.port(), "/login?user=ada")).isEqualTo("user=ada");

                admin.configSet("maxmemory-policy", "noeviction");
                admin.configSet("maxmemory", "1");
                // a login creates a session that cannot be saved: 503 without a cookie, never 200 and a cookie that logs out later
                SessionClient late = new SessionClient();
                HttpResponse<String> login = late.get(berth.port(), "/login?user=bob");
                assertThat(login.statusCode()).isEqualTo(503);
                assertThat(login.headers().firstValue("Retry-After")).isPresent();
                assertThat(late.setCookie(login)).isEmpty();
                await().atMost(Duration.ofSeconds(60)).until(() -> Http.get(berth.port(), "/health/ready").statusCode() == 503);
                assertThat(Http.get(berth.port(), "/health/ready").body()).contains("\"name\":\"sessions-redis\",\"status\":\"DOWN\"");
                assertThat(user.get(berth.port(), "/whoami").statusCode()).isEqualTo(503);

                // two more probes refused while Redis still answers reads: readiness stays DOWN, it never flaps UP
                long refused = rejectedSets(admin);
                await().atMost(Duration.ofSeconds(60)).until(() -> rejectedSets(admin) >= refused + 2);
                assertThat(admin.ping()).isEqualTo("PONG");
                assertThat(Http.get(berth.port(), "/health/ready").statusCode()).isEqualTo(503);
                assertThat(berth.output()).doesNotContain("sessions-redis answers again");

                admin.configSet("maxmemory", "0");
                await().atMost(Duration.ofSeconds(60)).until(() -> Http.get(berth.port(), "/health/ready").statusCode() == 200);
                assertThat(user.body(berth.port(), "/whoami")).isEqualTo("user=ada");
                assertThat(berth.output()).contains("Answered 503: session ");
            }
        }
    }

    /** How many SETs Redis refused before running them (under maxmemory, every one). */
    private static long rejectedSets(Jedis admin) {
        Matcher m = REJECTED_SETS.matcher(admin.info("commandstats"));
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }
}
