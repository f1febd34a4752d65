package dev.berth.handover;

import java.util.concurrent.TimeUnit;

/**
 * The one shared record of Berth's phase, read by every health request and written by the deployment and
 * the shutdown. Moves only forward: DEPLOYING, then SERVING or FAILED, then STOPPING. It also keeps what
 * health reports beside the phase: the bound port and how long the deployment took.
 */
public final class PhaseTracker {

    private final int port;
    private final long deployBegin = System.nanoTime();
    private volatile Phase phase = Phase.DEPLOYING;
    private volatile long deployNanos = -1;
    private volatile boolean started;

    public PhaseTracker(int port) {
        this.port = port;
    }

    public Phase phase() {
        return phase;
    }

    public int port() {
        return port;
    }

    /** Deployment time: so far while deploying, final once it ended. */
    public long deploymentMillis() {
        long nanos = deployNanos >= 0 ? deployNanos : System.nanoTime() - deployBegin;
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    public boolean isStarted() {
        return started;
    }

    public synchronized void serving() {
        if (phase == Phase.DEPLOYING) {
            deployNanos = System.nanoTime() - deployBegin;
            started = true;
            phase = Phase.SERVING;
        }
    }

    public synchronized void failed() {
        if (phase == Phase.DEPLOYING) {
            deployNanos = System.nanoTime() - deployBegin;
            phase = Phase.FAILED;
        }
    }

    /** Returns false when already stopping. */
    public synchronized boolean stopping() {
        if (phase == Phase.STOPPING) {
            return false;
        }
        phase = Phase.STOPPING;
        return true;
    }
}
