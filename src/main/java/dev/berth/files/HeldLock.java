package dev.berth.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An operating-system lock on one file, held while this object is open: the one sign that a run (or a claim
 * on a pid file, a port file, a socket) is alive. The kernel releases it when its process dies, however it
 * dies, and a reused pid holds nothing.
 *
 * <p>Java's locks are POSIX record locks, owned by the process: closing <em>any</em> channel of this JVM on a
 * locked file releases the lock. So this JVM never opens a second channel on a file it holds: the files held
 * here are registered by path, a check for "held here" comes before any open, and a channel this class opens on
 * a file it holds stays open until the lock is let go.
 */
final class HeldLock implements AutoCloseable {

    private static final Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();
    /** Channels that found this JVM's lock under another name: closing one would release that lock. */
    private static final List<FileChannel> KEPT_OPEN = new CopyOnWriteArrayList<>();

    private final FileChannel channel;
    private final List<FileChannel> alsoOpen = new CopyOnWriteArrayList<>();
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
            if (Files.exists(key, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(key, LinkOption.NOFOLLOW_LINKS)) {
                throw new FileSystemException(key.toString(), null, "not a regular file");
            }
            channel = create
                    ? FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)
                    : FileChannel.open(key, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
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
     * nothing. Told by writing a token no other process writes (this pid and a random number) through the
     * locked channel and reading it back through the path: only the holder of a file's lock writes to it,
     * and only the holder removes it. The token stays in the file: {@link #owner(Path)} reads its pid.
     */
    boolean isStillAtItsPath() throws IOException {
        String token = Processes.self() + " " + Long.toHexString(ThreadLocalRandom.current().nextLong());
        byte[] bytes = (token + "\n").getBytes(StandardCharsets.US_ASCII);
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(bytes), 0);
        try {
            // closing this channel would release the lock: it stays open as long as the lock is held
            FileChannel byPath = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
            alsoOpen.add(byPath);
            ByteBuffer read = ByteBuffer.allocate(bytes.length + 1);
            while (read.hasRemaining() && byPath.read(read) > 0) {
                // a short file reads in one call; bounded by the buffer
            }
            return read.position() == bytes.length && Arrays.equals(Arrays.copyOf(read.array(), bytes.length), bytes);
        } catch (NoSuchFileException removed) {
            return false;
        }
    }

    /** The pid written into a lock file by its holder, when it has written one. */
    static Optional<Long> owner(Path file) {
        try {
            String token = Files.readString(file, StandardCharsets.ISO_8859_1).strip();
            return Optional.of(Long.parseLong(token.split(" ", 2)[0])).filter(pid -> pid > 0);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Releases the lock. The file stays; remove it first (while still holding the lock) when it should go. */
    @Override
    public void close() {
        try {
            channel.close();
            for (FileChannel other : alsoOpen) {
                other.close();
            }
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
