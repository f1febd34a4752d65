package dev.berth.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.apache.commons.codec.digest.DigestUtils;
import org.apache.commons.io.file.PathUtils;

/**
 * Server binaries that the build took from a Maven artifact (target/test-servers), installed where they can run:
 * under {@code java.io.tmpdir}, because a JVM running as root starts PostgreSQL as nobody (see
 * {@link ServerAccount}) and nobody may not be allowed into the clone's directory. Each install is made once and
 * then shared by every test JVM: it is named after the artifact's SHA-256, so a new version (or another
 * platform's) never finds an old tree, and it is built in a staging directory beside it and renamed into place,
 * so a second copy of the suite running at the same time never sees half of one.
 */
final class ServerInstall {

    private static final int KEY_LENGTH = 16;

    /** Writes the server's files from the artifact into an empty directory. */
    interface Unpacking {
        void unpack(Path artifact, Path directory) throws IOException;
    }

    private ServerInstall() {
    }

    /** The directory {@code unpacking} fills from {@code artifact}, made now unless a JVM made it before. */
    static Path of(String name, Path artifact, Unpacking unpacking) throws IOException {
        Path root = root();
        Path home = root.resolve(name + "-" + key(artifact));
        if (Files.isDirectory(home)) {
            return home;
        }
        Path staging = Files.createTempDirectory(root, "." + home.getFileName() + "-");
        try {
            unpacking.unpack(artifact, staging);
            Files.setPosixFilePermissions(staging, TarXz.permissions(0755));
            Files.move(staging, home, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (!Files.isDirectory(home)) {
                throw e;
            }
            // another JVM renamed its complete copy into place first: that one serves
        } finally {
            if (Files.exists(staging)) {
                PathUtils.deleteDirectory(staging);
            }
        }
        return home;
    }

    /**
     * {@code java.io.tmpdir/berth-test-servers-USER}, readable by all. What is in it runs as this user, maybe root,
     * so it must be this user's own and not one that someone else made there first.
     */
    private static Path root() throws IOException {
        String me = System.getProperty("user.name");
        Path root = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "berth-test-servers-" + me).toAbsolutePath().normalize());
        String owner = Files.getOwner(root, LinkOption.NOFOLLOW_LINKS).getName();
        if (!owner.equals(me)) {
            throw new IOException(root + " belongs to " + owner + ": the servers in it would run as " + me + "; delete it");
        }
        Files.setPosixFilePermissions(root, TarXz.permissions(0755));
        return root;
    }

    private static String key(Path artifact) throws IOException {
        try (InputStream in = Files.newInputStream(artifact)) {
            return DigestUtils.sha256Hex(in).substring(0, KEY_LENGTH);
        }
    }
}
