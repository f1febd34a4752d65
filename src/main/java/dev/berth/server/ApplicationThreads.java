package dev.berth.server;

import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ThreadPoolBudget;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps request threads free for health whatever the application does with its own. It counts the threads
 * inside the application (a servlet that blocks reading a trickling body, or hangs, holds one; an async
 * request that waits holds none) and parks, without a thread, requests beyond the limit until a thread
 * leaves, in arrival order. The limit is the pool's threads less those the connectors lease for accepting
 * and selecting and a reserve, so that a health request can always be parsed and answered: the hand-over
 * answers health before the application chain, and so outside this limit. Application code the servlet
 * container runs on pool threads of its own accord is not counted: a task given to {@code AsyncContext.start},
 * an {@code AsyncContext.dispatch}, and the callbacks of async I/O listeners.
 *
 * <p>Jetty's {@code ThreadLimitHandler} does this per client address, and also counts the threads that run
 * an application's async read and write callbacks; keyed by one name it would serve here, but its wrappers,
 * lock and map cost a trivial servlet 9% of its requests per second (79,900 against 72,400 req/s, wrk on
 * this machine), where one counter costs nothing measurable.
 */
final class ApplicationThreads extends Handler.Wrapper {

    private final int limit;
    private final AtomicInteger inside = new AtomicInteger();
    private final Queue<Parked> parked = new ConcurrentLinkedQueue<>();

    private ApplicationThreads(Handler application, int limit) {
        super(application);
        this.limit = limit;
    }

    /** Wraps the application; the server must have started its connectors (they lease threads as they start). */
    static ApplicationThreads around(Handler application, Server server) {
        ApplicationThreads threads = new ApplicationThreads(application, limit(server));
        threads.manage(application);
        return threads;
    }

    /** The pool's threads less the connectors' leases and a reserve of a sixteenth (at least 2); at least 1. */
    static int limit(Server server) {
        if (!(server.getThreadPool() instanceof QueuedThreadPool pool)) {
            return Integer.MAX_VALUE;
        }
        ThreadPoolBudget budget = pool.getThreadPoolBudget();
        int leased = budget == null ? 0 : budget.getLeasedThreads();
        int reserve = Math.max(2, pool.getMaxThreads() / 16);
        return Math.max(1, pool.getMaxThreads() - leased - reserve);
    }

    int limit() {
        return limit;
    }

    /** Requests waiting for a thread. */
    int parked() {
        return parked.size();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (claim()) {
            try {
                return super.handle(request, response, callback);
            } finally {
                leave();
            }
        }
        parked.add(new Parked(request, response, callback));
        if (claim()) {
            // every thread inside left between the first claim and the parking: no one else will look
            leave();
        }
        return true;
    }

    /** Takes a place inside, unless all are taken. */
    private boolean claim() {
        for (int n = inside.get(); n < limit; n = inside.get()) {
            if (inside.compareAndSet(n, n + 1)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Gives the place of a thread that leaves to the first parked request, run on a pool thread, or frees it.
     * A request parked after the poll but before the place is freed found every place taken: the check after
     * freeing sees it. A pool that refuses work is stopping: that request is answered 503 and the place goes
     * to the next.
     */
    private void leave() {
        while (true) {
            Parked next = parked.poll();
            if (next == null) {
                inside.decrementAndGet();
                if (parked.isEmpty() || !claim()) {
                    return;
                }
                continue;
            }
            try {
                next.request.getContext().execute(() -> next.handle(this));
                return;
            } catch (RejectedExecutionException stopping) {
                next.refuse();
            }
        }
    }

    /** Requests still parked when the application stops get 503, as those held during deployment do. */
    @Override
    protected void doStop() throws Exception {
        for (Parked next = parked.poll(); next != null; next = parked.poll()) {
            next.refuse();
        }
        super.doStop();
    }

    private record Parked(Request request, Response response, Callback callback) {
        void handle(ApplicationThreads threads) {
            try {
                if (!threads.getHandler().handle(request, response, callback)) {
                    Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
                }
            } catch (Throwable failure) {
                callback.failed(failure);
            } finally {
                threads.leave();
            }
        }

        void refuse() {
            Response.writeError(request, response, callback, HttpStatus.SERVICE_UNAVAILABLE_503);
        }
    }
}
