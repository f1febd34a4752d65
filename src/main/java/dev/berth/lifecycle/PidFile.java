package dev.berth.lifecycle;

import dev.berth.BerthException;
import dev.berth.ExitCode;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code berth.pid-file}. At start an existing file is stale when its pid is not running, or runs but is
 * not a Berth (pids are reused); a stale file is removed and reported. A live Berth's file is left alone
 * and this start ends with exit 75.
 */
public final class PidFile {

    private static final Logger LOG = LoggerFactory.getLogger(PidFile.class);
    private static final String WHAT = "pid file";

    private final Path path;

    private PidFile(Path path) {
        this.path = path;
    }

    /** Checks the path before anything is bound: symlink or directory 73, live owner 75, stale removed. */
    public static PidFile claim(Path path) throws BerthException {
        Path absolute = path.toAbsolutePath();
        OwnedFile.checkWritable(absolute, WHAT);
        if (Files.exists(absolute)) {
            String text = read(absolute);
            Optional<Long> pid = parse(text);
            String stale;
            if (pid.isEmpty()) {
                stale = "it holds no pid ('" + abbreviate(text) + "')";
            } else if (pid.get() == Processes.self()) {
                stale = "its pid " + pid.get() + " is this process (a restart reused it)";
            } else {
                Optional<String> command = Processes.running(pid.get());
                if (command.isEmpty()) {
                    stale = "pid " + pid.get() + " is not running";
                } else if (!Processes.looksLikeBerth(command.get())) {
                    stale = "pid " + pid.get() + " now belongs to another program (" + abbreviate(command.get()) + ")";
                } else {
                    throw new BerthException(ExitCode.TEMP_FAIL, "another Berth (pid " + pid.get() + ") holds the pid file " + absolute,
                            "stop pid " + pid.get() + " first, or give this instance its own berth.pid-file");
                }
            }
            OwnedFile.removeStale(absolute, WHAT, stale);
        }
        return new PidFile(absolute);
    }

    /** Writes this process's pid, atomically. */
    public OwnedFile write() throws BerthException {
        return OwnedFile.write(path, String.valueOf(Processes.self()), WHAT);
    }

    private static String read(Path path) throws BerthException {
        try {
            return Files.readString(path).strip();
        } catch (IOException e) {
            throw new BerthException(ExitCode.CANT_CREATE, "cannot read the existing pid file " + path + ": " + e,
                    "check its permissions, or remove it if no Berth runs");
        }
    }

    private static Optional<Long> parse(String text) {
        try {
            long pid = Long.parseLong(text);
            return pid > 0 ? Optional.of(pid) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
