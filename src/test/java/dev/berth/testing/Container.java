package dev.berth.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.awaitility.Awaitility.await;

/**
 * A container a test runs with podman, detached, under Render's Starter limits (512 MB, half a CPU) and on the
 * host's network: Berth binds the loopback port the test found free, given as the platform gives it, in
 * {@code PORT}. Named by the test, so closing it removes this container and no other; every wait is bounded.
 */
public final class Container implements AutoCloseable {

    /** Render's Starter plan. */
    public static final List<String> RENDER_STARTER = List.of("--memory=512m", "--cpus=0.5");

    private static final Duration COMMAND = Duration.ofMinutes(2);
    private static final Duration START = Duration.ofMinutes(2);

    private final String name;
    private final int port;

    private Container(String name, int port) {
        this.name = name;
        this.port = port;
    }

    static Builder builder(String image) {
        return new Builder(image);
    }

    public String name() {
        return name;
    }

    /** The host port Berth was told to bind ({@code PORT}). */
    public int port() {
        return port;
    }

    /** What the container wrote so far, stdout and stderr. */
    public String logs() {
        return Podman.run(COMMAND, "logs", name).output();
    }

    /** Waits until the logs contain {@code text}. */
    public String awaitLog(String text) {
        await().atMost(START).pollInterval(Duration.ofMillis(100)).until(() -> logs().contains(text));
        return logs();
    }

    /** Waits until {@code path} answers 200 on the container's port; fails with the logs if the container ends first. */
    public void awaitOk(String path) {
        long deadline = System.nanoTime() + START.toNanos();
        long nextLook = System.nanoTime();
        while (System.nanoTime() < deadline) {
            try {
                if (Http.send(HttpRequest.newBuilder(Http.uri(port, path)).timeout(Duration.ofSeconds(5)).build()).statusCode() == 200) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // not listening yet, or the answer took longer than this poll waits
            }
            if (System.nanoTime() - nextLook >= 0) {
                if (!isRunning()) {
                    throw new AssertionError(path + " never answered 200: the container exited " + exitCode() + ":\n" + logs());
                }
                nextLook = System.nanoTime() + Duration.ofMillis(500).toNanos();
            }
            pause();
        }
        throw new AssertionError(path + " did not answer 200 within " + START + ":\n" + logs());
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs a command in the running container (as the image's user) and returns its stdout. */
    public String exec(String... command) {
        List<String> args = new ArrayList<>(List.of("exec", name));
        args.addAll(List.of(command));
        return Podman.ok(COMMAND, args.toArray(String[]::new)).stdout();
    }

    /** {@code podman stop}: the stop signal (SIGTERM), then SIGKILL after {@code grace}; returns when it has exited. */
    public Podman.Result stop(Duration grace) {
        return Podman.run(grace.plus(COMMAND), "stop", "--time", String.valueOf(grace.toSeconds()), name);
    }

    /** The exit code of the stopped container's process. */
    public int exitCode() {
        return Integer.parseInt(Podman.ok(COMMAND, "inspect", "--format", "{{.State.ExitCode}}", name).stdout().strip());
    }

    /** Whether podman reports the container running. */
    public boolean isRunning() {
        return Boolean.parseBoolean(Podman.ok(COMMAND, "inspect", "--format", "{{.State.Running}}", name).stdout().strip());
    }

    /** Removes the container, killing it first when it still runs. */
    @Override
    public void close() {
        Podman.run(COMMAND, "rm", "--force", "--ignore", "--time", "0", name);
    }

    /** What to run: the image's default command, or Berth's arguments after the image name. */
    public static final class Builder {
        private final String image;
        private final List<String> options = new ArrayList<>(RENDER_STARTER);
        private final List<String> args = new ArrayList<>();

        private Builder(String image) {
            this.image = image;
        }

        /** Mounts {@code host} at {@code inContainer}, read-only. */
        public Builder mount(Path host, String inContainer) {
            options.add("--volume=" + host.toAbsolutePath() + ":" + inContainer + ":ro");
            return this;
        }

        /** Mounts the folder {@code host} at the same path, writable (gates and marks of fixture WARs). */
        public Builder share(Path host) {
            options.add("--volume=" + host.toAbsolutePath() + ":" + host.toAbsolutePath());
            return this;
        }

        public Builder env(String name, String value) {
            options.add("--env=" + name + "=" + value);
            return this;
        }

        /** Arguments after the image name: they replace the image's default ({@code /app/app.war}). */
        public Builder args(String... more) {
            args.addAll(List.of(more));
            return this;
        }

        /**
         * Starts the container detached on a loopback port found free a moment before, given in {@code PORT}; the
         * caller closes it. Berth's settings come from the environment, so the image's own command stays: 127.0.0.1
         * (nothing listens beyond this machine), and that port as the only fallback (no 8080 on the host).
         */
        public Container start() {
            String name = "berth-it-" + UUID.randomUUID().toString().substring(0, 8);
            int port;
            try (ServerSocket held = Ports.hold()) {
                port = held.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            List<String> command = new ArrayList<>(List.of("run", "--detach", "--pull=never", "--name", name, "--network=host",
                    "--env=PORT=" + port, "--env=BERTH_HOST=127.0.0.1", "--env=BERTH_FALLBACK_PORTS=" + port));
            command.addAll(options);
            command.add(image);
            command.addAll(args);
            Container container = new Container(name, port);
            try {
                Podman.ok(COMMAND, command.toArray(String[]::new));
            } catch (RuntimeException | AssertionError e) {
                container.close();
                throw e;
            }
            return container;
        }
    }
}
