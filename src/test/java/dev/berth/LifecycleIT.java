package dev.berth;

import dev.berth.testing.BerthProcess;
import dev.berth.testing.Gate;
import dev.berth.testing.Http;
import dev.berth.testing.ShortTempDir;
import dev.berth.testing.UnixHttp;
import dev.berth.testing.Wars;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** pid, port and socket files and the shutdown sequence, with real subprocesses and real signals. */
class LifecycleIT {

    @TempDir
    Path dir;

    /** Where the socket goes: unix socket paths are limited to 107 bytes. */
    @TempDir(factory = ShortTempDir.class)
    Path shortDir;

    private Path pidFile;
    private Path portFile;
    private Path socket;

    @BeforeEach
    void paths() {
        pidFile = dir.resolve("berth.pid");
        portFile = dir.resolve("berth.port");
        socket = shortDir.resolve("b.sock");
    }

    private BerthProcess.Builder berth(String... more) {
        return BerthProcess.builder().loopback()
                .args("--pid-file=" + pidFile, "--port-file=" + portFile, "--unix-socket=" + socket).args(more);
    }

    private void assertRunFilesRemoved() {
        assertThat(pidFile).doesNotExist();
        assertThat(portFile).doesNotExist();
        assertThat(socket).doesNotExist();
    }

