package dev.berth.bind;

import dev.berth.testing.Ports;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * PortHolders on a fixture /proc that shows one small machine, then on the real /proc of this JVM. The
 * fixture is also the description of the format the code reads.
 */
class PortHoldersTest {

    /*
     * /proc/net/tcp, one socket a row, split on blanks: sl, local_address, rem_address, st, tx_queue:rx_queue,
     * tr:tm->when, retrnsmt, uid, timeout, inode, then more. Addresses are hex IP:PORT, the IP in the kernel's
     * byte order (127.0.0.1 shows as 0100007F on x86), the port as written (8080 is 1F90). st is the TCP state:
     * 0A is LISTEN, 01 ESTABLISHED. The inode (column 10) is what a process's /proc/PID/fd/N link names as
     * socket:[inode]; a socket no file refers to any more shows 0.
     *
     *   0: python3's listener on 127.0.0.1:8080
     *   1: sshd's listener on 0.0.0.0:22 (root's)
     *   2: postfix's listener on 0.0.0.0:25 (root's)
     *   3: a listener on 0.0.0.0:9090 of a process whose cmdline is empty
     *   4 and 5: curl's connection from 127.0.0.1:41394 to python3, and python3's end of it
     *   6: a listener on 0.0.0.0:9091 that no file refers to any more
     *   7: gunicorn's listener on 0.0.0.0:8000, which its master opened and its forked workers share
     */
    private static final String TCP = """
              sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 31415 1 0000000000000000 100 0 0 10 0
               1: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 27182 1 0000000000000000 100 0 0 10 0
               2: 00000000:0019 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 14142 1 0000000000000000 100 0 0 10 0
               3: 00000000:2382 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 55555 1 0000000000000000 100 0 0 10 0
               4: 0100007F:A1B2 0100007F:1F90 01 00000000:00000000 00:00000000 00000000  1000        0 16180 1 0000000000000000 20 4 30 10 -1
               5: 0100007F:1F90 0100007F:A1B2 01 00000000:00000000 00:00000000 00000000  1000        0 16181 1 0000000000000000 20 4 29 10 -1
               6: 00000000:2383 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 0 1 0000000000000000 100 0 0 10 0
               7: 00000000:1F40 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 27272 1 0000000000000000 100 0 0 10 0
            """;

    /*
     * /proc/net/tcp6: the same columns, the IP as four 32-bit words in the kernel's byte order (::1 shows as
     * 00000000000000000000000001000000, :: as all zeros).
     *
     *   0: nginx's listener on [::1]:8443
     *   1: a Java server's listener on [::]:9000
     */
    private static final String TCP6 = """
              sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 00000000000000000000000001000000:20FB 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 33333 1 0000000000000000 100 0 0 10 0
               1: 00000000000000000000000000000000:2328 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 44444 1 0000000000000000 100 0 0 10 0
            """;

    private static final List<String> JAVA = List.of("java", "-cp",
            IntStream.rangeClosed(1, 20).mapToObj(i -> "/opt/app/lib/dependency-" + i + ".jar").collect(Collectors.joining(":")),
            "com.example.Main");

    private static final List<String> GUNICORN = List.of("/usr/bin/python3", "/usr/local/bin/gunicorn", "-w", "2", "-b", "0.0.0.0:8000", "app:app");

    @TempDir
    Path proc;
    private PortHolders holders;

    @BeforeEach
    void aSmallMachine() throws IOException {
        write("net/tcp", TCP);
        write("net/tcp6", TCP6);
        process(4242, List.of("python3", "-m", "http.server", "8080", "--bind", "127.0.0.1"), 31415, 16181);
        process(4343, List.of("nginx: master process /usr/sbin/nginx -g daemon off;"), 33333);
        process(5151, JAVA, 44444);
        process(6161, List.of(), 55555);
        // No real fd links to socket:[0]; this one does, so that matching inode 0 would find curl
        process(7171, List.of("curl", "http://127.0.0.1:8080/"), 16180, 0);
        // a pre-forking server: the master and its two workers all hold the socket the master opened
        for (long pid = 3000; pid <= 3002; pid++) {
            process(pid, GUNICORN, 27272);
        }
        // pid 1 is the first process met, as in the real /proc, so failing to read it must not end the search
        process(1, List.of("/usr/sbin/sshd", "-D"), 27182);
        process(1717, List.of("/usr/lib/postfix/sbin/master", "-w"), 14142);
        hideDescriptorDirectory(1);
        hideDescriptorLinks(1717);
        // /proc/self names a process but is not a pid: reading it as one would end the search
        Files.createSymbolicLink(proc.resolve("self"), Path.of("4242"));
        holders = new PortHolders(proc);
    }

    static Stream<Arguments> holdersFound() {
        return Stream.of(
                arguments(named("an IPv4 listener on 127.0.0.1:8080, in net/tcp,", 8080), 4242, "python3 -m http.server 8080 --bind 127.0.0.1"),
                arguments(named("an IPv6 listener on [::1]:8443, in net/tcp6,", 8443), 4343, "nginx: master process /usr/sbin/nginx -g daemon off;"),
                arguments(named("a listener whose process shows an empty cmdline", 9090), 6161, "command line not visible"),
                arguments(named("a listener that a master and its forked workers share", 8000), 3000, String.join(" ", GUNICORN)));
    }

