package dev.berth.base;

import java.util.Optional;

/**
 * A failure Berth can explain: what went wrong (one line), what to do about it, and the exit code
 * {@code Main} ends with. Thrown below {@code Main} instead of exiting, so embedders decide.
 */
public class BerthException extends Exception {

    private final ExitCode exitCode;
    private final String action;

    public BerthException(ExitCode exitCode, String description, String action) {
        this(exitCode, description, action, null);
    }

    public BerthException(ExitCode exitCode, String description, String action, Throwable cause) {
        super(description, cause);
        this.exitCode = exitCode;
        this.action = action;
    }

    public ExitCode exitCode() {
        return exitCode;
    }

    /** One line saying what went wrong. */
    public String description() {
        return getMessage();
    }

    /** What the user can do about it, when Berth knows. */
    public Optional<String> action() {
        return Optional.ofNullable(action);
    }
}
