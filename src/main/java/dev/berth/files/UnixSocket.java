package dev.berth.files;

import dev.berth.base.BerthException;
import dev.berth.base.ExitCode;

import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Set;

/**
 * {@code berth.unix-socket}: a Jetty {@link UnixDomainServerConnector} beside the TCP one. The path is
 * claimed first ({@link ClaimedPath}: of two Berths started at once, one gets it, the other exits 75). A socket
 * file found then is stale and removed, unless something accepts on it (a process that does not claim: exit 75);
 * anything else at the path is never deleted (exit 73). On stop the file is removed only when this run bound
 * it and it is still that socket (same inode), so another's socket survives.
 */
final class UnixSocket {

    private static final Logger LOG = LoggerFactory.getLogger(UnixSocket.class);
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private final Path path;
    private final Set<PosixFilePermission> mode;
    private final ClaimedPath claim;

    private UnixSocket(Path path, Set<PosixFilePermission> mode, ClaimedPath claim) {
        this.path = path;
        this.mode = mode;
        this.claim = claim;
    }

    static UnixSocket claim(Path path, Set<PosixFilePermission> mode) throws BerthException {
        Path absolute = path.toAbsolutePath().normalize();
        int length = absolute.toString().getBytes(StandardCharsets.UTF_8).length;
        if (length > UnixDomainServerConnector.MAX_UNIX_DOMAIN_PATH_LENGTH) {
            throw new BerthException(ExitCode.USAGE, "berth.unix-socket=" + absolute + " is " + length + " bytes long; a unix socket path may be at most "
                    + UnixDomainServerConnector.MAX_UNIX_DOMAIN_PATH_LENGTH + " bytes", "choose a shorter path, for example under /tmp or /run");
        }
        if (!Files.isDirectory(absolute.getParent())) {
            throw new BerthException(ExitCode.CANT_CREATE, "the directory of berth.unix-socket=" + absolute + " does not exist",
                    "create " + absolute.getParent() + " or choose another path");
        }
        ClaimedPath claim = ClaimedPath.claim(absolute, "unix socket", "berth.unix-socket");
        try {
            removeStale(absolute);
        } catch (BerthException e) {
            claim.release();
            throw e;
        }
        return new UnixSocket(absolute, mode, claim);
    }

    private static void removeStale(Path absolute) throws BerthException {
        if (Files.exists(absolute, LinkOption.NOFOLLOW_LINKS)) {
            if (!isSocket(absolute)) {
                throw new BerthException(ExitCode.CANT_CREATE, "berth.unix-socket=" + absolute + " exists and is not a socket; Berth will not delete it",
                        "remove it yourself or choose another path");
            }
            if (accepts(absolute)) {
                throw new BerthException(ExitCode.TEMP_FAIL, "another process accepts connections on the unix socket " + absolute,
                        "stop that process first, or give this instance its own berth.unix-socket");
            }
            OwnedFile.removeStale(absolute, "unix socket", "nobody accepts connections on it");
        }
    }

    ClaimedPath claim() {
        return claim;
    }

    /** The connector to add to the server; Jetty binds it when the server starts. */
    UnixDomainServerConnector newConnector(Server server, ConnectionFactory... factories) {
        Connector connector = new Connector(server, factories);
        connector.setUnixDomainPath(path);
        return connector;
    }

    /** After the server started: set the file's permissions. */
    void bound(UnixDomainServerConnector connector) throws BerthException {
        try {
            Files.setPosixFilePermissions(path, mode);
        } catch (IOException | UnsupportedOperationException e) {
            throw new BerthException(ExitCode.CANT_CREATE, "cannot set the permissions of the unix socket " + path + ": " + e,
                    "check the directory's owner and permissions");
        }
        LOG.info("Listening on unix socket {} ({})", path, PosixFilePermissions.toString(mode));
    }

    private static boolean isSocket(Path path) {
        try {
            int fileMode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return (fileMode & S_IFMT) == S_IFSOCK;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean accepts(Path path) {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            return channel.isConnected();
        } catch (IOException e) {
            return false;
        }
    }

    static Object inode(Path path) throws IOException {
        return Files.getAttribute(path, "unix:ino", LinkOption.NOFOLLOW_LINKS);
    }

    /** Jetty deletes the socket file when the connector stops; this one first checks it bound it and it is still that file. */
    private static final class Connector extends UnixDomainServerConnector {
        private volatile Object inode;

        Connector(Server server, ConnectionFactory... factories) {
            super(server, factories);
        }

        @Override
        protected void doStart() throws Exception {
            super.doStart();
            inode = inode(getUnixDomainPath());
        }

        @Override
        protected void doStop() throws Exception {
            Path path = getUnixDomainPath();
            Object now = null;
            try {
                now = inode(path);
            } catch (IOException missing) {
                // already gone: nothing to keep
            }
            if (now != null && (inode == null || !Objects.equals(inode, now))) {
                UnixSocket.LOG.info(inode == null ? "Left unix socket {} alone: this run did not bind it"
                        : "Left unix socket {} alone: another instance replaced it", path);
                // point Jetty's delete-on-close at a name that does not exist
                setUnixDomainPath(path.resolveSibling("." + path.getFileName() + ".released-" + ProcessHandle.current().pid()));
            } else if (now != null) {
                UnixSocket.LOG.info("Removed unix socket {}", path);
            }
            super.doStop();
        }
    }
}
