package dev.berth.files;

import dev.berth.BerthException;
import dev.berth.ExitCode;

import org.apache.commons.io.file.PathUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Berth's own folder for what a run unpacks and compiles (the WAR, JSP classes): {@code berth.work-dir}, by
 * default {@code berth} under the JVM's temporary directory. Each run works in {@code run-PID-N} inside it,
 * holds a lock on the folder's {@code .lock} file while it lives, and removes the folder when it stops. A run
 * killed with SIGKILL cannot, but the operating system releases its lock: at start every {@code run-PID-N}
 * whose lock nobody holds is removed (only those names, only in Berth's folder). The lock, not the process
 * list, tells: a Berth embedded in a JVM of another name is alive, and a reused pid is not.
 */
public final class WorkDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(WorkDirectory.class);
    private static final Pattern RUN = Pattern.compile("run-(\\d+)-\\d+");
    /** Tests and embedders may run several Berths in one JVM: each gets a folder of its own. */
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private static final String LOCK = ".lock";

    private final Path root;
    private final Path run;
    private final FileChannel lock;

    private WorkDirectory(Path root, Path run, FileChannel lock) {
        this.root = root;
        this.run = run;
        this.lock = lock;
    }

    /** The default root: the JVM's temporary directory is where Jetty, too, works by default. */
    public static Path defaultRoot() {
        return Path.of(System.getProperty("java.io.tmpdir"), "berth");
    }

    /** Creates this run's folder under {@code root}, first removing the folders of dead runs. */
    public static WorkDirectory claim(Path root) throws BerthException {
        try {
            Files.createDirectories(root);
            removeStaleRuns(root);
            Path run = root.resolve("run-" + Processes.self() + "-" + SEQUENCE.incrementAndGet());
            deleteTree(run);
            Files.createDirectory(run);
            FileChannel lock = FileChannel.open(run.resolve(LOCK), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            lock.lock();
            return new WorkDirectory(root, run, lock);
        } catch (IOException e) {
            throw new BerthException(ExitCode.CANT_CREATE, "cannot create Berth's work directory under " + root + ": " + e,
                    "make it writable, or point berth.work-dir at a writable directory");
        }
    }

    private static void removeStaleRuns(Path root) throws IOException {
        try (DirectoryStream<Path> runs = Files.newDirectoryStream(root, "run-*")) {
            for (Path dir : runs) {
                Matcher m = RUN.matcher(dir.getFileName().toString());
                if (!m.matches() || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) || Long.parseLong(m.group(1)) == Processes.self()) {
                    continue;
                }
                if (isAbandoned(dir, Long.parseLong(m.group(1)))) {
                    deleteTree(dir);
                    LOG.info("Removed {}: left by pid {}, which is gone", dir, m.group(1));
                }
            }
        }
    }

    /** Whether no live process holds the folder's lock (a folder being set up has none yet: it is left alone). */
    private static boolean isAbandoned(Path dir, long pid) throws IOException {
        Path file = dir.resolve(LOCK);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return Processes.running(pid).isEmpty();
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            return channel.tryLock() != null;
        } catch (OverlappingFileLockException heldHere) {
            return false;
        }
    }

    /** A folder every run shares, such as the cache of converted WARs (not created here). */
    public Path shared(String name) {
        return root.resolve(name);
    }

    /** A fresh folder for one purpose in this run ("war", "jetty"). */
    public Path newDirectory(String name) throws IOException {
        Path dir = run.resolve(name);
        deleteTree(dir);
        return Files.createDirectory(dir);
    }

    /** Removes this run's folder; a failure is logged, never thrown (it runs while stopping). */
    public void remove() {
        try {
            lock.close();
            deleteTree(run);
        } catch (IOException e) {
            LOG.warn("Could not remove the work directory {}: {}", run, e.toString());
        }
    }

    /** Deletes a tree without following links: a link is removed, never what it points to. */
    static void deleteTree(Path root) throws IOException {
        if (Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            PathUtils.delete(root, new LinkOption[] {LinkOption.NOFOLLOW_LINKS});
        }
    }
}
