package dev.berth.sessions;

import dev.berth.testing.RedisServer;
import dev.berth.testing.Started;
import org.eclipse.jetty.session.SessionData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.util.SafeEncoder;

import java.time.Duration;
import java.util.Set;

import static dev.berth.sessions.RedisSessionNodes.GRACE_SEC;
import static dev.berth.sessions.RedisSessionNodes.SHOP;
import static dev.berth.sessions.RedisSessionNodes.key;
import static java.util.concurrent.TimeUnit.MINUTES;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * When a session ends: its key outlives it by three grace periods, then Redis removes it; any instance finds the
 * sessions that expired, whoever saved them, but not one that another instance kept alive; records that lost their
 * TTL are cleaned up once they are long expired.
 */
class RedisSessionExpiryTest {

    @Started
    private static RedisServer redis;

    @RegisterExtension
    final RedisSessionNodes nodes = new RedisSessionNodes(() -> redis);

    @Test
    void existsIsTrueForLiveAndImmortalSessionsAndFalseForExpiredOrMissingOnes() throws Exception {
        SessionNode a = nodes.node(SHOP, "a");
        a.store().store("live", a.newSession("live", MINUTES.toMillis(30)));
        a.store().store("immortal", a.newSession("immortal", -1));
        SessionData expired = a.newSession("expired", MINUTES.toMillis(30));
        expired.setExpiry(System.currentTimeMillis() - 1000);
        a.store().store("expired", expired);

        assertThat(a.store().exists("live")).isTrue();
        assertThat(a.store().exists("immortal")).isTrue();
        assertThat(a.store().exists("expired")).isFalse();
        assertThat(nodes.raw().exists(key("expired"))).as("kept in Redis for the scavenger").isTrue();
        assertThat(a.store().exists("missing")).isFalse();
    }

    @Test
    void theKeyOutlivesTheSessionByThreeGracePeriodsAndAnImmortalSessionsKeyNeverExpires() throws Exception {
        SessionNode a = nodes.node(SHOP, "a");
        SessionData session = a.newSession("s10", MINUTES.toMillis(30));
        a.store().store("s10", session);
        assertThat(nodes.raw().pexpireTime(key("s10"))).isEqualTo(session.getExpiry() + SECONDS.toMillis(3 * GRACE_SEC));

        session.setMaxInactiveMs(-1);
        session.calcAndSetExpiry();
        a.store().store("s10", session);

        assertThat(session.getExpiry()).isZero();
        assertThat(nodes.raw().pttl(key("s10"))).as("no TTL").isEqualTo(-1);
    }

    @Test
    void redisRemovesAnExpiredSessionsKeyOnceTheGraceIsOver() throws Exception {
        SessionNode a = nodes.node(nodes.factory(0), SHOP, "a", getClass().getClassLoader());
        a.store().store("s11", a.newSession("s11", 1000));
        assertThat(nodes.raw().exists(key("s11"))).isTrue();

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
            .until(() -> !nodes.raw().exists(key("s11")));
    }

    @Test
    void instanceBFindsTheExpiredSessionsThatInstanceASaved() throws Exception {
        SessionNode a = nodes.node(SHOP, "a");
        SessionNode b = nodes.node(SHOP, "b");
        long now = System.currentTimeMillis();
        SessionData expired = a.newSession("expired", MINUTES.toMillis(30));
        expired.setExpiry(now - 5000);
        a.store().store("expired", expired);
        a.store().store("live", a.newSession("live", MINUTES.toMillis(30)));
        a.store().store("immortal", a.newSession("immortal", -1));

        assertThat(b.store().doGetExpired(now)).containsExactly("expired");
        assertThat(b.store().getExpired(Set.of("expired", "live", "forgotten")))
            .as("candidates whose key is gone are expired too")
            .containsExactlyInAnyOrder("expired", "forgotten");
    }

    @Test
    void aSessionThatAnotherInstanceKeptAliveIsNotExpiredByTheInstanceThatSawItLast() throws Exception {
        SessionNode a = nodes.node(SHOP, "a");
        SessionNode b = nodes.node(SHOP, "b");
        long now = System.currentTimeMillis();
        SessionData onA = a.newSession("s12", MINUTES.toMillis(30));
        onA.setExpiry(now - 1000);
        a.store().store("s12", onA);

        SessionData onB = b.store().load("s12");
        onB.setAccessed(now);
        onB.calcAndSetExpiry(now);
        b.store().store("s12", onB);

        assertThat(a.store().getExpired(Set.of("s12"))).isEmpty();
    }

    @Test
    void orphanCleanUpDeletesOnlyRecordsOfAnyContextThatExpiredLongAgoAndLostTheirTtl() throws Exception {
        SessionNode shop = nodes.node(SHOP, "a");
        SessionNode other = nodes.node("/other", "a");
        long now = System.currentTimeMillis();
        writeWithoutTtl(shop, "old", 200);
        writeWithoutTtl(other, "old", 200);
        writeWithoutTtl(other, "recent", now - SECONDS.toMillis(GRACE_SEC));
        writeWithoutTtl(other, "live", now + MINUTES.toMillis(30));
        writeWithoutTtl(other, "immortal", 0);
        nodes.raw().set("berth:session:not-a-session", "hello");
        nodes.raw().hset("berth:session:a-hash", "not", "a session");
        nodes.raw().set("app:cache", "world");

        shop.store().cleanOrphans(now - SECONDS.toMillis(10 * GRACE_SEC));

        assertThat(nodes.raw().keys("*")).containsExactlyInAnyOrder(
            key("/other", "recent"), key("/other", "live"), key("/other", "immortal"),
            "berth:session:not-a-session", "berth:session:a-hash", "app:cache");
    }

    /** A record as this store writes it, but without a TTL, as a copy or another tool could leave it. */
    private void writeWithoutTtl(SessionNode node, String id, long expiry) throws Exception {
        SessionData data = node.newSession(id, MINUTES.toMillis(30));
        data.setExpiry(expiry);
        nodes.raw().set(SafeEncoder.encode(key(data.getContextPath(), id)), SessionRecord.encode(data, 1));
    }
}
