package dev.berth.base;

import java.util.concurrent.TimeUnit;

/**
 * How long each phase of a start took, for one DEBUG line ("config 104 ms, check 35 ms, bind 12 ms"): a start-up
 * profile any user can turn on ({@code java -Ddev.berth.LEVEL=DEBUG -jar berth.jar}), and the
 * per-phase timeline of {@code bench/results/startup-profile.md}. Marks cost a clock read each.
 */
public final class Timeline {

    private final long begin = System.nanoTime();
    private final StringBuilder phases = new StringBuilder();
    private long last = begin;

    /** Ends the phase named {@code phase} now; the next phase begins. */
    public synchronized void mark(String phase) {
        long now = System.nanoTime();
        phases.append(phases.length() == 0 ? "" : ", ").append(phase).append(' ').append(millis(now - last)).append(" ms");
        last = now;
    }

    /** The phases so far, and their sum. */
    public synchronized String describe() {
        return phases + " (" + millis(last - begin) + " ms in all)";
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