    private static long exitedPid() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        return gone.pid();
    }

    private void leaveStaleSocket() throws Exception {
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        channel.bind(UnixDomainSocketAddress.of(socket));
        channel.close(); // closing does not remove the file: it is now a socket nobody accepts on
        assertThat(socket).exists();
    }

    @Test
    void staleFilesAreReportedAndReplaced() throws Exception {
        long gone = exitedPid();
        Files.writeString(pidFile, gone + "\n");
        // only the lock beside a file tells whether it is stale, never what it holds: this port is never bound or checked
        Files.writeString(portFile, "45678\n");
        leaveStaleSocket();
        try (BerthProcess berth = berth().serving("Status page deployed")) {
            assertThat(berth.output()).contains("Removed stale pid file " + pidFile + ": it held '" + gone + "' and no running process holds its lock")
                    .contains("Removed stale port file " + portFile + ": it held '45678' and no running process holds its lock")
                    .contains("Removed stale unix socket " + socket + ": nobody accepts connections on it");
            assertThat(Files.readString(pidFile).strip()).isEqualTo(String.valueOf(berth.pid()));
            assertThat(Files.readString(portFile).strip()).isEqualTo(String.valueOf(berth.port()));
            assertThat(UnixHttp.get(socket, "/health/ready")).startsWith("HTTP/1.1 200").contains("\"status\":\"UP\"");
            assertThat(UnixHttp.get(socket, "/")).contains("Berth is running");
            assertThat(Files.getPosixFilePermissions(socket)).extracting(Object::toString)
                    .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE", "GROUP_READ", "GROUP_WRITE");
        }
    }

    @Test
    void aSecondInstanceOnTheSamePidFileExits75SayingWhyAndLeavesTheFirstsFilesAlone() throws Exception {
        assertASecondInstanceIsRefused("--pid-file=" + pidFile,
                first -> "another Berth (pid " + first.pid() + ") holds the pid file " + pidFile);
    }

    @Test
    void aSecondInstanceOnTheSameUnixSocketExits75SayingWhyAndLeavesTheFirstsFilesAlone() throws Exception {
        assertASecondInstanceIsRefused("--unix-socket=" + socket,
                first -> "another Berth (pid " + first.pid() + ") holds the unix socket " + socket);
    }

    @Test
    void aSecondInstanceOnTheSamePortFileExits75SayingWhyAndLeavesTheFirstsFilesAlone() throws Exception {
        assertASecondInstanceIsRefused("--port-file=" + portFile,
                first -> "another Berth (pid " + first.pid() + ") holds the port file " + portFile);
    }

    /** Starts a first instance with every file, then a second sharing one of them: {@code message(first)} is its refusal. */
    private void assertASecondInstanceIsRefused(String sharedFileFlag, Function<BerthProcess, String> message) throws Exception {
        try (BerthProcess first = berth().serving("Status page deployed")) {
            String pid = Files.readString(pidFile);
            String port = Files.readString(portFile);
            Object inode = Files.getAttribute(socket, "unix:ino");

            BerthProcess.Result second = BerthProcess.builder().loopback().args(sharedFileFlag).run();

            assertThat(second.exitCode()).isEqualTo(75);
            assertThat(second.output()).contains(message.apply(first));
            assertThat(Files.readString(pidFile)).isEqualTo(pid);
            assertThat(Files.readString(portFile)).isEqualTo(port);
            assertThat(Files.getAttribute(socket, "unix:ino")).isEqualTo(inode);
            assertThat(UnixHttp.get(socket, "/health/live")).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void sigtermDrainsTheRequestInFlightRefusesNewConnectionsAndRemovesEveryFile() throws Exception {
        Path started = dir.resolve("started");
        Path destroyed = dir.resolve("destroyed");
        Gate request = Gate.in(dir, "request");
        String war = Wars.build("slow", "deploy.millis", "0", "request.started.file", started.toString(), "request.gate", request.path(),
                "destroyed.file", destroyed.toString()).toString();
        // a drain timeout longer than any wait here: the request ends when its gate opens, not when the clock runs out
        try (BerthProcess berth = berth(war, "--shutdown.timeout=10m").serving("slow.war deployed in")) {
            int port = berth.port();
            CompletableFuture<HttpResponse<String>> slow = HttpClient.newHttpClient().sendAsync(
                    HttpRequest.newBuilder(Http.uri(port, "/hello?wait")).timeout(Duration.ofMinutes(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> Files.exists(started));

            berth.process().destroy(); // SIGTERM
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> refuses(port));
            assertThat(slow).as("the request waits for its gate while new connections are refused").isNotDone();
            request.open();

            HttpResponse<String> response = slow.get(2, TimeUnit.MINUTES);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("hello from the app");
            assertThat(berth.awaitExit(Duration.ofSeconds(60))).isEqualTo(143);
            assertThat(Files.readString(destroyed)).isEqualTo("destroyed\n");
            assertThat(berth.output()).containsPattern("Stopped in \\d+ ms: 1 in-flight requests drained, 0 cut");
            assertRunFilesRemoved();
        }
    }

    private static boolean refuses(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void readinessTurnsDownAtOnceAndTheDelayKeepsAccepting() throws Exception {
        // a delay no test run outlasts, so the requests below meet it however slow the machine is; the test
        // then ends Berth with SIGKILL, as nothing else shortens the delay
        try (BerthProcess berth = berth("--shutdown.delay=10m", "--health.details=always").serving("Status page deployed")) {
            int port = berth.port();
            assertThat(Http.get(port, "/health/ready").statusCode()).isEqualTo(200);
            berth.process().destroy();
            berth.awaitOutput("Stopping: readiness is DOWN; still accepting for 600000 ms");
            HttpResponse<String> ready = Http.get(port, "/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("\"phase\":\"STOPPING\"");
            assertThat(Http.get(port, "/health/live").statusCode()).isEqualTo(200);
            assertThat(berth.process().isAlive()).as("still in the delay").isTrue();
            assertThat(berth.kill()).isEqualTo(137);
        }
    }

    @Test
    void sigtermDuringADeploymentThatNeverEndsInterruptsItAndRemovesTheFiles() throws Exception {
        // the deployment waits for a gate the test never opens: only the stop's interrupt can end it
        String war = Wars.build("slow", "deploy.gate", Gate.in(dir, "never").path()).toString();
        try (BerthProcess berth = berth(war).start()) {
            int port = berth.awaitPort();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> Files.exists(pidFile) && Files.exists(socket));
            assertThat(Http.get(port, "/health/started").statusCode()).isEqualTo(503);
            berth.process().destroy();
            assertThat(berth.awaitExit(Duration.ofSeconds(60))).isEqualTo(143);
            assertThat(berth.output()).contains("Deployment of slow.war interrupted by the stop");
            assertRunFilesRemoved();
        }
    }

    @Test
    void aSymlinkedPidFileIsRefusedWith73AndItsTargetIsUntouched() throws Exception {
        Path target = Files.writeString(dir.resolve("precious.txt"), "keep me\n");
        Path link = Files.createSymbolicLink(dir.resolve("link.pid"), target);
        BerthProcess.Result result = BerthProcess.builder().loopback().args("--pid-file=" + link).run();
        assertThat(result.exitCode()).isEqualTo(73);
        assertThat(result.output()).contains("the pid file " + link + " is a symbolic link");
        assertThat(Files.readString(target)).isEqualTo("keep me\n");
        assertThat(Files.isSymbolicLink(link)).isTrue();
    }

    @Test
    void aSocketPathThatIsARegularFileIsRefusedWith73AndKept() throws Exception {
        Files.writeString(socket, "not a socket\n");
        BerthProcess.Result result = BerthProcess.builder().loopback().args("--unix-socket=" + socket).run();
        assertThat(result.exitCode()).isEqualTo(73);
        assertThat(result.output()).contains("exists and is not a socket; Berth will not delete it");
        assertThat(Files.readString(socket)).isEqualTo("not a socket\n");
    }

    @Test
    void aSocketPathTooLongIsExit64NamingTheLimit() {
        Path tooLong = dir.resolve("x".repeat(120) + ".sock");
        BerthProcess.Result result = BerthProcess.builder().loopback().args("--unix-socket=" + tooLong).run();
        assertThat(result.exitCode()).isEqualTo(64);
        assertThat(result.output()).contains("a unix socket path may be at most 107 bytes");
    }

    @Test
    void afterKill9ARestartWithTheSameFilesSucceeds() throws Exception {
        try (BerthProcess crashed = berth().serving("Status page deployed")) {
            crashed.kill();
        }
        assertThat(pidFile).exists();
        assertThat(portFile).exists();
        assertThat(socket).exists();
        try (BerthProcess restarted = berth().serving("Status page deployed")) {
            assertThat(restarted.output()).contains("Removed stale pid file", "Removed stale port file", "Removed stale unix socket");
            assertThat(Http.get(restarted.port(), "/health").statusCode()).isEqualTo(200);
            assertThat(UnixHttp.get(socket, "/health")).startsWith("HTTP/1.1 200");
            assertThat(restarted.terminate()).isEqualTo(143);
        }
        assertRunFilesRemoved();
    }
}
