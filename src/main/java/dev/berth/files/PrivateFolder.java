package dev.berth.files;

import dev.berth.base.BerthException;
import dev.berth.base.ExitCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * A folder in which Berth creates, renames and deletes trees (the work directory): it must be this user's and
 * writable by nobody else. Another user who can write there could swap a folder Berth is about to use or
 * delete for a link, and have Berth write or delete outside it; so such a folder is refused, never used.
 */
final class PrivateFolder {

    private static final Path SELF = Path.of("/proc/self");
    private static final int WRITABLE_BY_OTHERS = 0022;

    private PrivateFolder() {
    }

    /** Creates {@code folder} (mode 0700) when missing; throws (exit 73) when it is not private to this user. */
    static void create(Path folder, String setting) throws BerthException, IOException {
        if (Files.notExists(folder, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createDirectories(folder);
                return;
            }
        }
        if (Files.isSymbolicLink(folder)) {
            throw new BerthException(ExitCode.CANT_CREATE, "Berth's work directory " + folder + " is a symbolic link, which anyone who can write "
                    + folder.getParent() + " could have planted", "point " + setting + " at the folder's real path");
        }
        Optional<Integer> me = uid(SELF);
        Optional<Integer> owner = uid(folder);
        if (me.isPresent() && owner.isPresent() && !me.equals(owner)) {
            throw new BerthException(ExitCode.CANT_CREATE, "Berth's work directory " + folder + " belongs to another user (uid " + owner.get()
                    + "), who could plant links in it", "point " + setting + " at a folder of this user's, or remove " + folder + " if nobody uses it");
        }
        Optional<Integer> mode = attribute(folder, "unix:mode");
        if (mode.isPresent() && (mode.get() & WRITABLE_BY_OTHERS) != 0) {
            throw new BerthException(ExitCode.CANT_CREATE, "Berth's work directory " + folder + " is writable by other users (mode "
                    + String.format("%04o", mode.get() & 07777) + "), who could plant links that make Berth write or delete outside it",
                    "chmod go-w " + folder + ", or point " + setting + " at a folder only this user can write");
        }
    }

    private static Optional<Integer> uid(Path path) {
        return attribute(path, "unix:uid");
    }

    private static Optional<Integer> attribute(Path path, String name) {
        try {
            return Optional.of((Integer) Files.getAttribute(path, name));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
