package dev.berth.files;

import dev.berth.base.BerthException;
import dev.berth.base.ExitCode;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A path only one live process may use at a time (the pid file, the port file, the unix socket), claimed
 * through an operating-system lock on a hidden sibling, {@code .NAME.lock}, into which the holder writes its pid.
 * Of two Berths started at the same instant exactly one gets it; the other exits 75 naming the holder's pid. The lock dies with its process, so
 * whatever is found at the path while Berth holds the claim was left by a run that is over: no pid is
 * trusted, no command line is read. The lock file is removed, while still locked, when the claim is released.
 */
final class ClaimedPath {

    private static final int ATTEMPTS = 5;
    private static final int OWNER_LOOKS = 100;
    private static final long OWNER_PAUSE_MILLIS = 50;

    private final Path path;
    private final HeldLock lock;

    private ClaimedPath(Path path, HeldLock lock) {
        this.path = path;
        this.lock = lock;
    }

    /** Claims {@code path} for {@code what} (set by {@code setting}); exit 75 when a live process holds it, 73 when it cannot be locked. */
    static ClaimedPath claim(Path path, String what, String setting) throws BerthException {
        Path absolute = inRealDirectory(path.toAbsolutePath(), what, setting);
        Path lockFile = absolute.resolveSibling("." + absolute.getFileName() + ".lock");
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Optional<HeldLock> lock;
            try {
                lock = HeldLock.tryLock(lockFile, true);
                if (lock.isPresent() && lock.get().isStillAtItsPath()) {
                    return new ClaimedPath(absolute, lock.get());
                }
            } catch (IOException e) {
                throw cannotLock(absolute, lockFile, what, setting, e);
            }
            if (lock.isEmpty()) {
                throw heldByAnother(absolute, lockFile, what, setting);
            }
            lock.get().close(); // its holder removed it while we waited: claim the file now at the path
        }
        throw new BerthException(ExitCode.TEMP_FAIL, "the " + what + " " + absolute + " changed hands " + ATTEMPTS + " times while Berth claimed it",
                "give each instance its own " + setting);
    }

    /**
     * The path with its directory resolved as the kernel resolves it ({@code link/..} is not {@code .}), so two
     * spellings of one file share one lock.
     */
    private static Path inRealDirectory(Path path, String what, String setting) throws BerthException {
        try {
            return Files.createDirectories(path.getParent()).toRealPath().resolve(path.getFileName());
        } catch (IOException e) {
            throw new BerthException(ExitCode.CANT_CREATE, "cannot create the directory of the " + what + " " + path + ": " + e,
                    "create " + path.getParent() + " or point " + setting + " elsewhere", e);
        }
    }

    Path path() {
        return path;
    }

    /** Removes the lock file while holding it, then lets go. */
    void release() {
        try {
            Files.deleteIfExists(lock.file());
        } catch (IOException ignored) {
            // an unremovable lock file is harmless: the next claim takes it over
        } finally {
            lock.close();
        }
    }

    private static BerthException heldByAnother(Path path, Path lockFile, String what, String setting) {
        Optional<Long> holder = HeldLock.isHeldHere(lockFile) ? Optional.of(Processes.self()) : ownerOnceWritten(lockFile);
        if (holder.isEmpty()) {
            return new BerthException(ExitCode.TEMP_FAIL, "another Berth holds the " + what + " " + path + " (its lock " + lockFile.getFileName() + ")",
                    "stop the other instance first, or give this instance its own " + setting);
        }
        long pid = holder.get();
        String who = pid == Processes.self() ? "another Berth in this process (pid " + pid + ")" : "another Berth (pid " + pid + ")";
        return new BerthException(ExitCode.TEMP_FAIL, who + " holds the " + what + " " + path,
                "stop pid " + pid + " first, or give this instance its own " + setting);
    }

    /** The holder writes its pid a moment after it locks: worth a bounded wait (5 s) for a message that names it. */
    private static Optional<Long> ownerOnceWritten(Path lockFile) {
        for (int look = 0; look < OWNER_LOOKS; look++) {
            Optional<Long> owner = HeldLock.owner(lockFile);
            if (owner.isPresent()) {
                return owner;
            }
            try {
                Thread.sleep(OWNER_PAUSE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return Optional.empty();
    }

    private static BerthException cannotLock(Path path, Path lockFile, String what, String setting, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new BerthException(ExitCode.CANT_CREATE, "the directory of the " + what + " " + path + " does not exist",
                    "create " + path.getParent() + " or point " + setting + " elsewhere", e);
        }
        if (e instanceof AccessDeniedException && Files.exists(lockFile, LinkOption.NOFOLLOW_LINKS)) {
            return new BerthException(ExitCode.CANT_CREATE, "the lock " + lockFile + " of the " + what + " belongs to another user, and this one may not write it",
                    "remove it (no Berth holds it unless one of that user runs) or point " + setting + " elsewhere", e);
        }
        if (e instanceof AccessDeniedException) {
            return new BerthException(ExitCode.CANT_CREATE, "cannot create the lock " + lockFile + " of the " + what + ": permission denied",
                    "make " + path.getParent() + " writable by this user or point " + setting + " elsewhere", e);
        }
        if (Files.isSymbolicLink(lockFile)) {
            return new BerthException(ExitCode.CANT_CREATE, "the lock " + lockFile + " of the " + what + " is a symbolic link; Berth does not follow links there",
                    "remove the link", e);
        }
        return new BerthException(ExitCode.CANT_CREATE, "cannot lock " + lockFile + " for the " + what + " " + path + ": " + e,
                "check " + path.getParent() + ", or point " + setting + " elsewhere", e);
    }
}
