package dev.berth.sessions;

import dev.berth.testing.Http;
import dev.berth.testing.RedisServer;
import dev.berth.testing.Started;
import org.eclipse.jetty.session.ManagedSession;
import org.eclipse.jetty.session.SessionData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.util.SafeEncoder;

import java.net.URLClassLoader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.berth.sessions.RedisSessionNodes.GRACE_SEC;
import static dev.berth.sessions.RedisSessionNodes.SHOP;
import static dev.berth.sessions.RedisSessionNodes.assertSameMetadata;
import static dev.berth.sessions.RedisSessionNodes.key;
import static java.util.concurrent.TimeUnit.MINUTES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two instances share their sessions through Redis: what one saves, the other loads, with its metadata, its
 * attributes and the webapp's own classes; a renewed id moves the session; a delete is seen by both.
 */
class RedisSessionSharingTest {

    @Started
    private static RedisServer redis;

    /** Where the webapp's class is compiled, off the test class path. */
    @TempDir
    static Path webapp;

    @RegisterExtension
    final RedisSessionNodes nodes = new RedisSessionNodes(() -> redis);

    @BeforeAll
    static void compileTheWebappClass() {
        WebappClass.compileInto(webapp);
    }

    @Test
    void aSessionSavedByOneInstanceLoadsOnAnotherWithItsMetadataAndAttributes() throws Exception {
        SessionNode a = nodes.node(SHOP, "a");
        SessionNode b = nodes.node(SHOP, "b");
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
        SessionNode a = nodes.node(SHOP, "a");
        SessionNode b = nodes.node(SHOP, "b");
        // as Berth sets it: a session only read is not written back at each request's end, where a late write of
        // an instance's old copy could undo what the other saved meanwhile (a lost count on a loaded machine)
        a.store().setSavePeriodSec(60);
        b.store().setSavePeriodSec(60);

        assertThat(roundRobin(6, a, b)).containsExactly("a:1", "b:2", "a:3", "b:4", "a:5", "b:6");
        assertThat(nodes.raw().keys("*")).hasSize(1);
    }

    @Test
    void anAttributeOfAClassOnlyTheWebappKnowsIsRebuiltThroughTheLoadingContextsClassLoader() throws Exception {
        URLClassLoader loaderA = nodes.opened(WebappClass.loader(webapp));
        URLClassLoader loaderB = nodes.opened(WebappClass.loader(webapp));
        SessionNode a = nodes.node(nodes.factory(GRACE_SEC), SHOP, "a", loaderA);
        SessionNode b = nodes.node(nodes.factory(GRACE_SEC), SHOP, "b", loaderB);
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
    void anUpdateSavedByInstanceBIsWhatInstanceALoadsNext() throws Exception {
        SessionNode a = nodes.node(SHOP, "a");
        SessionNode b = nodes.node(SHOP, "b");
        SessionData created = a.newSession("s7", MINUTES.toMillis(30));
        created.setAttribute("cart", 1);
        a.store().store("s7", created);

        SessionData onB = b.store().load("s7");
        onB.setAttribute("cart", 2);
        b.store().store("s7", onB);

        assertThat(a.store().load("s7").getAttribute("cart")).isEqualTo(2);
    }

    @Test
    void aSessionThatWasNeverSavedLoadsAsNothing() throws Exception {
        SessionNode a = nodes.node(SHOP, "a");

        assertThat(a.store().load("never")).isNull();
    }

    @Test
    void aSessionWhoseAttributesWereAllRemovedLoadsWithNone() throws Exception {
        SessionNode a = nodes.node(SHOP, "a");
        SessionData saved = a.newSession("s5", MINUTES.toMillis(30));
        saved.setAttribute("foo", "bar");
        a.store().store("s5", saved);
        SessionData loaded = a.store().load("s5");

        loaded.setAttribute("foo", null);
        a.store().store("s5", loaded);

        assertThat(a.store().load("s5").getAllAttributes()).isEmpty();
    }

    @Test
    void deleteRemovesTheSessionAndTellsWhetherThereWasOne() throws Exception {
        SessionNode a = nodes.node(SHOP, "a");
        a.store().store("s4", a.newSession("s4", MINUTES.toMillis(30)));

        assertThat(a.store().delete("s4")).isTrue();
        assertThat(nodes.raw().get(SafeEncoder.encode(key("s4")))).as("a tombstone").containsExactly(0);
        assertThat(nodes.raw().pttl(key("s4"))).isBetween(1L, RedisSessionDataStore.TOMBSTONE.toMillis());
        assertThat(a.store().load("s4")).isNull();
        assertThat(a.store().exists("s4")).isFalse();
        assertThat(a.store().delete("s4")).isFalse();
    }

    @Test
    void aSessionWhoseIdIsRenewedAsAtLoginMovesToItsNewKey() throws Exception {
        SessionNode a = nodes.node(SHOP, "a");
        SessionNode b = nodes.node(SHOP, "b");
        SessionData data = a.newSession("before-login", MINUTES.toMillis(30));
        data.setAttribute("cart", 4);
        ManagedSession session = a.cache().newSession(data);
        a.cache().add("before-login", session);
        a.cache().release(session);

        a.cache().renewSessionId("before-login", "after-login", "before-login.a", "after-login.a");

        assertThat(nodes.raw().keys("*")).containsExactlyInAnyOrder(key("after-login"), key("before-login"));
        assertThat(a.store().load("before-login")).isNull();
        assertThat(b.store().load("after-login").getAttribute("cart")).isEqualTo(4);
    }

    /** Sends requests to the nodes in turn, carrying the session cookie along as a browser would; returns the answers. */
    private static List<String> roundRobin(int requests, SessionNode... instances) {
        List<String> answers = new ArrayList<>();
        String cookie = null;
        for (int i = 0; i < requests; i++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(Http.uri(instances[i % instances.length].port(), SHOP + "/"))
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
}
