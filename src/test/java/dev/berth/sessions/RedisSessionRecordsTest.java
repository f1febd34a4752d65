package dev.berth.sessions;

import dev.berth.testing.RedisServer;
import dev.berth.testing.Started;
import org.eclipse.jetty.session.SessionData;
import org.eclipse.jetty.session.UnreadableSessionDataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.util.SafeEncoder;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.net.URI;
import java.time.Duration;

import static dev.berth.sessions.RedisSessionNodes.SHOP;
import static dev.berth.sessions.RedisSessionNodes.key;
import static java.util.concurrent.TimeUnit.MINUTES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the store writes in Redis: one key per session, named by prefix, context path, virtual host and id; a
 * record whose head carries the format and the version, read back in the first format too; a damaged record is
 * unreadable session data, never a session.
 */
class RedisSessionRecordsTest {

    @Started
    private static RedisServer redis;

    @RegisterExtension
    final RedisSessionNodes nodes = new RedisSessionNodes(() -> redis);

    @Test
    void eachSessionIsOneKeyNamedByPrefixContextPathVirtualHostAndId() throws Exception {
        SessionNode shop = nodes.node(SHOP, "a");
        SessionNode staging = nodes.node(nodes.opened(new RedisSessionDataStoreFactory(URI.create(redis.url()), "staging:", 2,
            Duration.ofSeconds(2), Duration.ofSeconds(2))), SHOP, "a", getClass().getClassLoader());

        shop.store().store("s3", shop.newSession("s3", MINUTES.toMillis(30)));
        staging.store().store("s3", staging.newSession("s3", MINUTES.toMillis(30)));

        assertThat(nodes.raw().keys("*")).containsExactlyInAnyOrder(key("s3"), "staging:_shop_0.0.0.0:s3");
    }

    @Test
    void anotherContextNeitherLoadsNorExpiresTheSessionsOfThisOne() throws Exception {
        SessionNode shop = nodes.node(SHOP, "a");
        SessionNode other = nodes.node("/other", "a");
        long now = System.currentTimeMillis();
        SessionData expired = shop.newSession("s9", MINUTES.toMillis(30));
        expired.setExpiry(now - 1000);
        shop.store().store("s9", expired);

        assertThat(other.store().load("s9")).isNull();
        assertThat(other.store().exists("s9")).isFalse();
        assertThat(other.store().doGetExpired(now)).isEmpty();
        assertThat(shop.store().doGetExpired(now)).containsExactly("s9");
    }

    @Test
    void aDamagedRecordFailsTheLoadAsUnreadableSessionData() throws Exception {
        SessionNode a = nodes.node(SHOP, "a");
        byte[] damaged = {SessionRecord.FORMAT, 0, 0, 0, 0, 0, 0, 0, 0, 42, 42};
        nodes.raw().set(SafeEncoder.encode(key("s6")), damaged);

        assertThatThrownBy(() -> a.store().load("s6")).isInstanceOf(UnreadableSessionDataException.class);
    }

    @Test
    void aRecordOfTheFirstFormatIsReadAndItsVersionChecked() throws Exception {
        SessionNode a = nodes.node(SHOP, "a");
        SessionData data = a.newSession("s23", MINUTES.toMillis(30));
        data.setAttribute("cart", "old");
        data.setLastSaved(1_000);
        nodes.raw().set(SafeEncoder.encode(key("s23")), formatOne(data));

        SessionData loaded = a.store().load("s23");
        assertThat(loaded.getAttribute("cart")).isEqualTo("old");
        assertThat(loaded.getLastSaved()).isEqualTo(1_000);
        SessionData stale = a.store().load("s23");
        loaded.setAttribute("cart", "new");
        a.store().store("s23", loaded);
        stale.setAttribute("cart", "stale");
        assertThatThrownBy(() -> a.store().store("s23", stale)).isInstanceOf(SessionConflict.class);
        assertThat(a.store().load("s23").getAttribute("cart")).isEqualTo("new");
    }

    /** A record as Berth wrote it before versions were in the head: expiry, five times, lastSaved, lastNode, attributes. */
    private static byte[] formatOne(SessionData data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeByte(1);
        out.writeLong(data.getExpiry());
        out.writeLong(data.getCreated());
        out.writeLong(data.getAccessed());
        out.writeLong(data.getLastAccessed());
        out.writeLong(data.getCookieSet());
        out.writeLong(data.getMaxInactiveMs());
        out.writeLong(data.getLastSaved());
        out.writeUTF("");
        try (ObjectOutputStream attributes = new ObjectOutputStream(out)) {
            SessionData.serializeAttributes(data, attributes);
        }
        return bytes.toByteArray();
    }
}
