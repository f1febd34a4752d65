package dev.berth.sessions;

import dev.berth.testing.Http;
import dev.berth.testing.RedisServer;
import org.eclipse.jetty.session.ManagedSession;
import org.eclipse.jetty.session.SessionData;
import org.eclipse.jetty.session.UnreadableSessionDataException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.util.SafeEncoder;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLClassLoader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static java.util.concurrent.TimeUnit.MINUTES;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The Redis session store against a real redis-server, each "instance" a started Jetty server with its own
 * factory (so its own connection pool), as two Berth instances behind a load balancer would be.
 * Covers what Jetty's own session store tests cover, plus what sharing through Redis adds.
 */
class RedisSessionDataStoreTest {

    private static final int GRACE_SEC = 60;
    private static final String SHOP = "/shop";

    @TempDir
    static Path webapp;
    private static RedisServer redis;

    private final Deque<AutoCloseable> opened = new ArrayDeque<>();
    private RedisClient raw;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.start();
        WebappClass.compileInto(webapp);
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @BeforeEach
    void emptyRedis() {
        raw = RedisClient.create(URI.create(redis.url()));
        raw.flushAll();
    }

    @AfterEach
    void closeWhatWasOpened() throws Exception {
        while (!opened.isEmpty()) {
            opened.pop().close();
        }
        raw.close();
    }

    @Test
    void aSessionSavedByOneInstanceLoadsOnAnotherWithItsMetadataAndAttributes() throws Exception {
        SessionNode a = node(SHOP, "a");
        SessionNode b = node(SHOP, "b");
        SessionData saved = a.newSession("s1", MINUTES.toMillis(30));
        Map<String, Object> attributes = Map.of(
            "name", "Ada",
            "visits", 42,
            "balance", 12.5d,
            "roles", new ArrayList<>(List.of("admin", "user")),
            "preferences", new HashMap<>(Map.of("theme", "dark")),
            "since", LocalDate.of(2024, 2, 29));
        saved.putAllAttributes(attributes);
        saved.setAttribute("token", new byte[] {1, 2, 3});
        a.store().store("s1", saved);

        SessionData loaded = b.store().load("s1");

        assertSameMetadata(loaded, saved);
        assertThat(loaded.getLastNode()).isEqualTo("a");
        assertThat(loaded.getKeys()).containsExactlyInAnyOrderElementsOf(saved.getKeys());
        attributes.forEach((name, value) -> assertThat(loaded.getAttribute(name)).isEqualTo(value));
        assertThat((byte[]) loaded.getAttribute("token")).containsExactly(1, 2, 3);
    }

    @Test
    void twoInstancesBehindARoundRobinBalancerCountInOneSharedSession() throws Exception {
        SessionNode a = node(SHOP, "a");
        SessionNode b = node(SHOP, "b");
        // as Berth sets it: a session only read is not written back at each request's end, where a late write of
        // an instance's old copy could undo what the other saved meanwhile (a lost count on a loaded machine)
        a.store().setSavePeriodSec(60);
        b.store().setSavePeriodSec(60);

        assertThat(roundRobin(6, a, b)).containsExactly("a:1", "b:2", "a:3", "b:4", "a:5", "b:6");
        assertThat(raw.keys("*")).hasSize(1);
    }

    @Test
    void anAttributeOfAClassOnlyTheWebappKnowsIsRebuiltThroughTheLoadingContextsClassLoader() throws Exception {
        URLClassLoader loaderA = opened(WebappClass.loader(webapp));
        URLClassLoader loaderB = opened(WebappClass.loader(webapp));
        SessionNode a = node(factory(GRACE_SEC), SHOP, "a", loaderA);
        SessionNode b = node(factory(GRACE_SEC), SHOP, "b", loaderB);
        SessionData saved = a.newSession("s2", MINUTES.toMillis(30));
        saved.setAttribute("basket", WebappClass.newBasket(loaderA, "apple", 3));
        // a JDK collection holding a webapp object: the class is resolved deep inside the stream too
        saved.setAttribute("baskets", new ArrayList<>(List.of(WebappClass.newBasket(loaderA, "pear", 1))));
        a.store().store("s2", saved);
        assertThatThrownBy(() -> Class.forName(WebappClass.NAME)).isInstanceOf(ClassNotFoundException.class);

        SessionData loaded = b.store().load("s2");

        Object basket = loaded.getAttribute("basket");
        assertThat(basket).hasToString("Basket[item=apple, count=3]");
        assertThat(basket.getClass().getClassLoader()).isSameAs(loaderB);
        Object inList = ((List<?>) loaded.getAttribute("baskets")).get(0);
        assertThat(inList).hasToString("Basket[item=pear, count=1]");
        assertThat(inList.getClass().getClassLoader()).isSameAs(loaderB);
    }

