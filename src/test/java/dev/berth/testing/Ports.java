package dev.berth.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports for tests, below 32768 (the kernel hands out higher ones to outgoing connections, which
 * would make "free" ports flaky). Each search is bounded.
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

    /** A port that was free a moment ago (bound, then released). */
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
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a test socket
            }
        }
    }
}
