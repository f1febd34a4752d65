package dev.berth.bind;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Optional;

/**
 * {@code --check-ports}: for a person on the platform's shell, which candidates are free and who holds the
 * others. It opens and at once closes a socket per candidate; it serves nothing.
 */
final class PortCheck {

    private PortCheck() {
    }

    /** Prints one line per candidate; true when at least one is free. */
    static boolean run(String host, List<Integer> candidates, PortHolders holders, PrintStream out) {
        boolean anyFree = false;
        out.println("Candidates on " + host + ", in order:");
        for (int port : candidates) {
            Optional<BindFailure> failure = tryBind(host, port, holders);
            anyFree |= failure.isEmpty();
            out.println("  " + failure.map(BindFailure::describe).orElse(port + " free"));
        }
        out.println(anyFree ? "At least one candidate is free: Berth would bind the first free one." : "No candidate is free: Berth would exit 69.");
        return anyFree;
    }

    private static Optional<BindFailure> tryBind(String host, int port, PortHolders holders) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, port), 1);
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(BindFailure.of(e, host, port, holders));
        }
    }
}
