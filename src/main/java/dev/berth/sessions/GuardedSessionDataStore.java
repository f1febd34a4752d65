package dev.berth.sessions;

import dev.berth.backing.BackingService;
import dev.berth.observe.Observer;

import org.eclipse.jetty.session.SessionContext;
import org.eclipse.jetty.session.SessionData;
import org.eclipse.jetty.session.SessionDataStore;
import org.eclipse.jetty.session.UnreadableSessionDataException;
import org.eclipse.jetty.util.component.ContainerLifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Stands in front of a remote session store and tells its {@link BackingService} whether each call reached
 * the store, so readiness follows the store. A load that failed because the store is unreachable is
 * remembered on the request's thread: Jetty would answer it with no session (the user logged out), and
 * {@link StoreAwareSessionHandler} turns it into a 503 instead.
 */
final class GuardedSessionDataStore extends ContainerLifeCycle implements SessionDataStore {

    private static final Logger LOG = LoggerFactory.getLogger(GuardedSessionDataStore.class);

    private static final ThreadLocal<Boolean> LOAD_FAILED = ThreadLocal.withInitial(() -> false);

    private final SessionDataStore store;
    private final BackingService service;
    private final Observer observer;

    GuardedSessionDataStore(SessionDataStore store, BackingService service, Observer observer) {
        this.store = store;
        this.service = service;
        this.observer = observer;
        addBean(store, true);
    }

    /** Whether a load on this thread failed to reach the store since the last call; clears the mark. */
    static boolean loadFailedOnThisThread() {
        boolean failed = LOAD_FAILED.get();
        LOAD_FAILED.set(false);
        return failed;
    }

    /**
     * Starts the store, a second time when the first fails: two instances starting at once on an empty
     * database both find no table and both create it (Jetty's JDBC store has no IF NOT EXISTS), and the loser
     * fails; on the second try the table is there.
     */
    @Override
    protected void doStart() throws Exception {
        try {
            super.doStart();
        } catch (Exception first) {
            LOG.info("The session store did not start ({}); trying once more, as another instance may have set it up meanwhile", first.toString());
            super.doStart();
        }
    }

    @Override
    public void initialize(SessionContext context) throws Exception {
        store.initialize(context);
    }

    @Override
    public SessionData load(String id) throws Exception {
        try {
            return read("load", () -> store.load(id));
        } catch (UnreadableSessionDataException unreadable) {
            throw unreadable;
        } catch (Exception e) {
            LOAD_FAILED.set(true);
            throw e;
        }
    }

    /**
     * Jetty's store writes an unchanged session only once its save period has passed, and calls this for every request
     * that touched a session: only a call that wrote (the session's last-saved time moved) or failed is timed.
     */
    @Override
    public void store(String id, SessionData data) throws Exception {
        long saved = data.getLastSaved();
        write("store", () -> {
            store.store(id, data);
            return null;
        }, () -> data.getLastSaved() != saved);
    }

    @Override
    public boolean delete(String id) throws Exception {
        return write("delete", () -> store.delete(id), () -> true);
    }

    @Override
    public boolean exists(String id) throws Exception {
        return read("exists", () -> store.exists(id));
    }

    /** Runs one reading call on the store and tells the service whether it reached it, and the observer how long it took. */
    private <T> T read(String operation, Call<T> call) throws Exception {
        long begin = System.nanoTime();
        boolean failed = true;
        try {
            T result = call.run();
            failed = false;
            service.readSucceeded();
            return result;
        } catch (UnreadableSessionDataException unreadable) {
            // the store answered; the session cannot be read back (a class the WAR no longer has)
            failed = false;
            service.readSucceeded();
            throw unreadable;
        } catch (Exception e) {
            service.failed(e);
            throw e;
        } finally {
            observer.sessionStoreCall(operation, System.nanoTime() - begin, failed);
        }
    }

    /**
     * Runs one writing call on the store: a failure keeps readiness DOWN until a write or a probe succeeds. A
     * save refused as stale is the store answering, not failing. A call that did not reach the store (Jetty had
     * nothing to write) is not timed.
     */
    private <T> T write(String operation, Call<T> call, BooleanSupplier reachedTheStore) throws Exception {
        long begin = System.nanoTime();
        boolean failed = true;
        boolean reached = true;
        try {
            T result = call.run();
            failed = false;
            reached = reachedTheStore.getAsBoolean();
            service.succeeded();
            return result;
        } catch (SessionConflict conflict) {
            failed = false;
            service.succeeded();
            throw conflict;
        } catch (Exception e) {
            service.writeFailed(e);
            throw e;
        } finally {
            if (reached) {
                observer.sessionStoreCall(operation, System.nanoTime() - begin, failed);
            }
        }
    }

    @FunctionalInterface
    private interface Call<T> {
        T run() throws Exception;
    }

    @Override
    public SessionData newSessionData(String id, long created, long accessed, long lastAccessed, long maxInactiveMs) {
        return store.newSessionData(id, created, accessed, lastAccessed, maxInactiveMs);
    }

    @Override
    public Set<String> getExpired(Set<String> candidates) {
        return store.getExpired(candidates);
    }

    @Override
    public boolean isPassivating() {
        return store.isPassivating();
    }

    @Override
    public String toString() {
        return store.toString();
    }
}
