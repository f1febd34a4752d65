package dev.berth.files;

import dev.berth.base.BerthException;
import dev.berth.base.ExitCode;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Berth's own folder for what a run unpacks and compiles (the WAR, JSP classes): {@code berth.work-dir}, by
 * default {@code berth-USER} under the JVM's temporary directory, shared by every Berth this user runs. Each run
 * works in a {@link LockedDirectory} {@code run-PID-N} inside it and removes it when it stops. A run killed
 * with SIGKILL cannot, but the operating system releases its lock: at start every {@code run-*} folder whose
 * lock nobody holds is removed (only those names, only in Berth's folder). The lock, not the process list,
 * tells: a Berth embedded in a JVM of another name is alive, and a reused pid is not.
 */
public final class WorkDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(WorkDirectory.class);
    private static final Pattern RUN = Pattern.compile("run-(\\d+)-\\d+");
    /** Tests and embedders may run several Berths in one JVM: each gets a folder of its own. */
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final Path root;
    private final LockedDirectory run;

    private WorkDirectory(Path root, LockedDirectory run) {
        this.root = root;
        this.run = run;
    }

    /**
     * The default root: {@code berth-USER} in the JVM's temporary directory, where Jetty, too, works by default.
     * One per user, made private: a folder other users can write is a folder they can plant links in.
     */
    public static Path defaultRoot() {
        return Path.of(System.getProperty("java.io.tmpdir"), "berth-" + System.getProperty("user.name").replaceAll("[^A-Za-z0-9._-]", "_"));
    }

    /**
     * Creates this run's folder under {@code root}, first removing the folders of dead runs. The root must be
     * this user's and writable by nobody else (exit 73 otherwise), as everything Berth removes is inside it.
     */
    public static WorkDirectory claim(Path root) throws BerthException {
        Path absolute = root.toAbsolutePath().normalize();
        try {
            PrivateFolder.create(absolute, "berth.work-dir");
            int removed = LockedDirectory.removeAbandoned(absolute, name -> name.startsWith("run-"), WorkDirectory::isLegacyAbandoned);
            if (removed > 0) {
                LOG.info("Removed {} folder{} of runs that ended without cleaning up from {}", removed, removed == 1 ? "" : "s", absolute);
            }
            LockedDirectory run = LockedDirectory.claim(absolute, () -> "run-" + Processes.self() + "-" + SEQUENCE.incrementAndGet());
            return new WorkDirectory(absolute, run);
        } catch (IOException e) {
            throw failure(absolute, e);
        }
    }

    /** A {@code run-PID-N} folder without a lock file was made by a Berth before 1.0: gone when its pid is. */
    private static boolean isLegacyAbandoned(Path dir) {
        Matcher m = RUN.matcher(dir.getFileName().toString());
        return m.matches() && Long.parseLong(m.group(1)) != Processes.self() && !Processes.isRunning(Long.parseLong(m.group(1)));
    }

    /** Says what the file system refused; only a refusal is answered with "make it writable". */
    private static BerthException failure(Path root, IOException e) {
        String what = e instanceof FileSystemException fs && fs.getReason() != null
                ? fs.getReason() + (fs.getFile() == null ? "" : " (" + fs.getFile() + ")") : e.toString();
        if (e instanceof AccessDeniedException || what.contains("Read-only file system")) {
            return new BerthException(ExitCode.CANT_CREATE, "cannot create Berth's work directory under " + root + ": permission denied ("
                    + (e instanceof FileSystemException fs ? fs.getFile() : what) + ")",
                    "make it writable by this user, or point berth.work-dir at a writable directory", e);
        }
        if (what.contains("No space left")) {
            return new BerthException(ExitCode.CANT_CREATE, "cannot create Berth's work directory under " + root + ": the disk is full",
                    "free space there, or point berth.work-dir at a file system with room", e);
        }
        return new BerthException(ExitCode.CANT_CREATE, "cannot create Berth's work directory under " + root + ": " + what,
                "check that " + root + " is a directory this user may use, or point berth.work-dir elsewhere", e);
    }

    /**
     * Exit 73, naming the folder and both sizes, when its file system has less room than {@code bytes}
     * ({@code what} needs them): found while unpacking, it would be a failed deployment that names no path.
     */
    public void checkRoomFor(long bytes, String what) throws BerthException {
        // java.io.File asks statvfs directly; Files.getFileStore first looks the mount up (1 ms, before binding)
        File dir = run.path().toFile();
        if (dir.getTotalSpace() == 0) {
            return; // the file system does not say: unpacking will tell
        }
        long usable = dir.getUsableSpace();
        if (usable < bytes) {
            throw new BerthException(ExitCode.CANT_CREATE, "Berth's work directory " + root + " has " + megabytes(usable) + " free; "
                    + what + " needs " + megabytes(bytes),
                    "free space there, or point berth.work-dir at a file system with room");
        }
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1_000_000.0);
    }

    /** A folder every run shares, such as the cache of converted WARs (not created here). */
    public Path shared(String name) {
        return root.resolve(name);
    }

    /** A fresh folder for one purpose in this run ("war", "jetty"). */
    public Path newDirectory(String name) throws IOException {
        Path dir = run.path().resolve(name);
        Trees.delete(dir);
        return Files.createDirectory(dir);
    }

    /** Removes this run's folder; a failure is logged, never thrown (it runs while stopping). */
    public void remove() {
        run.close();
    }
}