    @Test
    void eachSessionIsOneKeyNamedByPrefixContextPathVirtualHostAndId() throws Exception {
        SessionNode shop = node(SHOP, "a");
        SessionNode staging = node(opened(new RedisSessionDataStoreFactory(URI.create(redis.url()), "staging:", 2,
            Duration.ofSeconds(2), Duration.ofSeconds(2))), SHOP, "a", getClass().getClassLoader());

        shop.store().store("s3", shop.newSession("s3", MINUTES.toMillis(30)));
        staging.store().store("s3", staging.newSession("s3", MINUTES.toMillis(30)));

        assertThat(raw.keys("*")).containsExactlyInAnyOrder(key("s3"), "staging:_shop_0.0.0.0:s3");
    }

    @Test
    void aSessionThatWasNeverSavedLoadsAsNothing() throws Exception {
        SessionNode a = node(SHOP, "a");

        assertThat(a.store().load("never")).isNull();
    }

    @Test
    void existsIsTrueForLiveAndImmortalSessionsAndFalseForExpiredOrMissingOnes() throws Exception {
        SessionNode a = node(SHOP, "a");
        a.store().store("live", a.newSession("live", MINUTES.toMillis(30)));
        a.store().store("immortal", a.newSession("immortal", -1));
        SessionData expired = a.newSession("expired", MINUTES.toMillis(30));
        expired.setExpiry(System.currentTimeMillis() - 1000);
        a.store().store("expired", expired);

        assertThat(a.store().exists("live")).isTrue();
        assertThat(a.store().exists("immortal")).isTrue();
        assertThat(a.store().exists("expired")).isFalse();
        assertThat(raw.exists(key("expired"))).as("kept in Redis for the scavenger").isTrue();
        assertThat(a.store().exists("missing")).isFalse();
    }

    @Test
    void deleteRemovesTheSessionAndTellsWhetherThereWasOne() throws Exception {
        SessionNode a = node(SHOP, "a");
        a.store().store("s4", a.newSession("s4", MINUTES.toMillis(30)));

        assertThat(a.store().delete("s4")).isTrue();
        assertThat(raw.get(SafeEncoder.encode(key("s4")))).as("a tombstone").containsExactly(0);
        assertThat(raw.pttl(key("s4"))).isBetween(1L, RedisSessionDataStore.TOMBSTONE.toMillis());
        assertThat(a.store().load("s4")).isNull();
        assertThat(a.store().exists("s4")).isFalse();
        assertThat(a.store().delete("s4")).isFalse();
    }

    @Test
    void aSessionWhoseAttributesWereAllRemovedLoadsWithNone() throws Exception {
        SessionNode a = node(SHOP, "a");
        SessionData saved = a.newSession("s5", MINUTES.toMillis(30));
        saved.setAttribute("foo", "bar");
        a.store().store("s5", saved);
        SessionData loaded = a.store().load("s5");

        loaded.setAttribute("foo", null);
        a.store().store("s5", loaded);

        assertThat(a.store().load("s5").getAllAttributes()).isEmpty();
    }

    @Test
    void aDamagedRecordFailsTheLoadAsUnreadableSessionData() throws Exception {
        SessionNode a = node(SHOP, "a");
        byte[] damaged = {SessionRecord.FORMAT, 0, 0, 0, 0, 0, 0, 0, 0, 42, 42};
        raw.set(SafeEncoder.encode(key("s6")), damaged);

        assertThatThrownBy(() -> a.store().load("s6")).isInstanceOf(UnreadableSessionDataException.class);
    }

    @Test
    void anUpdateSavedByInstanceBIsWhatInstanceALoadsNext() throws Exception {
        SessionNode a = node(SHOP, "a");
        SessionNode b = node(SHOP, "b");
        SessionData created = a.newSession("s7", MINUTES.toMillis(30));
        created.setAttribute("cart", 1);
        a.store().store("s7", created);

        SessionData onB = b.store().load("s7");
        onB.setAttribute("cart", 2);
        b.store().store("s7", onB);

        assertThat(a.store().load("s7").getAttribute("cart")).isEqualTo(2);
    }