    @ParameterizedTest(name = "{0} is found as pid {1}, \"{2}\"")
    @MethodSource("holdersFound")
    @DisplayName("a listening socket is traced through its inode to the process and its command line")
    void aListenerIsTracedToItsProcess(int port, long pid, String command) {
        assertThat(holders.holderOf(port)).contains(new PortHolder(pid, command));
    }

    static Stream<Arguments> noHolder() {
        return Stream.of(
                arguments(named("a connection from local port 41394, in state 01 (ESTABLISHED), not 0A (LISTEN),", 41394)),
                arguments(named("a listener with inode 0", 9091)),
                // Berth usually runs as an ordinary user, for whom opening root's /proc/PID/fd fails
                arguments(named("a listener whose process's fd directory cannot be opened", 22)),
                // as in a container that denies ptrace: the directory lists, but readlink fails
                arguments(named("a listener whose process's fd links cannot be read", 25)),
                arguments(named("a port no socket uses", 12345)));
    }

    @ParameterizedTest(name = "{0} has no holder")
    @MethodSource("noHolder")
    @DisplayName("only a listening socket that a visible process holds has a holder")
    void noHolderIsNamedWithoutAVisibleListener(int port) {
        assertThat(holders.holderOf(port)).isEmpty();
    }

    @Test
    @DisplayName("a command line longer than 200 characters is cut to 200, ending in \"...\"")
    void aLongCommandLineIsAbbreviated() {
        String full = String.join(" ", JAVA);
        assertThat(full).hasSizeGreaterThan(200);
        assertThat(holders.holderOf(9000)).hasValueSatisfying(h -> {
            assertThat(h.pid()).isEqualTo(5151);
            assertThat(h.command()).hasSize(200).isEqualTo(full.substring(0, 197) + "...");
        });
    }

    @Test
    void withoutProcNoHolderIsFound() {
        assertThat(new PortHolders(proc.resolve("absent")).holderOf(8080)).isEmpty();
    }

    @ParameterizedTest(name = "a real listener on {0} is found as this JVM")
    @DisplayName("this JVM's own listeners are found in the real /proc")
    @ValueSource(strings = {"127.0.0.1", "::1"})
    @EnabledOnOs(OS.LINUX)
    void aRealListenerIsFoundAsThisJvm(String address) throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            bindOrAbort(socket, address);
            assertThat(PortHolders.system().holderOf(socket.getLocalPort())).hasValueSatisfying(h -> {
                assertThat(h.pid()).isEqualTo(ProcessHandle.current().pid());
                assertThat(h.command()).contains("java");
            });
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aRealPortNobodyListensOnHasNoHolder() throws IOException {
        // reserved, not found free a moment ago: while the test holds it, no other process can listen on it
        try (Socket reserved = Ports.reserve()) {
            assertThat(PortHolders.system().holderOf(reserved.getLocalPort())).isEmpty();
        }
    }

    private static void bindOrAbort(ServerSocket socket, String address) throws IOException {
        try {
            socket.bind(new InetSocketAddress(address, 0));
        } catch (SocketException e) {
            abort("no " + address + " on this machine: " + e.getMessage());
        }
    }

    /** A process directory: cmdline as the kernel writes it, NUL after each argument; fd 0-2, then the sockets. */
    private void process(long pid, List<String> argv, long... socketInodes) throws IOException {
        write(pid + "/cmdline", argv.stream().map(arg -> arg + '\0').collect(Collectors.joining()));
        Path fd = Files.createDirectories(proc.resolve(pid + "/fd"));
        Files.createSymbolicLink(fd.resolve("0"), Path.of("/dev/null"));
        Files.createSymbolicLink(fd.resolve("1"), Path.of("pipe:[20001]"));
        Files.createSymbolicLink(fd.resolve("2"), Path.of("anon_inode:[eventpoll]"));
        for (int i = 0; i < socketInodes.length; i++) {
            Files.createSymbolicLink(fd.resolve(String.valueOf(3 + i)), Path.of("socket:[" + socketInodes[i] + "]"));
        }
    }

    /**
     * Permission bits hide nothing from root, and tests may run as root, so a plain file stands where the
     * directory was: opening it as a directory fails as EACCES would.
     */
    private void hideDescriptorDirectory(long pid) throws IOException {
        Path fd = proc.resolve(pid + "/fd");
        try (Stream<Path> links = Files.list(fd)) {
            for (Path link : links.toList()) {
                Files.delete(link);
            }
        }
        Files.delete(fd);
        Files.writeString(fd, "");
    }

    /** Plain files in place of the links: reading them as links fails, as readlink's EACCES would. */
    private void hideDescriptorLinks(long pid) throws IOException {
        try (Stream<Path> links = Files.list(proc.resolve(pid + "/fd"))) {
            for (Path link : links.toList()) {
                Files.delete(link);
                Files.writeString(link, "");
            }
        }
    }

    private void write(String file, String text) throws IOException {
        Path path = proc.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, text);
    }
}
