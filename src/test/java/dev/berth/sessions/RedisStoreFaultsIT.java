package dev.berth.sessions;

import dev.berth.testing.BerthProcess;
import dev.berth.testing.FaultProxy;
import dev.berth.testing.Http;
import dev.berth.testing.RedisServer;
import dev.berth.testing.Started;
import dev.berth.testing.Wars;

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
 * The Redis session store when Redis fails in ways a restart does not show. A full Redis ({@code maxmemory}
 * reached under {@code noeviction}) answers PING and reads but refuses every write: for sessions it is down,
 * and readiness must say so until a write goes through again. A save whose reply is late (held past Berth's
 * read timeout, then delivered) is sent again on a new connection, the user goes on, and the original lands
 * after newer saves: it must change nothing then (a blind retry of a plain SET undid the newer saves).
 */
class RedisStoreFaultsIT {

    private static final Pattern REJECTED_SETS = Pattern.compile("cmdstat_set:.*rejected_calls=(\\d+)");
    private static final int USERS = 10;
    private static final int HELD = 3;

    @Started
    private static RedisServer redis;

    @Test
    void aSaveThatLandsAfterItsRetryAndANewerSaveChangesNothing() throws Exception {
        try (FaultProxy proxy = FaultProxy.to(redis.port());
             BerthProcess berth = BerthProcess.builder().loopback()
                     .env("REDIS_URL", redis.urlVia(proxy.port()))
                     .args("--sessions.store=redis", Wars.build("sessions").toString())
                     .serving("deployed in");
             CountingUsers users = CountingUsers.start(USERS, berth.port())) {
            Thread.sleep(2_000);
            // three saves of sessions held past the 2 s read timeout: each is sent again on a new connection, and its user goes on
            proxy.holdNext(HELD, request -> request.contains("berth:session:") && request.contains("SET"));
            Thread.sleep(6_000);
            proxy.pass();
            Thread.sleep(4_000);
            CountingUsers.Report report = users.stop();
            System.out.printf("RedisStoreFaultsIT: %d requests landed late; %s%n", proxy.lateWrites(), report);
            assertThat(proxy.lateWrites()).as("saves held and delivered after newer ones").isEqualTo(HELD);
            assertThat(report.lost).as(report::toString).isZero();
            assertThat(report.loggedOut).as(report::toString).isZero();
            assertThat(report.unexpected).as(report::toString).isEmpty();
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

    @Test
    void aLoginThatRenewsTheSessionIdAndCannotBeSavedLeavesTheUserTheSessionTheyHad() throws Exception {
        try (Jedis admin = new Jedis(URI.create(redis.url()));
             BerthProcess berth = BerthProcess.builder().loopback().env("REDIS_URL", redis.url())
                     .args("--sessions.store=redis", Wars.build("sessions").toString()).serving("deployed in")) {
            SessionClient user = new SessionClient();
            assertThat(user.body(berth.port(), "/login?user=ada")).isEqualTo("user=ada");
            admin.configSet("maxmemory-policy", "noeviction");
            admin.configSet("maxmemory", "1");
            try {
                // the renewed id's record cannot be written (a DEL still can): the login is refused, the old id must stay
                HttpResponse<String> login = user.get(berth.port(), "/login?user=bob&renew");
                assertThat(login.statusCode()).isEqualTo(503);
                assertThat(user.setCookie(login)).isEmpty();
            } finally {
                admin.configSet("maxmemory", "0");
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> Http.get(berth.port(), "/health/ready").statusCode() == 200);
            assertThat(user.body(berth.port(), "/whoami")).isEqualTo("user=ada");
        }
    }

    /** How many SETs Redis refused before running them (under maxmemory, every one). */
    private static long rejectedSets(Jedis admin) {
        Matcher m = REJECTED_SETS.matcher(admin.info("commandstats"));
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }
}
