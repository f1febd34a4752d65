package dev.berth.handover;

/** Where the application is in its life, as the health endpoints report it. */
public enum Phase {
    /** The port is bound and health answers; the WAR is being deployed. */
    DEPLOYING,
    /** The application serves every request that is not a health check. */
    SERVING,
    /** A stop was requested: readiness is DOWN, in-flight requests drain. */
    STOPPING,
    /** The application failed to deploy; readiness stays DOWN. */
    FAILED
}
