package dev.berth.testing;

import org.awaitility.core.ConditionTimeoutException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/**
 * {@code java -jar target/berth.jar} as a real subprocess, with its output captured to a file, in a fresh
 * working directory unless the test names one. The environment is cleared of BERTH_*, PORT, DATABASE_URL, REDIS_URL, the variables
 * that mark a platform and the JVM's option variables, so the machine's settings never leak into a test.
 * Waits are bounded generously: they end a test that fails, and a loaded machine must not be taken for one.
 */
public final class BerthProcess implements AutoCloseable {

    public static final Path JAR = Path.of("target", "berth.jar").toAbsolutePath();

    /** The variables that tell Berth it runs on a platform; none of them reaches a subprocess. */
    public static final Set<String> PLATFORM_VARIABLES = Set.of("RENDER", "DYNO", "FLY_APP_NAME", "RAILWAY_ENVIRONMENT", "KUBERNETES_SERVICE_HOST");

    /** Read by every JVM, which then prints "Picked up ..." before anything Berth says. */
    private static final Set<String> JVM_OPTION_VARIABLES = Set.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");

    private static final Pattern BOUND = Pattern.compile("Bound port (\\d+)");
    private static final Duration POLL = Duration.ofMillis(20);
    /** How long a start, an output line or a stop may take on a machine busy with other work. */
    private static final Duration WAIT = Duration.ofSeconds(120);

    private final Process process;
    private final Path output;
    private volatile int port = -1;

    private BerthProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Runs to completion (bounded) and returns the exit code and output. */
    public static Result run(String... args) {
        return builder().args(args).run();
    }

    public long pid() {
        return process.pid();
    }

    public Process process() {
        return process;
    }

    /** The bound port, once {@link #awaitPort()} or {@link Builder#serving(String)} has seen it. */
    public int port() {
        if (port < 0) {
            throw new IllegalStateException("the port is not known yet: call awaitPort() or start with serving(...)");
        }
        return port;
    }

    public String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for the "Bound port N" line and returns N. */
    public int awaitPort() {
        try {
            await().atMost(WAIT).pollInterval(POLL).until(() -> {
                Matcher m = BOUND.matcher(output());
                if (m.find()) {
                    port = Integer.parseInt(m.group(1));
                    return true;
                }
                assertAlive("binding");
                return false;
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("berth bound no port within " + WAIT.toSeconds() + " s:\n" + output(), e);
        }
        return port;
    }

    public void awaitOutput(String text) {
        try {
            await().atMost(WAIT).pollInterval(POLL).until(() -> {
                if (output().contains(text)) {
                    return true;
                }
                assertAlive("printing '" + text + "'");
                return false;
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("berth did not print '" + text + "' within " + WAIT.toSeconds() + " s:\n" + output(), e);
        }
    }

    /**
     * Lets go of {@code held}, a port the test holds and this Berth was told to bind, once Berth has tried it
     * and found it in use: Berth binds it on a later try (give it enough {@code --bind.attempts}). So the port
     * passes from the test to Berth without a "free a moment ago" probe that someone else could win while
     * the JVM starts.
     */
    public void releaseWhenTried(ServerSocket held) {
        awaitOutput("Port " + held.getLocalPort() + " try 1/");
        Ports.close(held);
    }

    private void assertAlive(String before) {
        if (!process.isAlive()) {
            throw new AssertionError("berth exited with " + process.exitValue() + " before " + before + ":\n" + output());
        }
    }

    /** SIGTERM, then the exit code (bounded wait). */
    public int terminate() {
        process.destroy();
        return awaitExit(WAIT);
    }

    /** SIGKILL (this process only, by its pid), then the exit code. */
    public int kill() {
        process.destroyForcibly();
        return awaitExit(WAIT);
    }

    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                killAndWait();
                throw new AssertionError("berth did not exit within " + timeout + ":\n" + output());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    killAndWait();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** SIGKILL, and a bounded wait until the process is gone, so the next test does not meet it. */
    private void killAndWait() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Exit code and everything the process printed. */
    public record Result(int exitCode, String output) {
    }

    /** How to start one. */
    public static final class Builder {
        private final List<String> jvmArgs = new ArrayList<>();
        private final List<String> args = new ArrayList<>();
        private final Map<String, String> env = new HashMap<>();
        private Path directory;

        public Builder args(String... more) {
            args.addAll(List.of(more));
            return this;
        }

        /** On a free loopback port with no fallback. */
        public Builder loopback() {
            args.addAll(Loopback.FLAGS);
            return this;
        }

        public Builder jvm(String... more) {
            jvmArgs.addAll(List.of(more));
            return this;
        }

        public Builder env(String name, String value) {
            env.put(name, value);
            return this;
        }

        /** The working directory; by default a fresh one, so no config/berth.properties is read by accident. */
        public Builder directory(Path dir) {
            directory = dir;
            return this;
        }

        public BerthProcess start() {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-XX:TieredStopAtLevel=1");
            command.add("-Xshare:auto");
            command.addAll(jvmArgs);
            command.add("-jar");
            command.add(JAR.toString());
            command.addAll(args);
            try {
                ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory().toFile()).redirectErrorStream(true);
                builder.environment().keySet().removeIf(k -> k.startsWith("BERTH_") || k.equals("PORT") || k.equals("DATABASE_URL")
                        || k.equals("REDIS_URL") || PLATFORM_VARIABLES.contains(k) || JVM_OPTION_VARIABLES.contains(k));
                builder.environment().putAll(env);
                Path output = Files.createTempFile("berth-it", ".log");
                output.toFile().deleteOnExit();
                builder.redirectOutput(output.toFile());
                return new BerthProcess(builder.start(), output);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /**
         * Starts, then waits for the bound port and for {@code line}, the one that says the application is in
         * place (such as "Status page deployed"); a process that never gets there is closed before this throws.
         */
        public BerthProcess serving(String line) {
            BerthProcess berth = start();
            try {
                berth.awaitPort();
                berth.awaitOutput(line);
                return berth;
            } catch (RuntimeException | Error e) {
                berth.close();
                throw e;
            }
        }

        public Result run() {
            try (BerthProcess process = start()) {
                int code = process.awaitExit(WAIT);
                return new Result(code, process.output());
            }
        }

        private Path workingDirectory() throws IOException {
            if (directory != null) {
                return directory;
            }
            Path fresh = Files.createTempDirectory("berth-it");
            fresh.toFile().deleteOnExit();
            return fresh;
        }
    }
}
