package dev.berth.bind;

import dev.berth.BerthException;
import dev.berth.ExitCode;
import dev.berth.testing.Ports;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.BindException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PortBinderTest {

    private final Server server = new Server();
    private final List<ServerSocket> held = new ArrayList<>();
    private ServerConnector opened;

    @AfterEach
    void release() {
        held.forEach(Ports::close);
        if (opened != null) {
            opened.close();
        }
    }

    private ServerSocket hold() {
        ServerSocket socket = Ports.hold();
        held.add(socket);
        return socket;
    }

    private PortBinder binder(int attempts, Duration backoff) {
        return new PortBinder("127.0.0.1", attempts, backoff, PortHolders.system());
    }

    private PortBinder.Bound bind(PortBinder binder, List<Integer> candidates) throws BerthException {
        PortBinder.Bound bound = binder.bind(candidates, port -> {
            ServerConnector connector = new ServerConnector(server);
            connector.setHost("127.0.0.1");
            connector.setPort(port);
            return connector;
        });
        opened = bound.connector();
        return bound;
    }

    @Test
    void aFreeFirstCandidateIsBoundAtOnce() throws Exception {
        int port = Ports.free();
        PortBinder.Bound bound = bind(binder(3, Duration.ofMillis(10)), List.of(port, Ports.free()));
        assertThat(bound.connector().getLocalPort()).isEqualTo(port);
        assertThat(bound.isFallback()).isFalse();
    }

    @Test
    void aHeldPortFallsBackAndNamesThisProcessAsTheHolder() throws Exception {
        ServerSocket taken = hold();
        int free = Ports.free();
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
        Ports.close(range[3]);
        PortBinder.Bound bound = bind(binder(1, Duration.ofMillis(1)), List.of(first, first + 1, first + 2, first + 3));
        assertThat(bound.connector().getLocalPort()).isEqualTo(first + 3);
        assertThat(bound.failures()).extracting(BindFailure::port).containsExactly(first, first + 1, first + 2);
    }

    @Test
    void aPortReleasedWhileRetryingIsTakenInsteadOfFallingBack() throws Exception {
        ServerSocket taken = hold();
        int port = taken.getLocalPort();
        CompletableFuture<Void> release = CompletableFuture.runAsync(() -> Ports.close(taken),
                CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS));
        PortBinder.Bound bound = bind(binder(6, Duration.ofMillis(100)), List.of(port, Ports.free()));
        release.join();
        assertThat(bound.connector().getLocalPort()).isEqualTo(port);
        assertThat(bound.isFallback()).isFalse();
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
    void aHostThatIsNotOursIsAConfigurationError() {
        // 192.0.2.1 is TEST-NET-1: never assigned to a machine, so the bind fails locally and nothing is sent
        PortBinder binder = new PortBinder("192.0.2.1", 3, Duration.ofSeconds(5), PortHolders.system());
        assertThatThrownBy(() -> binder.bind(List.of(Ports.free()), port -> {
            ServerConnector connector = new ServerConnector(server);
            connector.setHost("192.0.2.1");
            connector.setPort(port);
            return connector;
        })).isInstanceOfSatisfying(BerthException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
            assertThat(e.description()).contains("berth.host=192.0.2.1");
        });
    }

    @Test
    void causesAreToldApartByStructureNotMessage() {
        IOException wrapped = new IOException("Failed to bind", new BindException("any text at all"));
        BindFailure.Privileges unprivileged = new BindFailure.Privileges(1024, false);
        BindFailure.Privileges privileged = new BindFailure.Privileges(1024, true);
        assertThat(BindFailure.classify(wrapped, "127.0.0.1", 80, unprivileged)).isEqualTo(BindFailure.Reason.PERMISSION_DENIED);
        assertThat(BindFailure.classify(wrapped, "127.0.0.1", 80, privileged)).isEqualTo(BindFailure.Reason.IN_USE);
        assertThat(BindFailure.classify(wrapped, "0.0.0.0", 8080, unprivileged)).isEqualTo(BindFailure.Reason.IN_USE);
        assertThat(BindFailure.classify(wrapped, "192.0.2.1", 8080, unprivileged)).isEqualTo(BindFailure.Reason.ADDRESS_NOT_AVAILABLE);
        assertThat(BindFailure.classify(new IOException("no bind"), "127.0.0.1", 8080, unprivileged)).isEqualTo(BindFailure.Reason.OTHER);
    }

    @Test
    void holdersAreFoundForIpv6ListenersToo() throws Exception {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new java.net.InetSocketAddress("::1", 0));
            assertThat(PortHolders.system().holderOf(socket.getLocalPort()))
                    .hasValueSatisfying(h -> assertThat(h.pid()).isEqualTo(ProcessHandle.current().pid()));
        } catch (java.net.SocketException e) {
            org.junit.jupiter.api.Assumptions.abort("no IPv6 loopback here: " + e.getMessage());
        }
    }

    @Test
    void aPortNobodyListensOnHasNoHolder() {
        assertThat(PortHolders.system().holderOf(Ports.free())).isEmpty();
    }
}
