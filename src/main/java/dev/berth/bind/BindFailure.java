package dev.berth.bind;

import dev.berth.base.Causes;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Why a port could not be bound. The reason is worked out from the structure of the failure and from the
 * machine (is the host one of our addresses, is the port privileged and are we allowed to bind it), never
 * from an exception's message text, which differs between platforms and locales.
 */
record BindFailure(int port, Reason reason, String detail, Optional<PortHolder> holder) {

    /** The causes Berth treats differently. */
    public enum Reason {
        /** Another socket listens there: retry, then the next candidate. */
        IN_USE("in use"),
        /** A privileged port without the privilege: the next candidate at once. */
        PERMISSION_DENIED("permission denied"),
        /** berth.host is not an address of this machine: a configuration error. */
        ADDRESS_NOT_AVAILABLE("cannot assign the address"),
        /** Anything else: the next candidate at once. */
        OTHER("failed");

        private final String text;

        Reason(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /**
     * The failure to bind {@code port}, with its holder when it is in use. The machine's rules are read here,
     * on a failure, so a start whose first candidate binds pays nothing for them.
     */
    static BindFailure of(IOException failure, String host, int port, PortHolders holders) {
        Reason reason = classify(failure, host, port, Privileges.ofThisProcess());
        Optional<PortHolder> holder = reason == Reason.IN_USE ? holders.holderOf(port) : Optional.empty();
        return new BindFailure(port, reason, failure.getClass().getSimpleName() + ": " + failure.getMessage(), holder);
    }

    static Reason classify(IOException failure, String host, int port, Privileges privileges) {
        Optional<BindException> bind = bindException(failure);
        if (!isLocalAddress(host)) {
            return Reason.ADDRESS_NOT_AVAILABLE;
        }
        if (bind.isEmpty()) {
            return Reason.OTHER;
        }
        if (port != 0 && !privileges.mayBind(port)) {
            return Reason.PERMISSION_DENIED;
        }
        return Reason.IN_USE;
    }

    static Optional<BindException> bindException(Throwable failure) {
        return Causes.find(failure, BindException.class);
    }

    static boolean isLocalAddress(String host) {
        try {
            InetAddress address = InetAddress.getByName(host);
            return address.isAnyLocalAddress() || address.isLoopbackAddress() || NetworkInterface.getByInetAddress(address) != null;
        } catch (UnknownHostException | SocketException e) {
            return false;
        }
    }

    /** One line for logs and summaries: "8080 in use by pid 4242 (python3 -m http.server)". */
    public String describe() {
        StringBuilder line = new StringBuilder().append(port).append(' ').append(reason);
        if (reason == Reason.IN_USE) {
            line.append(holder.map(h -> " by " + h).orElse(" (owner not visible)"));
        }
        if (reason == Reason.OTHER) {
            line.append(": ").append(detail);
        }
        return line.toString();
    }

    /** What the kernel lets this process bind: Linux's unprivileged port start and CAP_NET_BIND_SERVICE. */
    record Privileges(int unprivilegedPortStart, boolean canBindPrivileged) {

        private static final int CAP_NET_BIND_SERVICE = 10;

        static Privileges ofThisProcess() {
            return of(Path.of("/proc"));
        }

        /** The rules as the proc tree at {@code proc} shows them to the process reading it. */
        static Privileges of(Path proc) {
            return new Privileges(unprivilegedPortStart(proc), canBindPrivileged(proc));
        }

        private static int unprivilegedPortStart(Path proc) {
            try {
                return Integer.parseInt(Files.readString(proc.resolve("sys/net/ipv4/ip_unprivileged_port_start")).strip());
            } catch (IOException | NumberFormatException e) {
                return 1024; // not Linux, or not visible: the traditional start
            }
        }

        private static boolean canBindPrivileged(Path proc) {
            try {
                for (String line : Files.readAllLines(proc.resolve("self/status"))) {
                    if (line.startsWith("CapEff:")) {
                        long caps = Long.parseUnsignedLong(line.substring("CapEff:".length()).strip(), 16);
                        return (caps & (1L << CAP_NET_BIND_SERVICE)) != 0;
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // not Linux: assume no privilege, so a low port reads as "permission denied"
            }
            return false;
        }

        boolean mayBind(int port) {
            return port >= unprivilegedPortStart || canBindPrivileged;
        }
    }
}
