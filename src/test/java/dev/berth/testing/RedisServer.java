package dev.berth.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A real redis-server of the test's own, on a free loopback port, with a password (requirepass) and
 * without persistence. The binary comes from a Maven artifact, not from the machine (see {@link ServerBinaries});
 * where there is none the test is skipped (failed in CI), see {@link RequiredServer}.
 */
public final class RedisServer implements ExternalServer {

    /** A system property: the redis-server file to run instead of the artifact's. */
    public static final String BINARY_PROPERTY = "berth.test.redis-server";

    private final Path binary;
    private final Path config;
    private final String password = ServerProcess.newPassword();
    private final ServerProcess process;
    private int port;

    private final boolean persistent;

    private RedisServer(Path binary, Path directory, boolean persistent) {
        this.binary = binary;
        this.persistent = persistent;
        this.config = directory.resolve("redis.conf");
        this.process = new ServerProcess("redis-server", directory);
    }

    /** Starts one that keeps nothing on disk (a restart empties it) and waits until it answers PING. */
    public static RedisServer start() {
        return start(false);
    }

    /**
     * Starts one that writes every change to its append-only file before it answers (as a Key Value instance
     * with persistence), so a restart keeps what it acknowledged, and waits until it answers PING.
     */
    public static RedisServer startPersistent() {
        return start(true);
    }

    private static RedisServer start(boolean persistent) {
        Path binary = RequiredServer.require(ServerBinaries.redisServer(), "Redis");
        RedisServer server;
        try {
            server = new RedisServer(binary, Files.createTempDirectory("berth-redis"), persistent);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            server.writeConfig();
            server.port = server.process.startOnFreePort(server::command, server::answersPing);
            return server;
        } catch (RuntimeException | Error e) {
            server.close();
            throw e;
        }
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String password() {
        return password;
    }

    /** {@code redis://:PASSWORD@127.0.0.1:PORT/0}. */
    public String url() {
        return urlVia(port);
    }

    /** {@link #url()} with another port, such as a proxy's in front of this server. */
    public String urlVia(int port) {
        return "redis://:" + password + "@127.0.0.1:" + port + "/0";
    }

    /**
     * Stops the server (SIGTERM; what it held is gone unless it is persistent); {@link #restart()} brings it back
     * on the same port.
     */
    @Override
    public void stop() {
        process.stop();
    }

    /** Stops it if it runs, starts it again on the same port and waits until it answers PING. */
    @Override
    public void restart() {
        stop();
        process.startOn(port, command(port), this::answersPing);
    }

    @Override
    public void pause() {
        process.pause();
    }

    @Override
    public void resume() {
        process.resume();
    }

    /** Stops it and deletes its directory. */
    @Override
    public void close() {
        process.close();
    }

    long pid() {
        return process.pid();
    }

    Path directory() {
        return config.getParent();
    }

    private void writeConfig() {
        // in a file rather than on the command line, so the password does not show in ps
        write(config, String.join("\n",
                "bind 127.0.0.1",
                "protected-mode yes",
                "requirepass " + password,
                "save \"\"",
                "appendonly " + (persistent ? "yes" : "no"),
                "appendfsync always",
                "daemonize no",
                "logfile \"\"",
                "dir " + config.getParent(),
                ""));
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> command(int port) {
        return List.of(binary.toString(), config.toString(), "--port", Integer.toString(port));
    }

    /** AUTH and PING in RESP over a plain socket: +OK then +PONG once it serves (-LOADING before). */
    private boolean answersPing(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            socket.setSoTimeout(1000);
            socket.getOutputStream().write((resp("AUTH", password) + resp("PING")).getBytes(StandardCharsets.UTF_8));
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            return "+OK".equals(in.readLine()) && "+PONG".equals(in.readLine());
        } catch (IOException e) {
            return false;
        }
    }

    private static String resp(String... words) {
        StringBuilder command = new StringBuilder("*").append(words.length).append("\r\n");
        for (String word : words) {
            command.append('$').append(word.length()).append("\r\n").append(word).append("\r\n");
        }
        return command.toString();
    }
}
