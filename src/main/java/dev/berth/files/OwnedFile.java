package dev.berth.files;

import dev.berth.base.BerthException;
import dev.berth.base.ExitCode;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * A small file Berth writes (pid, port) and later removes. Written to a temporary file in the same
 * directory and moved into place, so a reader never sees half a file; a symlink at the path is refused
 * (exit 73), never written through; removed only while it still holds what Berth wrote, so a
 * successor's file survives.
 */
final class OwnedFile {

    private static final Logger LOG = LoggerFactory.getLogger(OwnedFile.class);

    private final Path path;
    private final String content;

    private OwnedFile(Path path, String content) {
        this.path = path;
        this.content = content;
    }

    /** Refuses a path that is a symlink or a directory (exit 73): Berth never writes through either. */
    static void checkWritable(Path path, String what) throws BerthException {
        if (Files.isSymbolicLink(path)) {
            throw new BerthException(ExitCode.CANT_CREATE, "the " + what + " " + path + " is a symbolic link; Berth does not write through links",
                    "remove the link or point berth." + what.replace(' ', '-') + " at a plain path");
        }
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new BerthException(ExitCode.CANT_CREATE, "the " + what + " " + path + " is a directory",
                    "point berth." + what.replace(' ', '-') + " at a file path");
        }
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new BerthException(ExitCode.CANT_CREATE, "the " + what + " " + path + " is not a regular file; Berth will not replace it",
                    "remove it yourself or point berth." + what.replace(' ', '-') + " at another path");
        }
    }

    /**
     * Claims the path before anything is bound: a symlink or a directory is refused (exit 73), a live
     * process's claim ends the start (exit 75); a file left at the path by a run that is over is removed and
     * reported.
     */
    static ClaimedPath claim(Path path, String what) throws BerthException {
        ClaimedPath claimed = ClaimedPath.claim(path.toAbsolutePath(), what, "berth." + what.replace(' ', '-'));
        try {
            checkWritable(claimed.path(), what);
            if (Files.exists(claimed.path(), LinkOption.NOFOLLOW_LINKS)) {
                String content = new String(Files.readAllBytes(claimed.path()), StandardCharsets.ISO_8859_1).strip();
                removeStale(claimed.path(), what, "it held '" + abbreviate(content) + "' and no running process holds its lock");
            }
            return claimed;
        } catch (BerthException e) {
            claimed.release();
            throw e;
        } catch (IOException e) {
            claimed.release();
            throw new BerthException(ExitCode.CANT_CREATE, "cannot read the existing " + what + " " + claimed.path() + ": " + e,
                    "check its permissions, or remove it if no Berth runs");
        }
    }

    /** Removes a leftover file found at start, saying why it is stale. */
    static void removeStale(Path path, String what, String why) throws BerthException {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new BerthException(ExitCode.CANT_CREATE, "cannot remove the stale " + what + " " + path + ": " + e,
                    "remove it by hand or fix the directory's permissions");
        }
        LOG.warn("Removed stale {} {}: {}", what, path, why);
    }

    /** Text from a file, shortened for a log line. */
    static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }

    /** Writes {@code content} (plus a newline) to {@code path} atomically. */
    static OwnedFile write(Path path, String content, String what) throws BerthException {
        Path absolute = path.toAbsolutePath();
        checkWritable(absolute, what);
        try {
            WholeFile.write(absolute, tmp -> Files.writeString(tmp, content + "\n", StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new BerthException(ExitCode.CANT_CREATE, "cannot write the " + what + " " + absolute + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()), "check that the directory exists and is writable by this user", e);
        }
        LOG.info("Wrote {} {} ({})", what, absolute, content);
        return new OwnedFile(absolute, content);
    }

    /** Deletes the file if it still holds what Berth wrote; says so either way. */
    void removeIfUnchanged() {
        try {
            if (Files.isSymbolicLink(path) || !Files.isRegularFile(path)) {
                LOG.info("Left {} alone: it is no longer the file Berth wrote", path);
                return;
            }
            String now = Files.readString(path, StandardCharsets.UTF_8).strip();
            if (!now.equals(content)) {
                LOG.info("Left {} alone: it now holds {} (another instance wrote it)", path, now);
                return;
            }
            Files.deleteIfExists(path);
            LOG.info("Removed {}", path);
        } catch (IOException e) {
            LOG.warn("Could not remove {}: {}", path, e.toString());
        }
    }
}
