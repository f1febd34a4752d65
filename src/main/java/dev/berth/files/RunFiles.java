package dev.berth.files;

import dev.berth.BerthException;
import dev.berth.bind.PortHolders;
import dev.berth.config.BerthConfig;

import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The files a run leaves on disk while it lives: the pid file, the port file and the unix socket, each
 * only when configured. They are claimed before the port is bound (stale leftovers removed, a live
 * instance's refused), written once the server listens, and removed on stop while they still hold what
 * this run wrote.
 */
public final class RunFiles {

    private final Optional<PidFile> pidFile;
    private final Optional<PortFile> portFile;
    private final Optional<UnixSocket> unixSocket;
    private final List<OwnedFile> written = new ArrayList<>();
    private UnixDomainServerConnector socketConnector;

    private RunFiles(Optional<PidFile> pidFile, Optional<PortFile> portFile, Optional<UnixSocket> unixSocket) {
        this.pidFile = pidFile;
        this.portFile = portFile;
        this.unixSocket = unixSocket;
    }

    /** Claims every configured path; throws (exit 73 or 75) before anything is bound when one is not Berth's to take. */
    public static RunFiles claim(BerthConfig config, PortHolders holders) throws BerthException {
        Optional<PidFile> pid = config.pidFile().isPresent() ? Optional.of(PidFile.claim(Path.of(config.pidFile().get()))) : Optional.empty();
        Optional<PortFile> port = config.portFile().isPresent()
                ? Optional.of(PortFile.claim(Path.of(config.portFile().get()), holders)) : Optional.empty();
        Optional<UnixSocket> socket = config.unixSocket().isPresent()
                ? Optional.of(UnixSocket.claim(Path.of(config.unixSocket().get()), config.unixSocketMode().permissions())) : Optional.empty();
        return new RunFiles(pid, port, socket);
    }

    /** The unix-domain connector to add to the server, when a socket is configured; Jetty binds it at start. */
    public Optional<UnixDomainServerConnector> newSocketConnector(Server server, ConnectionFactory... factories) {
        socketConnector = unixSocket.map(socket -> socket.newConnector(server, factories)).orElse(null);
        return Optional.ofNullable(socketConnector);
    }

    /** Once the server listens: the socket's permissions, then the pid and port files. */
    public void write(int port) throws BerthException {
        if (socketConnector != null) {
            unixSocket.orElseThrow().bound(socketConnector);
        }
        if (pidFile.isPresent()) {
            written.add(pidFile.get().write());
        }
        if (portFile.isPresent()) {
            written.add(portFile.get().write(port));
        }
    }

    /**
     * Removes the pid and port files while they still hold what this run wrote. The socket file goes with its
     * connector when the server stops (it checks the inode first).
     */
    public void remove() {
        written.forEach(OwnedFile::removeIfUnchanged);
        written.clear();
    }
}