    @Test
    void aSaveFromOneInstanceDoesNotBringBackASessionThatAnotherInstanceDeleted() throws Exception {
        SessionNode a = node(SHOP, "a");
        SessionNode b = node(SHOP, "b");
        a.store().store("s8", a.newSession("s8", MINUTES.toMillis(30)));
        SessionData onB = b.store().load("s8");

        a.store().delete("s8");
        onB.setAttribute("cart", 3);
        assertThatThrownBy(() -> b.store().store("s8", onB)).isInstanceOf(SessionConflict.class).hasMessageContaining("removed");

        assertThat(a.store().load("s8")).isNull();
    }

    @Test
    void aSaveFromACopyReadBeforeAnotherInstancesSaveIsRefusedAndChangesNothing() throws Exception {
        SessionNode a = node(SHOP, "a");
        SessionNode b = node(SHOP, "b");
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
        SessionNode a = node(SHOP, "a");
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
        SessionNode a = node(SHOP, "a");
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
        SessionNode a = node(SHOP, "a");
        SessionData data = a.newSession("s24", MINUTES.toMillis(30));
        data.setAttribute("user", "ada");
        data.setLastSaved(System.currentTimeMillis());
        byte[][] firstSave = {new byte[0], SessionRecord.encode(data, 9), SafeEncoder.encode("0")};
        assertThat(runSave(key("s24"), firstSave)).isEqualTo(1L);

        assertThat(a.store().delete("s24")).as("the logout").isTrue();
        assertThat(runSave(key("s24"), firstSave)).as("the first save, sent again and landing late").isEqualTo(-1L);
        assertThat(a.store().load("s24")).isNull();
    }

    @Test
    void aFullRedisStillDeletesASessionWhenItHasNoRoomForTheTombstone() throws Exception {
        SessionNode a = node(SHOP, "a");
        a.store().store("s25", a.newSession("s25", MINUTES.toMillis(30)));
        raw.configSet("maxmemory-policy", "noeviction");
        raw.configSet("maxmemory", "1");
        try {
            assertThat(a.store().delete("s25")).isTrue();
        } finally {
            raw.configSet("maxmemory", "0");
        }
        assertThat(raw.exists(key("s25"))).isFalse();
    }

