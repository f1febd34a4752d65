package dev.berth.sessions;

/**
 * A save refused because the store no longer holds the copy this instance read: another request, on this
 * instance or another, changed the session (or removed it) since. Writing anyway would undo that change
 * without anyone knowing; the request whose save this was is answered 503 instead and the client sends it again.
 * The store answered, so this says nothing about its health.
 */
final class SessionConflict extends Exception {

    private static final long serialVersionUID = 1L;

    /** {@code why} says what happened to the session, as in "another request saved it since this copy was read". */
    SessionConflict(String why) {
        super(why);
    }

    /**
     * Gives {@code data} the version its save writes: the save's time (Jetty sets it as the session's last
     * save), or one more than the version it replaces when the clock has not moved past it (two saves in one
     * millisecond, or an instance whose clock is behind the one that saved before). So every save in a
     * session's history has a version greater than the one before, and a copy read before it cannot match.
     */
    static long advance(org.eclipse.jetty.session.SessionData data, long replacing) {
        if (data.getLastSaved() <= replacing) {
            data.setLastSaved(replacing + 1);
        }
        return data.getLastSaved();
    }
}
