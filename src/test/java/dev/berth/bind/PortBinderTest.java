package dev.berth.bind;

import dev.berth.base.BerthException;
import dev.berth.base.ExitCode;
import dev.berth.testing.Ports;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PortBinderTest {

    private final Server server = new Server();
    private final List<ServerSocket> held = new ArrayList<>();
    private final List<ServerSocket> heldUntilUse = new ArrayList<>();
    private ServerConnector opened;

    @AfterEach
    void release() {
        held.forEach(Ports::close);
        heldUntilUse.forEach(Ports::close);
        if (opened != null) {
            opened.close();
        }
    }

    /** A port held by this test for as long as it runs: taken, for the binder. */
    private ServerSocket hold() {
        ServerSocket socket = Ports.hold();
        held.add(socket);
        return socket;
    }

    /**
     * A port the binder may bind: the test holds it until the binder is about to (see {@link #connectorsOn}),
     * so nothing else can take it in between, as it could a port found free a moment ago.
     */
    private int holdUntilUse() {
        return holdUntilUse(Ports.hold());
    }

    private int holdUntilUse(ServerSocket socket) {
        held.remove(socket);
        heldUntilUse.add(socket);
        return socket.getLocalPort();
    }

    private PortBinder binder(int attempts, Duration backoff) {
        return new PortBinder("127.0.0.1", attempts, backoff, PortHolders.system());
    }

    private PortBinder.Bound bind(PortBinder binder, List<Integer> candidates) throws BerthException {
        return bind(binder, candidates, connectorsOn("127.0.0.1"));
    }

    private PortBinder.Bound bind(PortBinder binder, List<Integer> candidates, IntFunction<ServerConnector> newConnector) throws BerthException {
        PortBinder.Bound bound = binder.bind(candidates, newConnector);
        opened = bound.connector();
        return bound;
    }

    /** Unopened connectors on {@code host}; a port the test {@link #holdUntilUse() holds until use} is let go just before. */
    private IntFunction<ServerConnector> connectorsOn(String host) {
        return port -> {
            heldUntilUse.stream().filter(socket -> socket.getLocalPort() == port).forEach(Ports::close);
            ServerConnector connector = new ServerConnector(server);
            connector.setHost(host);
            connector.setPort(port);
            return connector;
        };
    }

    @Test
    void aFreeFirstCandidateIsBoundAtOnce() throws Exception {
        int port = holdUntilUse();
        PortBinder.Bound bound = bind(binder(3, Duration.ofMillis(10)), List.of(port, holdUntilUse()));
        assertThat(bound.connector().getLocalPort()).isEqualTo(port);
        assertThat(bound.isFallback()).isFalse();
    }

    @Test
    void aHeldPortFallsBackAndNamesThisProcessAsTheHolder() throws Exception {
        ServerSocket taken = hold();
        int free = holdUntilUse();
        PortBinder.Bound bound = bind(binder(2, Duration.ofMillis(10)), List.of(taken.getLocalPort(), free));
        assertThat(bound.connector().getLocalPort()).isEqualTo(free);
        assertThat(bound.failures()).singleElement().satisfies(f -> {
            assertThat(f.port()).isEqualTo(taken.getLocalPort());
            assertThat(f.reason()).isEqualTo(BindFailure.Reason.IN_USE);
            assertThat(f.holder()).hasValueSatisfying(h -> {
                assertThat(h.pid()).isEqualTo(ProcessHandle.current().pid());
                assertThat(h.command()).contains("java");
            });
        });
    }

    @Test
    void aRangeWhoseFirstPortsAreHeldBindsTheFirstFreeOne() throws Exception {
        ServerSocket[] range = Ports.holdRange(4);
        held.addAll(List.of(range));
        int first = range[0].getLocalPort();
        holdUntilUse(range[3]);
        PortBinder.Bound bound = bind(binder(1, Duration.ofMillis(1)), List.of(first, first + 1, first + 2, first + 3));
        assertThat(bound.connector().getLocalPort()).isEqualTo(first + 3);
        assertThat(bound.failures()).extracting(BindFailure::port).containsExactly(first, first + 1, first + 2);
    }

    @Test
    void aPortReleasedWhileRetryingIsTakenInsteadOfFallingBack() throws Exception {
        ServerSocket taken = hold();
        int port = taken.getLocalPort();
        IntFunction<ServerConnector> onLoopback = connectorsOn("127.0.0.1");
        AtomicInteger tries = new AtomicInteger();
        // The holder lets go when the binder comes back for a second try, which it makes only after the first
        // failed: the order of events, not a clock, decides the outcome.
        PortBinder.Bound bound = bind(binder(3, Duration.ofMillis(1)), List.of(port, holdUntilUse()), candidate -> {
            if (candidate == port && tries.incrementAndGet() == 2) {
                Ports.close(taken);
            }
            return onLoopback.apply(candidate);
        });
        assertThat(bound.connector().getLocalPort()).isEqualTo(port);
        assertThat(bound.isFallback()).isFalse();
        assertThat(tries).hasValue(2);
    }

    @Test
    void whenEveryCandidateIsHeldTheFailureNamesEachPortAndHolder() {
        ServerSocket a = hold();
        ServerSocket b = hold();
        long pid = ProcessHandle.current().pid();
        assertThatThrownBy(() -> bind(binder(2, Duration.ofMillis(5)), List.of(a.getLocalPort(), b.getLocalPort())))
                .isInstanceOfSatisfying(BerthException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.UNAVAILABLE);
                    assertThat(e.description()).contains(a.getLocalPort() + " in use by pid " + pid, b.getLocalPort() + " in use by pid " + pid);
                    assertThat(e.action()).contains("stop pid " + pid + " or set PORT / berth.fallback-ports");
                });
    }

    @Test
    void aHostThatIsNotOursIsAConfigurationErrorWithoutRetry() {
        // 192.0.2.1 is TEST-NET-1: never assigned to a machine, so the bind fails locally and nothing is sent
        PortBinder binder = new PortBinder("192.0.2.1", 3, Duration.ofMillis(1), PortHolders.system());
        IntFunction<ServerConnector> onTestNet = connectorsOn("192.0.2.1");
        AtomicInteger tries = new AtomicInteger();
        // the bind fails on the address whatever the port, so the ports need not be free
        assertThatThrownBy(() -> bind(binder, List.of(20001, 20002), port -> {
            tries.incrementAndGet();
            return onTestNet.apply(port);
        })).isInstanceOfSatisfying(BerthException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
            assertThat(e.description()).contains("berth.host=192.0.2.1");
        });
        assertThat(tries).hasValue(1);
    }
}
