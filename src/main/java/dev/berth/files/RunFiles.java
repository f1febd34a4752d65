package dev.berth.files;

import dev.berth.base.BerthException;
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
 * only when configured. Each is claimed before the port is bound ({@link ClaimedPath}: one live owner, a
 * leftover of a run that is over removed), written once the server listens, and removed on stop while it
 * still holds what this run wrote.
 */
public final class RunFiles {

    private static final String PID_FILE = "pid file";
    private static final String PORT_FILE = "port file";

    private final Optional<ClaimedPath> pidFile;
    private final Optional<ClaimedPath> portFile;
    private final Optional<UnixSocket> unixSocket;
    private final List<OwnedFile> written = new ArrayList<>();
    private UnixDomainServerConnector socketConnector;
    private boolean released;

    private RunFiles(Optional<ClaimedPath> pidFile, Optional<ClaimedPath> portFile, Optional<UnixSocket> unixSocket) {
        this.pidFile = pidFile;
        this.portFile = portFile;
        this.unixSocket = unixSocket;
    }

    /**
     * Claims every configured path; throws (exit 73 or 75) before anything is bound when one is not Berth's to
     * take, releasing what it had claimed.
     */
    public static RunFiles claim(BerthConfig config) throws BerthException {
        List<ClaimedPath> claims = new ArrayList<>();
        try {
            Optional<ClaimedPath> pid = claim(claims, config.pidFile(), PID_FILE);
            Optional<ClaimedPath> port = claim(claims, config.portFile(), PORT_FILE);
            Optional<UnixSocket> socket = Optional.empty();
            if (config.unixSocket().isPresent()) {
                socket = Optional.of(UnixSocket.claim(Path.of(config.unixSocket().get()), config.unixSocketMode().permissions()));
                claims.add(socket.get().claim());
            }
            return new RunFiles(pid, port, socket);
        } catch (BerthException e) {
            claims.forEach(ClaimedPath::release);
            throw e;
        }
    }

    private static Optional<ClaimedPath> claim(List<ClaimedPath> claims, Optional<String> path, String what) throws BerthException {
        if (path.isEmpty()) {
            return Optional.empty();
        }
        ClaimedPath claim = OwnedFile.claim(Path.of(path.get()), what);
        claims.add(claim);
        return Optional.of(claim);
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
            written.add(OwnedFile.write(pidFile.get().path(), String.valueOf(Processes.self()), PID_FILE));
        }
        if (portFile.isPresent()) {
            written.add(OwnedFile.write(portFile.get().path(), String.valueOf(port), PORT_FILE));
        }
    }

    /**
     * Removes the pid and port files while they still hold what this run wrote, then lets go of every claim.
     * The socket file goes with its connector when the server stops (it checks the inode first), before this.
     */
    public void remove() {
        written.forEach(OwnedFile::removeIfUnchanged);
        written.clear();
        if (!released) {
            released = true;
            pidFile.ifPresent(ClaimedPath::release);
            portFile.ifPresent(ClaimedPath::release);
            unixSocket.map(UnixSocket::claim).ifPresent(ClaimedPath::release);
        }
    }
}
