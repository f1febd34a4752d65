package dev.berth.files;

/**
 * What Berth may know about a process by its pid. A pid can be reused by any process after its owner exits,
 * so "running" says little: claims are decided by locks ({@link HeldLock}), this only serves folders without a
 * lock: those of Berths before 1.0, and claim folders still being made.
 */
final class Processes {

    private Processes() {
    }

    static boolean isRunning(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    static long self() {
        return ProcessHandle.current().pid();
    }
}
