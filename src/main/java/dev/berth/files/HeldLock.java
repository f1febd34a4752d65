package dev.berth.files;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An operating-system lock on one file, held while this object is open: the one sign that a run (or a claim
 * on a pid file, a port file, a socket) is alive. The kernel releases it when its process dies, however it
 * dies, and a reused pid holds nothing.
 *
 * <p>Java's locks are POSIX record locks, owned by the process: closing <em>any</em> channel of this JVM on a
 * locked file releases the lock. So this JVM never opens a second channel on a file it holds: the files held
 * here are registered by path, and a check for "held here" comes before any open.
 */
final class HeldLock implements AutoCloseable {

    private static final Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();
    /** Channels that found this JVM's lock under another name: closing one would release that lock. */
    private static final List<FileChannel> KEPT_OPEN = new CopyOnWriteArrayList<>();

    private final FileChannel channel;
    private volatile Path file;

    private HeldLock(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /**
     * Locks {@code file} (created when {@code create}); empty when another process, or another claim in this
     * JVM, holds it. Never follows a symbolic link.
     */
    static Optional<HeldLock> tryLock(Path file, boolean create) throws IOException {
        Path key = key(file);
        if (!HELD_HERE.add(key)) {
            return Optional.empty();
        }
        FileChannel channel = null;
        try {
            channel = create
                    ? FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)
                    : FileChannel.open(key, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            FileLock lock = channel.tryLock();
            if (lock != null) {
                return Optional.of(new HeldLock(key, channel));
            }
            channel.close();
        } catch (OverlappingFileLockException heldHereUnderAnotherName) {
            KEPT_OPEN.add(channel);
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            HELD_HERE.remove(key);
            throw e;
        }
        HELD_HERE.remove(key);
        return Optional.empty();
    }

    /** Whether a claim in this JVM holds {@code file}: such a file must not even be opened here. */
    static boolean isHeldHere(Path file) {
        return HELD_HERE.contains(key(file));
    }

    Path file() {
        return file;
    }

    /** The locked file now has another path (its folder was renamed). */
    void movedTo(Path newFile) {
        Path key = key(newFile);
        HELD_HERE.add(key);
        HELD_HERE.remove(file);
        file = key;
    }

    /**
     * Whether the file at this lock's path is still the locked one. A holder that removes its lock file and
     * then releases it can leave a waiter holding a lock on a file no longer at the path; that lock protects
     * nothing. Checked through the kernel's lock table where there is one (Linux).
     */
    boolean isStillAtItsPath() {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        Set<Long> holders = LockTable.holdersOf(file);
        return holders.isEmpty() || holders.contains(Processes.self());
    }

    /** Releases the lock. The file stays; remove it first (while still holding the lock) when it should go. */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing releases the lock even when the close reports an error
        } finally {
            HELD_HERE.remove(file);
        }
    }

    private static Path key(Path file) {
        return file.toAbsolutePath().normalize();
    }
}
