package dev.berth.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The podman command, as {@code docker/podman-build.sh} sets it up: the same containers.conf (runc, cgroupfs, no
 * default rlimits), written by the script under target/podman and given through {@code CONTAINERS_CONF}, so the
 * machine's own podman settings are never read or changed. Every command is bounded; its output goes to files,
 * so a command that hangs cannot hang the test on a full pipe.
 */
public final class Podman {

    /** A system property: the podman command to use; {@code -Dberth.test.podman=/nowhere} shows the skip. */
    public static final String COMMAND_PROPERTY = "berth.test.podman";

    static final Path SCRIPT = Path.of("docker", "podman-build.sh").toAbsolutePath();
    static final Path STATE = Path.of("target", "podman").toAbsolutePath();
    private static final int EX_UNAVAILABLE = 69;

    private static Binaries tools;

    private Podman() {
    }

    /** What a command printed and how it ended. */
    public record Result(int exitCode, String stdout, String stderr) {

        /** Both streams, stdout first. */
        public String output() {
            return stdout + stderr;
        }

        /** This result, or an AssertionError naming the command and what it printed. */
        Result orFail(List<String> command) {
            if (exitCode != 0) {
                throw new AssertionError(String.join(" ", command) + " exited " + exitCode + ":\n" + output());
            }
            return this;
        }
    }

    /**
     * Whether podman can build and run the image here, as the script's {@code --check} decides (podman, runc, and
     * what the stand-in base images need when they are missing): the script's path, or why not.
     */
    static synchronized Binaries tools() {
        if (tools == null) {
            tools = check();
        }
        return tools;
    }

    private static Binaries check() {
        if (!Files.isRegularFile(SCRIPT)) {
            return Binaries.absent(SCRIPT + " is missing");
        }
        try {
            Result check = exec(Duration.ofMinutes(1), List.of("bash", SCRIPT.toString(), "--check"), environment());
            if (check.exitCode() == 0) {
                return Binaries.at(SCRIPT);
            }
            String why = check.stderr().lines().map(line -> line.replaceFirst("^podman-build\\.sh: ", ""))
                    .reduce((a, b) -> a + "; " + b).orElse("exit " + check.exitCode());
            return Binaries.absent(check.exitCode() == EX_UNAVAILABLE ? why : "docker/podman-build.sh --check exited " + check.exitCode() + ": " + why);
        } catch (UncheckedIOException e) {
            return Binaries.absent("bash cannot run docker/podman-build.sh: " + e.getCause().getMessage());
        }
    }

    /** Runs {@code podman args...}; bounded by {@code timeout}. */
    public static Result run(Duration timeout, String... args) {
        List<String> command = new ArrayList<>();
        command.add(command());
        command.addAll(List.of(args));
        return exec(timeout, command, environment());
    }

    /** Runs {@code podman args...} and fails the test, with the output, unless it exits 0. */
    public static Result ok(Duration timeout, String... args) {
        List<String> command = new ArrayList<>();
        command.add(command());
        command.addAll(List.of(args));
        return exec(timeout, command, environment()).orFail(command);
    }

    static String command() {
        return System.getProperty(COMMAND_PROPERTY, "podman");
    }

    /** The script's settings: its state (containers.conf) under target/podman, and the podman command. */
    static Map<String, String> environment() {
        return Map.of("BERTH_IMAGE_STATE", STATE.toString(), "PODMAN", command(),
                "CONTAINERS_CONF", STATE.resolve("containers.conf").toString());
    }

    /** Runs {@code command} with {@code environment} added; a command still running at the timeout is killed. */
    static Result exec(Duration timeout, List<String> command, Map<String, String> environment) {
        try {
            Files.createDirectories(STATE);
            Path out = Files.createTempFile(STATE, "out", ".txt");
            Path err = Files.createTempFile(STATE, "err", ".txt");
            try {
                ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
                builder.environment().putAll(environment);
                Process process = builder.start();
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    throw new AssertionError(String.join(" ", command) + " did not end within " + timeout + ":\n"
                            + Files.readString(out) + Files.readString(err));
                }
                return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
