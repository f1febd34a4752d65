package dev.berth.base;

/** The process exit codes users and scripts rely on (sysexits.h names). */
public enum ExitCode {
    OK(0),
    USAGE(64),
    NO_INPUT(66),
    UNAVAILABLE(69),
    SOFTWARE(70),
    CANT_CREATE(73),
    TEMP_FAIL(75);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
