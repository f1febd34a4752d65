package dev.berth.files;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A folder that lives exactly as long as the lock on its {@code .lock} file, shared with other processes'
 * folders in one parent (run folders in Berth's work directory, conversions in the migration cache).
 *
 * <ul>
 * <li><b>Claimed</b> under a hidden {@code .berth-claim-PID-*} name, locked, then renamed to its name in one step: no
 *     folder ever has its name without a held lock.</li>
 * <li><b>Released</b> by renaming it to {@code .berth-gone-*}, deleting its content and the lock file last, and only
 *     then releasing the lock.</li>
 * <li><b>Abandoned</b> only when nobody holds its lock (its process died, however it died): such folders are
 *     removed by whoever looks next. A folder that vanishes while it is looked at is no error.</li>
 * </ul>
 */
public final class LockedDirectory implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LockedDirectory.class);
    static final String LOCK = ".lock";
    private static final String CLAIMING = ".berth-claim-";
    private static final Pattern CLAIMER = Pattern.compile(Pattern.quote(CLAIMING) + "(\\d+)-\\d+");
    private static final String GONE = ".berth-gone-";
    private static final int CLAIM_ATTEMPTS = 8;
    /** A claim takes microseconds; a lock-less claim folder this old was left by a process killed mid-claim. */
    private static final Duration CLAIM_LIFETIME = Duration.ofMinutes(1);

    private final HeldLock lock;
    private Path dir;

    private LockedDirectory(Path dir, HeldLock lock) {
        this.dir = dir;
        this.lock = lock;
    }

    /**
     * Creates and locks a folder in {@code parent} under the first name from {@code names} that no other
     * folder has. Throws what the file system said when the parent cannot take it.
     */
    public static LockedDirectory claim(Path parent, Supplier<String> names) throws IOException {
        Files.createDirectories(parent);
        for (int attempt = 1; attempt <= CLAIM_ATTEMPTS; attempt++) {
            Path claiming = newClaimFolder(parent);
            Optional<HeldLock> lock;
            try {
                lock = HeldLock.tryLock(claiming.resolve(LOCK), true);
            } catch (NoSuchFileException removedMeanwhile) {
                continue; // a cleaner on a machine whose clock runs far ahead took it for abandoned
            }
            if (lock.isEmpty()) {
                continue;
            }
            Path named = parent.resolve(names.get());
            try {
                Files.move(claiming, named, StandardCopyOption.ATOMIC_MOVE);
                lock.get().movedTo(named.resolve(LOCK));
                return new LockedDirectory(named, lock.get());
            } catch (NoSuchFileException removedMeanwhile) {
                lock.get().close();
            } catch (FileSystemException e) {
                if (!Files.exists(named, LinkOption.NOFOLLOW_LINKS)) {
                    lock.get().close();
                    throw e;
                }
                deleteLockedTree(claiming, lock.get()); // the name is taken: try the next one
            }
        }
        throw new IOException("no folder could be claimed in " + parent + " in " + CLAIM_ATTEMPTS + " attempts");
    }

    /**
     * A new folder, readable by its owner alone, under a name of this process no other folder has, as
     * {@link Files#createTempDirectory} makes one but without its SecureRandom (the security providers' start costs
     * milliseconds before health answers): the parent holds only Berth's own folders (a private work directory, the
     * migration cache), and creating a folder never follows a link nor takes an existing name.
     */
    private static Path newClaimFolder(Path parent) throws IOException {
        for (int attempt = 1; ; attempt++) {
            Path claiming = parent.resolve(CLAIMING + Processes.self() + "-" + (ThreadLocalRandom.current().nextLong() >>> 1));
            try {
                return parent.getFileSystem().supportedFileAttributeViews().contains("posix")
                        ? Files.createDirectory(claiming, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")))
                        : Files.createDirectory(claiming);
            } catch (FileAlreadyExistsException taken) {
                if (attempt == CLAIM_ATTEMPTS) {
                    throw taken;
                }
            }
        }
    }

    public Path path() {
        return dir;
    }

    /**
     * Removes the folders in {@code parent} that {@code names} accepts and whose lock nobody holds, and the
     * leftovers of interrupted claims and removals. {@code lockless} decides for a folder of an accepted name
     * that has no lock file at all (made by an older Berth). Best effort: a folder that cannot be judged or
     * removed is left, with a warning, and never stops the caller. Returns how many went.
     */
    public static int removeAbandoned(Path parent, Predicate<String> names, Predicate<Path> lockless) {
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                boolean ours = name.startsWith(CLAIMING) || name.startsWith(GONE) || names.test(name);
                try {
                    if (ours && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS) && removeIfAbandoned(entry, name, lockless)) {
                        removed++;
                    }
                } catch (IOException | RuntimeException e) {
                    LOG.warn("Left {} in place: could not tell whether it is abandoned, or could not remove it: {}", entry, e.toString());
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not look for abandoned folders in {}: {}", parent, e.toString());
        }
        return removed;
    }

    private static boolean removeIfAbandoned(Path dir, String name, Predicate<Path> lockless) throws IOException {
        Path lockFile = dir.resolve(LOCK);
        if (HeldLock.isHeldHere(lockFile) || (name.startsWith(CLAIMING) && isInTheMaking(dir, name))) {
            return false; // a claim in the making is locked a moment later: never looked into
        }
        if (Files.notExists(lockFile, LinkOption.NOFOLLOW_LINKS)) {
            boolean abandoned = name.startsWith(GONE) || name.startsWith(CLAIMING) || lockless.test(dir);
            if (abandoned) {
                Trees.delete(dir);
            }
            return abandoned;
        }
        Optional<HeldLock> lock;
        try {
            lock = HeldLock.tryLock(lockFile, false);
        } catch (NoSuchFileException removedMeanwhile) {
            return false;
        }
        if (lock.isEmpty()) {
            return false;
        }
        Path gone = dir;
        if (!name.startsWith(GONE)) {
            try {
                gone = Files.move(dir, goneName(dir), StandardCopyOption.ATOMIC_MOVE);
            } catch (FileSystemException someoneElseMovedIt) {
                lock.get().close();
                return false;
            }
        }
        deleteLockedTree(gone, lock.get());
        return true;
    }

    /** Removes the folder: out of its name first, its lock file last, and only then the lock is released. */
    @Override
    public void close() {
        try {
            try {
                Path gone = Files.move(dir, goneName(dir), StandardCopyOption.ATOMIC_MOVE);
                lock.movedTo(gone.resolve(LOCK));
                dir = gone;
            } catch (FileSystemException e) {
                // removed in place: still locked, so nobody else touches it
            }
            deleteLockedTree(dir, lock);
        } catch (IOException e) {
            lock.close();
            LOG.warn("Could not remove {}: {}", dir, e.toString());
        }
    }

    private static void deleteLockedTree(Path dir, HeldLock lock) throws IOException {
        try {
            Trees.deleteContentExcept(dir, LOCK);
            Files.deleteIfExists(dir.resolve(LOCK));
            Files.deleteIfExists(dir);
        } finally {
            lock.close();
        }
    }

    private static Path goneName(Path dir) {
        return dir.resolveSibling(GONE + dir.getFileName() + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1));
    }

    /**
     * Whether a claim folder may be one a live process is still making: its claimer (named by the pid in its
     * name) runs and it is younger than a claim can take. A wrong "no" (a pid of another pid namespace) costs
     * that claimer one more attempt.
     */
    private static boolean isInTheMaking(Path dir, String name) {
        Matcher m = CLAIMER.matcher(name);
        boolean claimerRuns = !m.matches() || Processes.isRunning(Long.parseLong(m.group(1)));
        return claimerRuns && !olderThan(dir, CLAIM_LIFETIME);
    }

    private static boolean olderThan(Path dir, Duration age) {
        try {
            Instant modified = Files.getLastModifiedTime(dir, LinkOption.NOFOLLOW_LINKS).toInstant();
            return modified.plus(age).isBefore(Instant.now());
        } catch (IOException e) {
            return false;
        }
    }
}