    @Test
    void aRecordOfTheFirstFormatIsReadAndItsVersionChecked() throws Exception {
        SessionNode a = node(SHOP, "a");
        SessionData data = a.newSession("s23", MINUTES.toMillis(30));
        data.setAttribute("cart", "old");
        data.setLastSaved(1_000);
        raw.set(SafeEncoder.encode(key("s23")), formatOne(data));

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

    /** Runs the store's save script, as the store sends it, on a record made here. */
    private Object runSave(String key, byte[][] args) {
        return raw.eval(RedisSessionDataStore.SAVE, List.of(SafeEncoder.encode(key)), List.of(args));
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

    @Test
    void aSessionWhoseIdIsRenewedAsAtLoginMovesToItsNewKey() throws Exception {
        SessionNode a = node(SHOP, "a");
        SessionNode b = node(SHOP, "b");
        SessionData data = a.newSession("before-login", MINUTES.toMillis(30));
        data.setAttribute("cart", 4);
        ManagedSession session = a.cache().newSession(data);
        a.cache().add("before-login", session);
        a.cache().release(session);

        a.cache().renewSessionId("before-login", "after-login", "before-login.a", "after-login.a");

        assertThat(raw.keys("*")).containsExactlyInAnyOrder(key("after-login"), key("before-login"));
        assertThat(a.store().load("before-login")).isNull();
        assertThat(b.store().load("after-login").getAttribute("cart")).isEqualTo(4);
    }

    @Test
    void anotherContextNeitherLoadsNorExpiresTheSessionsOfThisOne() throws Exception {
        SessionNode shop = node(SHOP, "a");
        SessionNode other = node("/other", "a");
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
    void theKeyOutlivesTheSessionByThreeGracePeriodsAndAnImmortalSessionsKeyNeverExpires() throws Exception {
        SessionNode a = node(SHOP, "a");
        SessionData session = a.newSession("s10", MINUTES.toMillis(30));
        a.store().store("s10", session);
        assertThat(raw.pexpireTime(key("s10"))).isEqualTo(session.getExpiry() + SECONDS.toMillis(3 * GRACE_SEC));

        session.setMaxInactiveMs(-1);
        session.calcAndSetExpiry();
        a.store().store("s10", session);

        assertThat(session.getExpiry()).isZero();
        assertThat(raw.pttl(key("s10"))).as("no TTL").isEqualTo(-1);
    }

    @Test
    void redisRemovesAnExpiredSessionsKeyOnceTheGraceIsOver() throws Exception {
        SessionNode a = node(factory(0), SHOP, "a", getClass().getClassLoader());
        a.store().store("s11", a.newSession("s11", 1000));
        assertThat(raw.exists(key("s11"))).isTrue();

        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
            .until(() -> !raw.exists(key("s11")));
    }

    @Test
    void instanceBFindsTheExpiredSessionsThatInstanceASaved() throws Exception {
        SessionNode a = node(SHOP, "a");
        SessionNode b = node(SHOP, "b");
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
        SessionNode a = node(SHOP, "a");
        SessionNode b = node(SHOP, "b");
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
        SessionNode shop = node(SHOP, "a");
        SessionNode other = node("/other", "a");
        long now = System.currentTimeMillis();
        writeWithoutTtl(shop, "old", 200);
        writeWithoutTtl(other, "old", 200);
        writeWithoutTtl(other, "recent", now - SECONDS.toMillis(GRACE_SEC));
        writeWithoutTtl(other, "live", now + MINUTES.toMillis(30));
        writeWithoutTtl(other, "immortal", 0);
        raw.set("berth:session:not-a-session", "hello");
        raw.hset("berth:session:a-hash", "not", "a session");
        raw.set("app:cache", "world");

        shop.store().cleanOrphans(now - SECONDS.toMillis(10 * GRACE_SEC));

        assertThat(raw.keys("*")).containsExactlyInAnyOrder(
            key("/other", "recent"), key("/other", "live"), key("/other", "immortal"),
            "berth:session:not-a-session", "berth:session:a-hash", "app:cache");
    }

    @Test
    void aSaveWhileRedisIsDownThrowsWithoutThePasswordAndSavingWorksAgainAfterARestart() throws Exception {
        SessionNode a = node(SHOP, "a");
        SessionData session = a.newSession("s13", MINUTES.toMillis(30));
        redis.stop();
        try {
            assertThatThrownBy(() -> a.store().store("s13", session))
                .isInstanceOf(JedisException.class)
                .satisfies(e -> assertThat(everything(e)).doesNotContain(redis.password()));
            assertThatThrownBy(() -> a.store().load("s13")).isInstanceOf(JedisException.class);
        } finally {
            redis.restart();
        }

        a.store().store("s13", session);

        assertSameMetadata(a.store().load("s13"), session);
    }

    @Test
    void pingAnswersWhileRedisRunsAndFailsNamingTheServerButNotThePasswordWhileItIsDown() {
        RedisSessionDataStoreFactory factory = factory(GRACE_SEC);
        factory.ping();
        redis.stop();
        try {
            assertThatThrownBy(factory::ping)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Redis at redis://:****@127.0.0.1:" + redis.port() + "/0 does not answer")
                .satisfies(e -> assertThat(everything(e)).doesNotContain(redis.password()));
        } finally {
            redis.restart();
        }
        factory.ping();
    }

    @Test
    void theDatabaseNumberInTheUrlSelectsThatDatabase() throws Exception {
        String database2 = redis.url().replaceFirst("/0$", "/2");
        SessionNode a = node(opened(new RedisSessionDataStoreFactory(URI.create(database2))), SHOP, "a",
            getClass().getClassLoader());

        a.store().store("s14", a.newSession("s14", MINUTES.toMillis(30)));

        try (RedisClient inDatabase2 = RedisClient.create(URI.create(database2))) {
            assertThat(inDatabase2.keys("*")).containsExactly(key("s14"));
        }
        assertThat(raw.keys("*")).isEmpty();
    }

    @Test
    void aWrongPasswordFailsTheSaveWithoutShowingAnyPassword() throws Exception {
        URI wrong = URI.create("redis://:wrong-Pa55word@127.0.0.1:" + redis.port() + "/0");
        RedisSessionDataStoreFactory factory = opened(new RedisSessionDataStoreFactory(wrong));
        SessionNode a = node(factory, SHOP, "a", getClass().getClassLoader());

        assertThatThrownBy(() -> a.store().store("s15", a.newSession("s15", MINUTES.toMillis(30))))
            .isInstanceOf(JedisException.class)
            .satisfies(e -> assertThat(everything(e)).doesNotContain("wrong-Pa55word"));
        assertThat(factory).hasToString("RedisSessionDataStoreFactory[redis://:****@127.0.0.1:" + redis.port()
            + "/0, keys=berth:session:*]");
    }

    @Test
    void aRedissUrlOpensWithATlsHandshakeWhereARedisUrlSendsAPlainCommand() throws Exception {
        assertThat(firstByteSent("rediss")).as("a TLS handshake record").isEqualTo(0x16);
        assertThat(firstByteSent("redis")).as("a RESP array").isEqualTo('*');
    }

    private SessionNode node(String contextPath, String worker) throws Exception {
        return node(factory(GRACE_SEC), contextPath, worker, getClass().getClassLoader());
    }

    private SessionNode node(RedisSessionDataStoreFactory factory, String contextPath, String worker,
                             ClassLoader loader) throws Exception {
        return opened(SessionNode.start(factory, contextPath, worker, loader));
    }

    private RedisSessionDataStoreFactory factory(int graceSec) {
        RedisSessionDataStoreFactory factory = opened(new RedisSessionDataStoreFactory(URI.create(redis.url())));
        factory.setGracePeriodSec(graceSec);
        return factory;
    }

    private <T extends AutoCloseable> T opened(T closeable) {
        opened.push(closeable);
        return closeable;
    }

    /** A record as this store writes it, but without a TTL, as a copy or another tool could leave it. */
    private void writeWithoutTtl(SessionNode node, String id, long expiry) throws Exception {
        SessionData data = node.newSession(id, MINUTES.toMillis(30));
        data.setExpiry(expiry);
        raw.set(SafeEncoder.encode(key(data.getContextPath(), id)), SessionRecord.encode(data, 1));
    }

    private static String key(String id) {
        return key("_shop", id);
    }

    /** The key of a session of the root virtual host, by canonical ({@code _shop}) or plain ({@code /shop}) path. */
    private static String key(String contextPath, String id) {
        return "berth:session:" + contextPath.replace('/', '_') + "_0.0.0.0:" + id;
    }

    private static void assertSameMetadata(SessionData loaded, SessionData saved) {
        assertThat(loaded.getId()).isEqualTo(saved.getId());
        assertThat(loaded.getContextPath()).isEqualTo(saved.getContextPath());
        assertThat(loaded.getVhost()).isEqualTo(saved.getVhost());
        assertThat(loaded.getCreated()).isEqualTo(saved.getCreated());
        assertThat(loaded.getAccessed()).isEqualTo(saved.getAccessed());
        assertThat(loaded.getLastAccessed()).isEqualTo(saved.getLastAccessed());
        assertThat(loaded.getCookieSet()).isEqualTo(saved.getCookieSet());
        assertThat(loaded.getMaxInactiveMs()).isEqualTo(saved.getMaxInactiveMs());
        assertThat(loaded.getExpiry()).isEqualTo(saved.getExpiry());
        assertThat(loaded.getLastSaved()).isEqualTo(saved.getLastSaved()).isPositive();
    }

    /** Sends requests to the nodes in turn, carrying the session cookie along as a browser would; returns the answers. */
    private static List<String> roundRobin(int requests, SessionNode... nodes) {
        List<String> answers = new ArrayList<>();
        String cookie = null;
        for (int i = 0; i < requests; i++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(Http.uri(nodes[i % nodes.length].port(), SHOP + "/"))
                .timeout(Duration.ofSeconds(10));
            if (cookie != null) {
                request.header("Cookie", cookie);
            }
            HttpResponse<String> response = Http.send(request.build());
            cookie = response.headers().firstValue("Set-Cookie").map(set -> set.split(";", 2)[0]).orElse(cookie);
            answers.add(response.body());
        }
        return answers;
    }

    /** What a factory for {@code scheme://} sends first to a server that reads one byte and hangs up. */
    private static int firstByteSent(String scheme) throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> readFirstByte(listener));
            URI url = URI.create(scheme + "://:Pa55word@127.0.0.1:" + listener.getLocalPort() + "/0");
            try (RedisSessionDataStoreFactory factory = new RedisSessionDataStoreFactory(url)) {
                assertThatThrownBy(factory::ping).hasMessageStartingWith("Redis at " + scheme + "://:****@127.0.0.1:");
            }
            return first.get(10, SECONDS);
        }
    }

    private static int readFirstByte(ServerSocket listener) {
        try (Socket client = listener.accept()) {
            return client.getInputStream().read();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Messages and stack trace of the whole cause chain, as a log would print them. */
    private static String everything(Throwable e) {
        StringWriter text = new StringWriter();
        e.printStackTrace(new PrintWriter(text));
        return text.toString();
    }
}
