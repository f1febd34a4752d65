package dev.berth.bind;

import dev.berth.bind.BindFailure.Privileges;
import dev.berth.bind.BindFailure.Reason;
import dev.berth.testing.Ports;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class BindFailureTest {

    static Stream<Arguments> failures() {
        // Jetty's ServerConnector.open() wraps the JDK's BindException in an IOException of its own
        Named<IOException> jetty = named("a BindException wrapped by Jetty",
                new IOException("Failed to bind to /127.0.0.1:80", new BindException("any text at all")));
        Named<IOException> deeper = named("a BindException two causes down",
                new IOException("Failed to bind", new UncheckedIOException(new BindException("Address already in use"))));
        // These messages say the opposite of the structure, so a classifier that read them would be caught
        Named<IOException> saysPermission = named("a BindException saying \"Permission denied\"", new BindException("Permission denied"));
        Named<IOException> saysInUse = named("an IOException saying \"Address already in use\" with no BindException behind it",
                new IOException("Address already in use"));
        Named<Privileges> ordinary = named("without CAP_NET_BIND_SERVICE", new Privileges(1024, false));
        Named<Privileges> capable = named("with CAP_NET_BIND_SERVICE", new Privileges(1024, true));
        return Stream.of(
                arguments(jetty, "127.0.0.1", 80, ordinary, Reason.PERMISSION_DENIED),
                arguments(jetty, "127.0.0.1", 80, capable, Reason.IN_USE),
                arguments(jetty, "0.0.0.0", 8080, ordinary, Reason.IN_USE),
                arguments(deeper, "::1", 8080, ordinary, Reason.IN_USE),
                arguments(saysPermission, "127.0.0.1", 8080, ordinary, Reason.IN_USE),
                // port 0 asks the kernel for any free port, so the privileged range does not apply to it
                arguments(jetty, "127.0.0.1", 0, ordinary, Reason.IN_USE),
                // 192.0.2.1 is TEST-NET-1: no machine has it, so the address, not the port, is the cause
                arguments(jetty, "192.0.2.1", 8080, ordinary, Reason.ADDRESS_NOT_AVAILABLE),
                arguments(saysInUse, "127.0.0.1", 8080, ordinary, Reason.OTHER));
    }

    @ParameterizedTest(name = "{0}, binding {1} port {2} {3}, reads as \"{4}\"")
    @MethodSource("failures")
    @DisplayName("causes are told apart by the exception's structure and the machine, never by its message")
    void causesAreToldApartByStructureNotMessage(IOException failure, String host, int port, Privileges privileges, Reason expected) {
        assertThat(BindFailure.classify(failure, host, port, privileges)).isEqualTo(expected);
    }

    static Stream<Arguments> kernelRules() {
        return Stream.of(
                arguments("1024", "0000000000000000", 80, named("is refused", false)),
                arguments("1024", "0000000000000000", 1024, named("may be bound", true)),
                // bit 10 is CAP_NET_BIND_SERVICE, as `setcap cap_net_bind_service=+ep` gives it to a binary
                arguments("1024", "0000000000000400", 80, named("may be bound", true)),
                arguments("1024", "000001fffffffbff", 80, named("is refused", false)),
                // some container runtimes set the start to 0, which makes every port unprivileged
                arguments("0", "0000000000000000", 1, named("may be bound", true)));
    }

    @ParameterizedTest(name = "with ports unprivileged from {0} and CapEff {1}, port {2} {3}")
    @MethodSource("kernelRules")
    @DisplayName("the kernel's unprivileged port start and the effective capabilities decide which ports may be bound")
    void theKernelsRulesAreReadFromProc(String unprivilegedStart, String capEff, int port, boolean bindable, @TempDir Path proc) throws IOException {
        write(proc.resolve("sys/net/ipv4/ip_unprivileged_port_start"), unprivilegedStart + "\n");
        write(proc.resolve("self/status"), status(capEff));
        assertThat(Privileges.of(proc).mayBind(port)).isEqualTo(bindable);
    }

    @Test
    void withoutTheKernelsFilesTheTraditionalRulesApply(@TempDir Path notLinux) {
        assertThat(Privileges.of(notLinux)).isEqualTo(new Privileges(1024, false));
    }

    static Stream<Arguments> descriptions() {
        PortHolder python = new PortHolder(4242, "python3 -m http.server 8080");
        return Stream.of(
                arguments(named("a port in use by a visible process", new BindFailure(8080, Reason.IN_USE, "BindException: Address already in use", Optional.of(python))),
                        "8080 in use by pid 4242 (python3 -m http.server 8080)"),
                arguments(named("a port in use by a process Berth may not see", new BindFailure(8080, Reason.IN_USE, "BindException: Address already in use", Optional.empty())),
                        "8080 in use (owner not visible)"),
                arguments(named("a privileged port", new BindFailure(80, Reason.PERMISSION_DENIED, "BindException: Permission denied", Optional.empty())),
                        "80 permission denied"),
                arguments(named("an address that is not ours", new BindFailure(8080, Reason.ADDRESS_NOT_AVAILABLE, "BindException: Cannot assign requested address", Optional.empty())),
                        "8080 cannot assign the address"),
                arguments(named("any other failure", new BindFailure(8080, Reason.OTHER, "IOException: Too many open files", Optional.empty())),
                        "8080 failed: IOException: Too many open files"));
    }

    @ParameterizedTest(name = "{0} is described as \"{1}\"")
    @MethodSource("descriptions")
    @DisplayName("a failure describes itself in one line, with the holder only when the port is in use")
    void aFailureDescribesItselfInOneLine(BindFailure failure, String line) {
        assertThat(failure.describe()).isEqualTo(line);
    }

    static Stream<Arguments> failuresOnAHeldPort() {
        return Stream.of(
                arguments(named("a BindException", new BindException("Address already in use")), Reason.IN_USE,
                        named("names this JVM as the holder", Optional.of(ProcessHandle.current().pid())), "BindException: Address already in use"),
                arguments(named("an IOException with no BindException behind it", new IOException("Too many open files")), Reason.OTHER,
                        named("looks for no holder", Optional.empty()), "IOException: Too many open files"));
    }

    @ParameterizedTest(name = "{0} on a port this JVM holds reads as \"{1}\" and {2}")
    @MethodSource("failuresOnAHeldPort")
    @EnabledOnOs(OS.LINUX)
    @DisplayName("only a port in use is traced to the process that holds it")
    void onlyAPortInUseIsTracedToItsHolder(IOException cause, Reason reason, Optional<Long> holderPid, String detail) throws IOException {
        try (ServerSocket held = Ports.hold()) {
            BindFailure failure = BindFailure.of(cause, "127.0.0.1", held.getLocalPort(), PortHolders.system());
            assertThat(failure.reason()).isEqualTo(reason);
            assertThat(failure.holder().map(PortHolder::pid)).isEqualTo(holderPid);
            assertThat(failure.detail()).isEqualTo(detail);
        }
    }

    private static String status(String capEff) {
        // CapPrm and CapBnd have bit 10 set: only the effective set counts, so reading another line would show
        return """
                Name:\tjava
                State:\tS (sleeping)
                Uid:\t1000\t1000\t1000\t1000
                CapInh:\t0000000000000000
                CapPrm:\t000001ffffffffff
                CapEff:\t%s
                CapBnd:\t000001ffffffffff
                CapAmb:\t0000000000000000
                """.formatted(capEff);
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
