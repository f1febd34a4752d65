package dev.berth.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The account a server runs under: this JVM's own, or {@code nobody}'s when the JVM runs as root (as it does
 * in CI), because initdb, postgres and pg_ctl refuse to run as root. Commands for nobody go through
 * setpriv, which execs them, so the started process is the server itself and its pid is the server's.
 */
final class ServerAccount {

    private final List<String> prefix;

    private ServerAccount(List<String> prefix) {
        this.prefix = prefix;
    }

    /**
     * The account for a server living in {@code directory}, which this JVM has just created and so owns:
     * when that owner is root, the directory is handed over to nobody.
     */
    static ServerAccount forDirectory(Path directory) {
        try {
            if ((int) Files.getAttribute(directory, "unix:uid") != 0) {
                return new ServerAccount(List.of());
            }
            String[] nobody = nobody();
            int uid = Integer.parseInt(nobody[2]);
            int gid = Integer.parseInt(nobody[3]);
            Files.setAttribute(directory, "unix:uid", uid);
            Files.setAttribute(directory, "unix:gid", gid);
            return new ServerAccount(List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups", "--"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code command}, run under this account. */
    List<String> command(String... command) {
        List<String> all = new ArrayList<>(prefix);
        all.addAll(List.of(command));
        return all;
    }

    /** nobody's line of /etc/passwd, split on ':' (name, password, uid, gid, ...). */
    private static String[] nobody() throws IOException {
        return Files.readAllLines(Path.of("/etc/passwd")).stream()
                .filter(line -> line.startsWith("nobody:"))
                .map(line -> line.split(":"))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("this JVM runs as root and /etc/passwd has no user nobody to run PostgreSQL as"));
    }
}
