package dev.berth.build;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmark harness's own unit tests ({@code bench/tests}, Python's standard {@code unittest}) run with the
 * suite, so a change to {@code bench/} cannot break its ports, probes, statistics or reports unseen. Without a
 * {@code python3} the test is skipped with the reason; in CI ({@code CI=true}) that is a failure, never a skip.
 */
class BenchHarnessTest {

    private static final Path BENCH = Path.of("bench");
    private static final long MINUTES = 5;

    @Test
    void theBenchmarkHarnessUnitTestsPass() throws Exception {
        requirePython();
        File output = Files.createTempFile("bench-unittest", ".log").toFile();
        try {
            Process tests = new ProcessBuilder("python3", "-B", "-m", "unittest", "discover", "-s", "tests", "-t", ".")
                    .directory(BENCH.toFile()).redirectErrorStream(true).redirectOutput(output).start();
            if (!tests.waitFor(MINUTES, TimeUnit.MINUTES)) {
                tests.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                throw new AssertionError("bench/tests did not finish within " + MINUTES + " minutes:\n" + Files.readString(output.toPath()));
            }
            assertThat(tests.exitValue())
                    .withFailMessage("python3 -m unittest in bench/ failed:%n%s", Files.readString(output.toPath()))
                    .isZero();
        } finally {
            Files.deleteIfExists(output.toPath());
        }
    }

    private static void requirePython() throws InterruptedException {
        String reason = null;
        try {
            Process version = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
            if (!version.waitFor(1, TimeUnit.MINUTES) || version.exitValue() != 0) {
                reason = "python3 --version did not answer";
            }
        } catch (IOException e) {
            reason = "no python3 on the PATH (" + e.getMessage() + ")";
        }
        if (reason == null) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("CI=true but the bench/ unit tests cannot run: " + reason);
        }
        System.out.println("Skipping the bench/ unit tests: " + reason);
        Assumptions.abort(reason);
    }
}
