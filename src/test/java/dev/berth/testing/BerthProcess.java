package dev.berth.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
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
 * {@code java -jar target/berth.jar} as a real subprocess, with its output captured to a file. The
 * environment is cleared of BERTH_*, PORT and the variables that mark a platform, so the machine's settings
 * never leak into a test.
 */
public final class BerthProcess implements AutoCloseable {

    public static final Path JAR = Path.of("target", "berth.jar").toAbsolutePath();
    private static final Pattern BOUND = Pattern.compile("Bound port (\\d+)");
    public static final Set<String> PLATFORM_VARIABLES = Set.of("RENDER", "DYNO", "FLY_APP_NAME", "RAILWAY_ENVIRONMENT", "KUBERNETES_SERVICE_HOST");

    private final Process process;
    private final Path output;

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

    public String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for the "Bound port N" line and returns N. */
    public int awaitPort() {
        int[] port = new int[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
            Matcher m = BOUND.matcher(output());
            if (m.find()) {
                port[0] = Integer.parseInt(m.group(1));
                return true;
            }
            if (!process.isAlive()) {
                throw new AssertionError("berth exited with " + process.exitValue() + " before binding:\n" + output());
            }
            return false;
        });
        return port[0];
    }

    public void awaitOutput(String text) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
            if (output().contains(text)) {
                return true;
            }
            if (!process.isAlive()) {
                throw new AssertionError("berth exited with " + process.exitValue() + " before printing '" + text + "':\n" + output());
            }
            return false;
        });
    }

    /** SIGTERM, then the exit code (bounded wait). */
    public int terminate() {
        process.destroy();
        return awaitExit(Duration.ofSeconds(40));
    }

    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
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
                if (!process.waitFor(40, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Exit code and everything the process printed. */
    public record Result(int exitCode, String output) {
    }

    /** How to start one. */
    public static final class Builder {
        private final List<String> jvmArgs = new ArrayList<>();
        private final List<String> args = new ArrayList<>();
        private final Map<String, String> env = new HashMap<>();
        private Path directory = Path.of(".").toAbsolutePath();

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
            ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
            builder.environment().keySet().removeIf(k -> k.startsWith("BERTH_") || k.equals("PORT") || PLATFORM_VARIABLES.contains(k));
            builder.environment().putAll(env);
            try {
                Path output = Files.createTempFile("berth-it", ".log");
                builder.redirectOutput(output.toFile());
                return new BerthProcess(builder.start(), output);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public Result run() {
            try (BerthProcess process = start()) {
                int code = process.awaitExit(Duration.ofSeconds(60));
                return new Result(code, process.output());
            }
        }
    }
}
