package dev.berth.testing;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for tests. A server a test starts takes port 0 (the kernel's choice); a test that needs a port
 * number before anything binds it holds the port with {@link #hold()} and lets go only when the code under
 * test is about to bind it; a port that must stay closed is {@link #reserve() reserved}. Held ports are
 * below 32768 (the kernel hands out higher ones to outgoing connections). Each search is bounded.
 */
public final class Ports {

    private static final int LOW = 20000;
    private static final int HIGH = 32000;

    private Ports() {
    }

    /** A listening socket on 127.0.0.1 that holds a port until closed. */
    public static ServerSocket hold() {
        return holdFrom(LOW + ThreadLocalRandom.current().nextInt(HIGH - LOW - 2000));
    }

    /** {@code count} consecutive held ports; the array is in port order. */
    public static ServerSocket[] holdRange(int count) {
        for (int tries = 0; tries < 200; tries++) {
            int first = LOW + ThreadLocalRandom.current().nextInt(HIGH - LOW - 200);
            ServerSocket[] sockets = new ServerSocket[count];
            int i = 0;
            for (; i < count; i++) {
                sockets[i] = tryHold(first + i);
                if (sockets[i] == null) {
                    break;
                }
            }
            if (i == count) {
                return sockets;
            }
            for (int j = 0; j < i; j++) {
                close(sockets[j]);
            }
        }
        throw new IllegalStateException("no run of " + count + " free ports found");
    }

    /**
     * A port nobody can listen on while the returned socket is open: a socket bound to it on every address
     * that does not listen and lets no other socket share the port. Connections to it are refused, and no
     * listener shows for it in /proc/net/tcp. The kernel chooses the port.
     */
    public static Socket reserve() {
        Socket socket = new Socket();
        try {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(0));
            return socket;
        } catch (IOException e) {
            close(socket);
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A port that was free a moment ago (bound, then released): anything may take it before it is used. Only
     * for child processes that cannot take port 0 and retry on another port when theirs was taken
     * ({@code ServerProcess}); a test gives Berth port 0 or a port it {@link #hold() holds} until use.
     */
    public static int free() {
        try (ServerSocket socket = hold()) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether a listening socket could be bound to {@code port} on 127.0.0.1 right now. */
    public static boolean isFree(int port) {
        ServerSocket socket = tryHold(port);
        close(socket);
        return socket != null;
    }

    private static ServerSocket holdFrom(int start) {
        for (int port = start; port < start + 2000 && port < HIGH; port++) {
            ServerSocket socket = tryHold(port);
            if (socket != null) {
                return socket;
            }
        }
        throw new IllegalStateException("no free port found from " + start);
    }

    private static ServerSocket tryHold(int port) {
        ServerSocket socket = null;
        try {
            socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
            return socket;
        } catch (IOException e) {
            close(socket);
            return null;
        }
    }

    public static void close(ServerSocket socket) {
        close((Closeable) socket);
    }

    public static void close(Socket socket) {
        close((Closeable) socket);
    }

    private static void close(Closeable socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a test socket
            }
        }
    }
}
