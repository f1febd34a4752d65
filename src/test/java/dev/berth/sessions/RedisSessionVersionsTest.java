package dev.berth.sessions;

import dev.berth.testing.RedisServer;
import dev.berth.testing.Started;
import org.eclipse.jetty.session.SessionData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.util.SafeEncoder;

import java.nio.ByteBuffer;
import java.util.List;

import static dev.berth.sessions.RedisSessionNodes.SHOP;
import static dev.berth.sessions.RedisSessionNodes.key;
import static java.util.concurrent.TimeUnit.MINUTES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Saves that race: each save carries the version it read, so a save from a stale copy, a save sent twice, a late
 * original after a newer save, or a save after the session was deleted changes nothing (the save script is run
 * here as the store sends it, to make the late and repeated ones).
 */
class RedisSessionVersionsTest {

    @Started
    private static RedisServer redis;

    @RegisterExtension
    final RedisSessionNodes nodes = new RedisSessionNodes(() -> redis);

    @Test
    void aSaveFromOneInstanceDoesNotBringBackASessionThatAnotherInstanceDeleted() throws Exception {
        SessionNode a = nodes.node(SHOP, "a");
        SessionNode b = nodes.node(SHOP, "b");
        a.store().store("s8", a.newSession("s8", MINUTES.toMillis(30)));
        SessionData onB = b.store().load("s8");

        a.store().delete("s8");
        onB.setAttribute("cart", 3);
        assertThatThrownBy(() -> b.store().store("s8", onB)).isInstanceOf(SessionConflict.class).hasMessageContaining("removed");

        assertThat(a.store().load("s8")).isNull();
    }

    @Test
    void aSaveFromACopyReadBeforeAnotherInstancesSaveIsRefusedAndChangesNothing() throws Exception {
        SessionNode a = nodes.node(SHOP, "a");
        SessionNode b = nodes.node(SHOP, "b");
        SessionData created = a.newSession("s20", MINUTES.toMillis(30));
        created.setAttribute("count", 1);
        a.store().store("s20", created);
        SessionData onA = a.store().load("s20");
        SessionData onB = b.store().load("s20");

        onB.setAttribute("count", 2);
        b.store().store("s20", onB);
        onA.setAttribute("count", 2);

        assertThatThrownBy(() -> a.store().store("s20", onA)).isInstanceOf(SessionConflict.class).hasMessageContaining("another request saved it");
        assertThat(onA.getLastSaved()).as("the version a failed save restores").isEqualTo(created.getLastSaved());
        SessionData stored = b.store().load("s20");
        assertThat(stored.getLastSaved()).isEqualTo(onB.getLastSaved());
        onB.setAttribute("count", 3);
        b.store().store("s20", onB);
        assertThat(a.store().load("s20").getAttribute("count")).isEqualTo(3);
    }

    @Test
    void savesInOneMillisecondStillGetVersionsThatGrow() throws Exception {
        SessionNode a = nodes.node(SHOP, "a");
        SessionData data = a.newSession("s21", MINUTES.toMillis(30));
        a.store().store("s21", data);
        long previous = data.getLastSaved();
        for (int i = 0; i < 50; i++) {
            data.setAttribute("i", i);
            a.store().store("s21", data);
            assertThat(data.getLastSaved()).isGreaterThan(previous);
            previous = data.getLastSaved();
        }
        assertThat(a.store().load("s21").getAttribute("i")).isEqualTo(49);
    }

    @Test
    void aSaveSentTwiceCountsAsDoneAndALateOriginalAfterANewerSaveChangesNothing() throws Exception {
        SessionNode a = nodes.node(SHOP, "a");
        SessionData data = a.newSession("s22", MINUTES.toMillis(30));
        a.store().store("s22", data);
        String key = key("s22");
        byte[] version = ByteBuffer.allocate(Long.BYTES).putLong(data.getLastSaved()).array();
        data.setAttribute("cart", "late");
        data.setLastSaved(data.getLastSaved() + 1);
        byte[] original = SessionRecord.encode(data, 7);
        byte[][] save = {version, original, SafeEncoder.encode("0")};

        // as RedisSessionDataStore sends it: the same script, the same bytes, a second time
        assertThat(runSave(key, save)).isEqualTo(1L);
        assertThat(runSave(key, save)).as("the same write found in place").isEqualTo(2L);

        SessionData newer = a.store().load("s22");
        newer.setAttribute("cart", "newer");
        a.store().store("s22", newer);
        assertThat(runSave(key, save)).as("the late original").isEqualTo(0L);
        assertThat(a.store().load("s22").getAttribute("cart")).isEqualTo("newer");
    }

    @Test
    void aNewSessionsSaveThatLandsAfterTheSessionWasDeletedDoesNotBringItBack() throws Exception {
        SessionNode a = nodes.node(SHOP, "a");
        SessionData data = a.newSession("s24", MINUTES.toMillis(30));
        data.setAttribute("user", "ada");
        data.setLastSaved(System.currentTimeMillis());
        byte[][] firstSave = {new byte[0], SessionRecord.encode(data, 9), SafeEncoder.encode("0")};
        assertThat(runSave(key("s24"), firstSave)).isEqualTo(1L);

        assertThat(a.store().delete("s24")).as("the logout").isTrue();
        assertThat(runSave(key("s24"), firstSave)).as("the first save, sent again and landing late").isEqualTo(-1L);
        assertThat(a.store().load("s24")).isNull();
    }

    /** Runs the store's save script, as the store sends it, on a record made here. */
    private Object runSave(String key, byte[][] args) {
        return nodes.raw().eval(RedisSessionDataStore.SAVE, List.of(SafeEncoder.encode(key)), List.of(args));
    }
}
