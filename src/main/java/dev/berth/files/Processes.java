package dev.berth.files;

import java.util.Optional;

/**
 * What Berth may know about another process: whether it runs and whether it is a Berth. A pid can be
 * reused by any process after its owner exits, so "running" alone does not make a pid file live.
 */
final class Processes {

    private Processes() {
    }

    /** The live process's command line; empty when not running. A command line we may not see reads as "". */
    static Optional<String> running(long pid) {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .map(p -> p.info().commandLine().orElse(""));
    }

    /** A Berth is a java process whose command line names Berth (berth.jar, dev.berth.Main). */
    static boolean looksLikeBerth(String commandLine) {
        return commandLine.isEmpty() || commandLine.toLowerCase(java.util.Locale.ROOT).contains("berth");
    }

    static long self() {
        return ProcessHandle.current().pid();
    }
}
