package dev.berth.files;

import dev.berth.BerthException;
import dev.berth.ExitCode;

import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code berth.pid-file}. At start an existing file is stale when its pid is not running, or runs but is
 * not a Berth (pids are reused); a stale file is removed and reported. A live Berth's file is left alone
 * and this start ends with exit 75.
 */
final class PidFile {

    private static final String WHAT = "pid file";

    private final Path path;

    private PidFile(Path path) {
        this.path = path;
    }

    static PidFile claim(Path path) throws BerthException {
        return new PidFile(OwnedFile.claim(path, WHAT, PidFile::whyStale));
    }

    /** Writes this process's pid, atomically. */
    OwnedFile write() throws BerthException {
        return OwnedFile.write(path, String.valueOf(Processes.self()), WHAT);
    }

    private static String whyStale(Path path, String content) throws BerthException {
        Optional<Long> pid = parse(content);
        if (pid.isEmpty()) {
            return "it holds no pid ('" + OwnedFile.abbreviate(content) + "')";
        }
        if (pid.get() == Processes.self()) {
            return "its pid " + pid.get() + " is this process (a restart reused it)";
        }
        Optional<String> command = Processes.running(pid.get());
        if (command.isEmpty()) {
            return "pid " + pid.get() + " is not running";
        }
        if (!Processes.looksLikeBerth(command.get())) {
            return "pid " + pid.get() + " now belongs to another program (" + OwnedFile.abbreviate(command.get()) + ")";
        }
        throw new BerthException(ExitCode.TEMP_FAIL, "another Berth (pid " + pid.get() + ") holds the pid file " + path,
                "stop pid " + pid.get() + " first, or give this instance its own berth.pid-file");
    }

    private static Optional<Long> parse(String text) {
        try {
            long pid = Long.parseLong(text);
            return pid > 0 ? Optional.of(pid) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
