package dev.berth.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A TCP proxy on loopback between Berth and a store (PostgreSQL, Redis) that a test makes misbehave the way a
 * network does: {@link #freezeOpenConnections()} stops every byte on the connections open now, in both
 * directions, without a reset or a close (a failover whose packets are dropped, as iptables DROP would), while
 * new connections pass; {@link #pass()} lets
 * everything flow again (what was held is delivered, as TCP's retransmissions would, even when the client has
 * given up on it and closed its end: a request that lands late); {@link #closeAll()}
 * closes every connection (the store restarted). The proxy listens on a port the kernel chooses.
 */
public final class FaultProxy implements AutoCloseable {

    private static final int BUFFER = 16 * 1024;

    private final int target;
    private final ServerSocket listener;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private final Object gate = new Object();
    private final AtomicInteger lateWrites = new AtomicInteger();
    private final AtomicInteger toHold = new AtomicInteger();
    private volatile Predicate<String> holding = request -> false;
    private volatile boolean closed;

    private FaultProxy(int target) throws IOException {
        this.target = target;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "fault-proxy-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A proxy to {@code 127.0.0.1:targetPort}, passing everything. */
    public static FaultProxy to(int targetPort) {
        try {
            return new FaultProxy(targetPort);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** How many connections are open through the proxy now. */
    public int openConnections() {
        links.removeIf(Link::isClosed);
        return links.size();
    }

    /** How many reads from a client were held by a freeze and sent on to the target after it: requests that landed late. */
    public int lateWrites() {
        return lateWrites.get();
    }

    /**
     * Holds the next {@code count} client requests that {@code request} matches (read as ISO-8859-1 text, so a
     * Redis command or a PostgreSQL query matches by its words): each freezes its connection from that request
     * on, until {@link #pass()} delivers it, late. Other connections pass meanwhile.
     */
    public void holdNext(int count, Predicate<String> request) {
        holding = request;
        toHold.set(count);
    }

    public void freezeOpenConnections() {
        links.forEach(link -> link.frozen = true);
    }

    public void pass() {
        toHold.set(0);
        links.forEach(link -> link.frozen = false);
        synchronized (gate) {
            gate.notifyAll();
        }
    }

    public void closeAll() {
        links.forEach(Link::close);
        links.clear();
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing the test's proxy
        }
        pass();
        closeAll();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket();
                server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target), 10_000);
                Link link = new Link(client, server);
                links.add(link);
                link.start();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    /** One client connection and its connection to the target, pumped both ways. */
    private final class Link {
        private final Socket client;
        private final Socket server;
        private volatile boolean frozen;

        Link(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void start() throws IOException {
            pump(client.getInputStream(), server.getOutputStream(), "up");
            pump(server.getInputStream(), client.getOutputStream(), "down");
        }

        private void pump(InputStream in, OutputStream out, String direction) {
            Thread pump = new Thread(() -> {
                byte[] buffer = new byte[BUFFER];
                try {
                    for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                        if (direction.equals("up") && toHold.get() > 0
                                && holding.test(new String(buffer, 0, read, StandardCharsets.ISO_8859_1))
                                && toHold.getAndDecrement() > 0) {
                            frozen = true;
                        }
                        if (awaitThaw() && direction.equals("up")) {
                            lateWrites.incrementAndGet();
                        }
                        out.write(buffer, 0, read);
                        out.flush();
                    }
                } catch (IOException | InterruptedException e) {
                    // one side closed, or the test closed the link
                } finally {
                    close();
                }
            }, "fault-proxy-" + direction);
            pump.setDaemon(true);
            pump.start();
        }

        /**
         * While frozen, bytes wait here (and in the kernel's buffers behind them): nothing is sent, nothing closed.
         * Whether they had to wait.
         */
        private boolean awaitThaw() throws InterruptedException {
            boolean waited = false;
            synchronized (gate) {
                while (frozen && !closed) {
                    waited = true;
                    gate.wait(1000);
                }
            }
            return waited;
        }

        boolean isClosed() {
            return client.isClosed() || server.isClosed();
        }

        void close() {
            closeQuietly(client);
            closeQuietly(server);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
