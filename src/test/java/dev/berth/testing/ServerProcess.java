package dev.berth.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;
import java.util.stream.Stream;

import org.apache.commons.io.file.PathUtils;

/**
 * A server binary (redis-server, postgres) run as a child of the test JVM in its own temporary directory,
 * its output appended to a log there that every failure quotes. Every wait is bounded, and the server is
 * ended through its own pid only. While it runs, a shutdown hook kills it, so a test JVM that ends early
 * leaves no server behind.
 */
final class ServerProcess {

    static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final int START_ATTEMPTS = 5;
    private static final long POLL_MILLIS = 20;

    private final String name;
    private final Path directory;
    private final Path log;
    private Process process;
    private Thread killer;

    ServerProcess(String name, Path directory) {
        this.name = name;
        this.directory = directory;
        this.log = directory.resolve(name + ".log");
    }

    /**
     * Starts on a free port and returns it. A server that died because someone took the port in the
     * meantime is started again on another one (bounded); a child process has no BindException to walk, so
     * the port itself is asked whether it is taken now.
     */
    int startOnFreePort(IntFunction<List<String>> command, IntPredicate ready) {
        for (int attempt = 1; ; attempt++) {
            int port = Ports.free();
            if (start(command.apply(port), () -> ready.test(port))) {
                return port;
            }
            if (attempt == START_ATTEMPTS || Ports.isFree(port)) {
                throw exitedBeforeReady(port);
            }
        }
    }

    /** Starts on {@code port}, which the server had before. */
    void startOn(int port, List<String> command, IntPredicate ready) {
        if (!start(command, () -> ready.test(port))) {
            throw exitedBeforeReady(port);
        }
    }

    /** Runs a tool (initdb, pg_ctl) to completion, its output going to the same log. */
    void run(List<String> command) {
        try {
            Process tool = builder(command).start();
            if (!tool.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                tool.destroyForcibly();
                throw failure(command.get(0) + " did not finish within " + TIMEOUT.toSeconds() + " s");
            }
            if (tool.exitValue() != 0) {
                throw failure(command + " exited with " + tool.exitValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /**
     * Freezes the server and every process it started (SIGSTOP), as a machine that stalls would: connections
     * stay open and requests wait, unanswered, until {@link #resume()}.
     */
    void pause() {
        signal("STOP", Stream.concat(Stream.of(process.toHandle()), process.descendants()).toList());
    }

    /** Lets a paused server run again (SIGCONT), its children first. */
    void resume() {
        List<ProcessHandle> all = new ArrayList<>(Stream.concat(Stream.of(process.toHandle()), process.descendants()).toList());
        Collections.reverse(all);
        signal("CONT", all);
    }

    private void signal(String signal, List<ProcessHandle> processes) {
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        processes.forEach(handle -> command.add(Long.toString(handle.pid())));
        run(command);
    }

    /** SIGTERM, then as {@link #stop(Runnable)}. */
    void stop() {
        stop(() -> process.destroy());
    }

    /**
     * Asks the server to stop, waits for it and kills it if it does not go in time. Does nothing when it is
     * not running.
     */
    void stop(Runnable ask) {
        if (!isAlive()) {
            forgetKiller();
            return;
        }
        try {
            ask.run();
            if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw failure(name + " did not stop within " + TIMEOUT.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            kill();
        }
    }

    /** SIGTERM, then as {@link #close(Runnable)}. */
    void close() {
        close(() -> process.destroy());
    }

    /** Stops the server as {@link #stop(Runnable)}, then deletes its directory. */
    void close(Runnable ask) {
        try {
            stop(ask);
        } finally {
            try {
                if (Files.exists(directory)) {
                    PathUtils.deleteDirectory(directory);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    IllegalStateException failure(String what) {
        return new IllegalStateException(what + "; " + name + " wrote:\n" + log());
    }

    private IllegalStateException exitedBeforeReady(int port) {
        return failure(name + " exited with " + process.exitValue() + " before accepting connections on port " + port);
    }

    private boolean start(List<String> command, BooleanSupplier ready) {
        try {
            process = builder(command).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        killer = new Thread(process::destroyForcibly, name + " killer");
        Runtime.getRuntime().addShutdownHook(killer);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!ready.getAsBoolean()) {
            if (!process.isAlive()) {
                forgetKiller();
                return false;
            }
            if (System.nanoTime() > deadline) {
                kill();
                throw failure(name + " did not accept connections within " + TIMEOUT.toSeconds() + " s");
            }
            waitAPoll();
        }
        return true;
    }

    private ProcessBuilder builder(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                .redirectErrorStream(true).redirectOutput(Redirect.appendTo(log.toFile()));
        // the machine's PGDATA, PGPORT, PGPASSWORD or locale must not change what the server does
        builder.environment().keySet().removeIf(key -> key.startsWith("PG") || key.startsWith("LC_"));
        builder.environment().put("LC_ALL", "C");
        return builder;
    }

    private void kill() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        forgetKiller();
    }

    private void forgetKiller() {
        if (killer != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(killer);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or about to: it kills the server itself
            }
            killer = null;
        }
    }

    private String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "(nothing)";
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private static void waitAPoll() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A fresh random password, hex so it goes into a URL as it is. */
    static String newPassword() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
