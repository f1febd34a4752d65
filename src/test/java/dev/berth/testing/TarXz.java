package dev.berth.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * Extracts a {@code .txz} (the PostgreSQL binaries come as one) the way tar would: with each entry's Unix
 * permissions, so executables stay executable, and its symbolic links as links, which the shared libraries
 * are known by. Nothing is written outside the target directory, and no one but the owner may write what is
 * extracted, because root may run it.
 */
final class TarXz {

    private static final int NOT_WRITABLE_BY_OTHERS = 0755;

    private TarXz() {
    }

    static void extract(Path archive, Path into) throws IOException {
        // a directory's own permissions come last: a read-only one must not stop what goes into it
        Map<Path, Integer> directories = new LinkedHashMap<>();
        try (InputStream file = new BufferedInputStream(Files.newInputStream(archive));
                TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(file))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                Path target = inside(into, into.resolve(entry.getName()), archive, entry);
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                    directories.put(target, entry.getMode());
                    continue;
                }
                Files.createDirectories(target.getParent());
                if (entry.isSymbolicLink()) {
                    Path link = Path.of(entry.getLinkName());
                    inside(into, target.getParent().resolve(link), archive, entry);
                    Files.createSymbolicLink(target, link);
                } else if (entry.isFile()) {
                    Files.copy(tar, target);
                    Files.setPosixFilePermissions(target, permissions(entry.getMode()));
                } else {
                    throw new IOException(archive + ": " + entry.getName() + " is neither a file, a directory nor a symbolic link");
                }
            }
        }
        for (Map.Entry<Path, Integer> directory : directories.entrySet()) {
            Files.setPosixFilePermissions(directory.getKey(), permissions(directory.getValue()));
        }
    }

    private static Path inside(Path root, Path path, Path archive, TarArchiveEntry entry) throws IOException {
        Path normal = path.normalize();
        if (!normal.startsWith(root)) {
            throw new IOException(archive + ": " + entry.getName() + " points outside the directory it is extracted to");
        }
        return normal;
    }

    /** The rwx bits of a Unix mode, without write for group and others. */
    static Set<PosixFilePermission> permissions(int mode) {
        PosixFilePermission[] highBitFirst = PosixFilePermission.values();
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        for (int bit = 0; bit < highBitFirst.length; bit++) {
            if ((mode & NOT_WRITABLE_BY_OTHERS & (0400 >> bit)) != 0) {
                permissions.add(highBitFirst[bit]);
            }
        }
        return permissions;
    }
}
