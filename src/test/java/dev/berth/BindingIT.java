package dev.berth;

import dev.berth.testing.BerthProcess;
import dev.berth.testing.Http;
import dev.berth.testing.Ports;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Port binding as a user meets it: the real jar, a port held by this test JVM, the log and the exit code. */
class BindingIT {

    private static final long TEST_PID = ProcessHandle.current().pid();

    @TempDir
    Path dir;

    @Test
    void aHeldPlatformPortFallsBackLoudlyNamingTheHolder() throws Exception {
        Path portFile = dir.resolve("run/berth.port");
        try (ServerSocket taken = Ports.hold()) {
            int fallback = Ports.free();
            try (BerthProcess berth = BerthProcess.builder().env("PORT", String.valueOf(taken.getLocalPort()))
                    .args("--host=127.0.0.1", "--fallback-ports=" + fallback, "--bind.backoff=50ms", "--port-file=" + portFile).start()) {
                assertThat(berth.awaitPort()).isEqualTo(fallback);
                berth.awaitOutput("Status page deployed");
                String log = berth.output();
                assertThat(log).contains("candidates [" + taken.getLocalPort() + ", " + fallback + "]")
                        .contains("Port " + taken.getLocalPort() + " try 1/3: in use by pid " + TEST_PID)
                        .contains("retrying in 50 ms", "retrying in 100 ms")
                        .contains("Serving on fallback port " + fallback + ", not the first candidate")
                        .contains("only PORT receives public traffic");
                assertThat(Files.readString(portFile).strip()).isEqualTo(String.valueOf(fallback));
                assertThat(Http.get(fallback, "/").statusCode()).isEqualTo(200);
                assertThat(berth.terminate()).isIn(0, 143);
                assertThat(portFile).doesNotExist();
            }
        }
    }

    @Test
    void aPortReleasedDuringTheRetriesIsTaken() throws Exception {
        ServerSocket taken = Ports.hold();
        int port = taken.getLocalPort();
        try (BerthProcess berth = BerthProcess.builder()
                .args("--host=127.0.0.1", "--port=" + port, "--fallback-ports=" + Ports.free(), "--bind.attempts=8", "--bind.backoff=200ms").start()) {
            berth.awaitOutput("Port " + port + " try 1/8: in use");
            taken.close();
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
            int free = Ports.free();
            BerthProcess.Result some = BerthProcess.run("--check-ports", "--host=127.0.0.1", "--port=" + taken.getLocalPort(), "--fallback-ports=" + free);
            assertThat(some.exitCode()).isZero();
            assertThat(some.output()).contains(taken.getLocalPort() + " in use by pid " + TEST_PID, free + " free");

            BerthProcess.Result none = BerthProcess.run("--check-ports", "--host=127.0.0.1", "--port=" + taken.getLocalPort(), "--fallback-ports=");
            assertThat(none.exitCode()).isEqualTo(69);
            assertThat(none.output()).contains("No candidate is free");
        }
    }

    @Test
    void badCandidatesAreExit64NamingTheSource() {
        BerthProcess.Result tooHigh = BerthProcess.builder().env("BERTH_FALLBACK_PORTS", "8080,70000").run();
        assertThat(tooHigh.exitCode()).isEqualTo(64);
        assertThat(tooHigh.output()).contains("BERTH_FALLBACK_PORTS=8080,70000 from environment variable BERTH_FALLBACK_PORTS: '70000' is not a port number");

        BerthProcess.Result word = BerthProcess.builder().env("PORT", "abc").run();
        assertThat(word.output()).contains("PORT=abc from environment variable PORT");

        BerthProcess.Result backwards = BerthProcess.run("--fallback-ports=9010-9000");
        assertThat(backwards.exitCode()).isEqualTo(64);
        assertThat(backwards.output()).contains("--fallback-ports=9010-9000 from command line: range 9010-9000 runs backwards");
    }

    @Test
    void aHostThatIsNotOursExits64() {
        BerthProcess.Result result = BerthProcess.run("--host=192.0.2.1", "--port=" + Ports.free(), "--fallback-ports=");
        assertThat(result.exitCode()).isEqualTo(64);
        assertThat(result.output()).contains("berth.host=192.0.2.1 is not an address of this machine");
    }

    @Test
    void thePortFileIsWrittenWholeAndRemovedOnStop() throws Exception {
        Path portFile = dir.resolve("berth.port");
        try (BerthProcess berth = BerthProcess.builder().loopback().args("--port-file=" + portFile).start()) {
            int port = berth.awaitPort();
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(portFile));
            assertThat(Files.readString(portFile)).isEqualTo(port + "\n");
            assertThat(Files.list(dir)).containsExactly(portFile);
            berth.terminate();
            assertThat(portFile).doesNotExist();
        }
    }
}
