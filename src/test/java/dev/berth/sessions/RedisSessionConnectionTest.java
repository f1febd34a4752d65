package dev.berth.sessions;

import dev.berth.testing.RedisServer;
import dev.berth.testing.Started;
import org.eclipse.jetty.session.SessionData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisException;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.concurrent.CompletableFuture;

import static dev.berth.sessions.RedisSessionNodes.GRACE_SEC;
import static dev.berth.sessions.RedisSessionNodes.SHOP;
import static dev.berth.sessions.RedisSessionNodes.assertSameMetadata;
import static dev.berth.sessions.RedisSessionNodes.key;
import static java.util.concurrent.TimeUnit.MINUTES;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The connection to Redis: the URL's database, password and scheme (rediss:// opens with TLS); a Redis that is
 * down fails saves and the ping without showing the password, and works again after its restart; a full Redis
 * still deletes.
 */
class RedisSessionConnectionTest {

    @Started
    private static RedisServer redis;

    @RegisterExtension
    final RedisSessionNodes nodes = new RedisSessionNodes(() -> redis);

    @Test
    void theDatabaseNumberInTheUrlSelectsThatDatabase() throws Exception {
        String database2 = redis.url().replaceFirst("/0$", "/2");
        SessionNode a = nodes.node(nodes.opened(new RedisSessionDataStoreFactory(URI.create(database2))), SHOP, "a",
            getClass().getClassLoader());

        a.store().store("s14", a.newSession("s14", MINUTES.toMillis(30)));

        try (RedisClient inDatabase2 = RedisClient.create(URI.create(database2))) {
            assertThat(inDatabase2.keys("*")).containsExactly(key("s14"));
        }
        assertThat(nodes.raw().keys("*")).isEmpty();
    }

    @Test
    void aWrongPasswordFailsTheSaveWithoutShowingAnyPassword() throws Exception {
        URI wrong = URI.create("redis://:wrong-Pa55word@127.0.0.1:" + redis.port() + "/0");
        RedisSessionDataStoreFactory factory = nodes.opened(new RedisSessionDataStoreFactory(wrong));
        SessionNode a = nodes.node(factory, SHOP, "a", getClass().getClassLoader());

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

    @Test
    void aSaveWhileRedisIsDownThrowsWithoutThePasswordAndSavingWorksAgainAfterARestart() throws Exception {
        SessionNode a = nodes.node(SHOP, "a");
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
        RedisSessionDataStoreFactory factory = nodes.factory(GRACE_SEC);
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
    void aFullRedisStillDeletesASessionWhenItHasNoRoomForTheTombstone() throws Exception {
        SessionNode a = nodes.node(SHOP, "a");
        a.store().store("s25", a.newSession("s25", MINUTES.toMillis(30)));
        nodes.raw().configSet("maxmemory-policy", "noeviction");
        nodes.raw().configSet("maxmemory", "1");
        try {
            assertThat(a.store().delete("s25")).isTrue();
        } finally {
            nodes.raw().configSet("maxmemory", "0");
        }
        assertThat(nodes.raw().exists(key("s25"))).isFalse();
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
