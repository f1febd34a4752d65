package dev.berth;

import dev.berth.testing.BerthProcess;
import dev.berth.testing.Http;
import dev.berth.testing.Ports;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Port binding as a user meets it: the real jar, a port held by this test JVM, the log and the exit code. */
class BindingIT {

    private static final long TEST_PID = ProcessHandle.current().pid();

    @TempDir
    Path dir;

    @Test
    void aHeldPlatformPortFallsBackLoudlyNamingTheHolder() throws Exception {
        Path portFile = dir.resolve("run/berth.port"); // Berth creates the missing directory
        try (ServerSocket taken = Ports.hold()) {
            // the fallback is port 0, the kernel's choice: a port number found free before the JVM starts could be taken by then
            try (BerthProcess berth = BerthProcess.builder().env("PORT", String.valueOf(taken.getLocalPort()))
                    .args("--host=127.0.0.1", "--fallback-ports=0", "--bind.backoff=50ms", "--port-file=" + portFile)
                    .serving("Status page deployed")) {
                int fallback = berth.port();
                assertThat(fallback).isNotEqualTo(taken.getLocalPort());
                assertThat(berth.output()).contains("candidates [" + taken.getLocalPort() + ", 0]")
                        .contains("Port " + taken.getLocalPort() + " try 1/3: in use by pid " + TEST_PID)
                        .contains("retrying in 50 ms", "retrying in 100 ms")
                        .contains("Serving on fallback port " + fallback + ", not the first candidate")
                        .contains("only PORT receives public traffic");
                assertThat(Files.readString(portFile).strip()).isEqualTo(String.valueOf(fallback));
                assertThat(Http.get(fallback, "/").statusCode()).isEqualTo(200);
                assertThat(berth.terminate()).isEqualTo(143);
                assertThat(portFile).doesNotExist();
            }
        }
    }

    @Test
    void aPortReleasedDuringTheRetriesIsTaken() throws Exception {
        // the test lets go of taken once Berth has found it in use; the try closes it too, in case the test fails
        // before that. 12 tries from 200 ms keep Berth retrying for minutes, however long the test takes to notice.
        try (ServerSocket taken = Ports.hold();
             BerthProcess berth = BerthProcess.builder().args("--host=127.0.0.1", "--port=" + taken.getLocalPort(),
                     "--fallback-ports=0", "--bind.attempts=12", "--bind.backoff=200ms").start()) {
            int port = taken.getLocalPort();
            berth.awaitOutput("Port " + port + " try 1/12: in use");
            berth.releaseWhenTried(taken);
            assertThat(berth.awaitPort()).isEqualTo(port);
            assertThat(berth.output()).doesNotContain("fallback port");
        }
    }

    @Test
    void whenEveryCandidateIsHeldItExits69NamingEveryPort() throws Exception {
        ServerSocket[] range = Ports.holdRange(3);
        try {
            int first = range[0].getLocalPort();
            BerthProcess.Result result = BerthProcess.run("--host=127.0.0.1", "--port=" + first,
                    "--fallback-ports=" + (first + 1) + "-" + (first + 2), "--bind.attempts=2", "--bind.backoff=10ms");
            assertThat(result.exitCode()).isEqualTo(69);
            assertThat(result.output()).contains("no candidate port could be bound")
                    .contains(first + " in use by pid " + TEST_PID, (first + 1) + " in use by pid " + TEST_PID, (first + 2) + " in use by pid " + TEST_PID)
                    .contains("stop pid " + TEST_PID + " or set PORT / berth.fallback-ports")
                    .doesNotContain("\tat ");
        } finally {
            for (ServerSocket s : range) {
                Ports.close(s);
            }
        }
    }

    @Test
    void checkPortsReportsEachCandidateAndBindsNothing() throws Exception {
        try (ServerSocket taken = Ports.hold()) {
            // the free candidate is port 0, which is always free: a port number found free before the JVM starts
            // could be taken by the time Berth checks it
            BerthProcess.Result some = BerthProcess.run("--check-ports", "--host=127.0.0.1", "--port=" + taken.getLocalPort(), "--fallback-ports=0");
            assertThat(some.exitCode()).isZero();
            assertThat(some.output()).contains(taken.getLocalPort() + " in use by pid " + TEST_PID, "\n  0 free")
                    .doesNotContain("Bound port", "Health answers");

            BerthProcess.Result none = BerthProcess.run("--check-ports", "--host=127.0.0.1", "--port=" + taken.getLocalPort(), "--fallback-ports=");
            assertThat(none.exitCode()).isEqualTo(69);
            assertThat(none.output()).contains("No candidate is free")
                    .doesNotContain("Bound port", "Health answers");
        }
    }

    static Stream<Arguments> badCandidates() {
        return Stream.of(
                arguments(named("a port above 65535 in BERTH_FALLBACK_PORTS", BerthProcess.builder().env("BERTH_FALLBACK_PORTS", "8080,70000")),
                        "BERTH_FALLBACK_PORTS=8080,70000 from environment variable BERTH_FALLBACK_PORTS: '70000' is not a port number"),
                arguments(named("a backwards range in --fallback-ports", BerthProcess.builder().args("--fallback-ports=9010-9000")),
                        "--fallback-ports=9010-9000 from command line: range 9010-9000 runs backwards"));
    }

    @ParameterizedTest(name = "{0} is exit 64 naming the source")
    @MethodSource("badCandidates")
    void badCandidatesAreExit64NamingTheSource(BerthProcess.Builder berth, String message) {
        BerthProcess.Result result = berth.run();
        assertThat(result.exitCode()).isEqualTo(64);
        assertThat(result.output()).contains(message);
    }

    @Test
    void aHostThatIsNotOursExits64() {
        // the address fails the bind whatever the port: 0 binds nothing that another test could want
        BerthProcess.Result result = BerthProcess.run("--host=192.0.2.1", "--port=0", "--fallback-ports=");
        assertThat(result.exitCode()).isEqualTo(64);
        assertThat(result.output()).contains("berth.host=192.0.2.1 is not an address of this machine");
    }

    @Test
    void thePortFileHoldsThePortWithNoTemporaryFileBesideItAndIsRemovedOnStop() throws Exception {
        Path portFile = dir.resolve("berth.port");
        // the files are written before the deployment begins
        try (BerthProcess berth = BerthProcess.builder().loopback().args("--port-file=" + portFile).serving("Status page deployed")) {
            assertThat(Files.readString(portFile)).isEqualTo(berth.port() + "\n");
            Path lock = dir.resolve(".berth.port.lock");
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files).as("the port file and the lock that claims it, nothing else").containsExactlyInAnyOrder(portFile, lock);
            }
            assertThat(berth.terminate()).isEqualTo(143);
            assertThat(portFile).doesNotExist();
            assertThat(lock).doesNotExist();
        }
    }
}
