package dev.berth.handover;

import dev.berth.backing.BackingServices;
import dev.berth.config.BerthConfig;
import dev.berth.http.SmallResponse;
import dev.berth.observe.Observer;
import dev.berth.observe.Observer.Release;

import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.HotSwapHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The server's root handler. Berth's own endpoints ({@link BerthEndpoints}: health) are always answered here;
 * every other request goes to the application once it serves. Before that, a request is held without a thread (handle returns true and
 * the callback completes later) until the application is swapped in, then dispatched to it; or, after
 * {@code berth.startup.hold}, answered 503 with Retry-After. The swap is one volatile write in Jetty's
 * {@link HotSwapHandler}, which also makes the application a managed child: stopping the server stops it.
 */
public final class HandOverHandler extends HotSwapHandler {

    /** What a request the application cannot answer is told. */
    public static final String STARTING = "starting";
    public static final String FAILED = "the application failed to start";

    private final BerthEndpoints endpoints;
    private final String healthPath;
    private final BackingServices backing;
    private final PhaseTracker phases;
    private final Observer observer;
    private final long holdMillis;
    private final int maxHeld;
    private final Set<Held> held = ConcurrentHashMap.newKeySet();
    private final AtomicInteger count = new AtomicInteger();
    /** With several applications: every context path, longest first, and those still deploying. */
    private volatile List<String> contextPaths = List.of();
    private volatile Set<String> pending = Set.of();

    /**
     * Answers {@code endpoints} first, and registers the health endpoints there ({@code berth.health.*}: an empty
     * path turns them off); holds application requests as {@code berth.startup.*} says, and tells {@code observer} how
     * each left the hold.
     */
    public HandOverHandler(BerthEndpoints endpoints, BerthConfig config, PhaseTracker phases, BackingServices backing, Observer observer) {
        this.endpoints = endpoints;
        this.observer = observer;
        this.healthPath = config.health().path();
        this.backing = backing;
        this.phases = phases;
        this.holdMillis = config.startup().hold().toMillis();
        this.maxHeld = config.startup().maxHeld();
        HealthHandler.register(endpoints, config.health().path(), config.health().details() == BerthConfig.HealthDetails.ALWAYS,
                phases, backing, count::get);
    }

    /** An empty HotSwapHandler says NON_BLOCKING, and a started server refuses to change that later. */
    @Override
    public InvocationType getInvocationType() {
        return InvocationType.BLOCKING;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        BerthEndpoints.Endpoint endpoint = endpoints.find(path);
        if (endpoint != null) {
            endpoint.handle(path, request, response, callback);
            return true;
        }
        Handler application = getHandler();
        if (application != null && !waitsForItsApplication(path)) {
            return application.handle(request, response, callback);
        }
        if (phases.phase() != Phase.DEPLOYING) {
            SmallResponse.unavailable(request, response, callback, phases.phase() == Phase.FAILED ? FAILED : "stopping");
            return true;
        }
        if (count.incrementAndGet() > maxHeld) {
            count.decrementAndGet();
            observer.released(Release.REFUSED, 0);
            SmallResponse.unavailable(request, response, callback, STARTING);
            return true;
        }
        hold(request, response, callback);
        return true;
    }

    private void hold(Request request, Response response, Callback callback) {
        Held entry = new Held(request, response, callback);
        held.add(entry);
        // the connector's idle timeout must not fail a request that is only waiting for the application
        request.addIdleTimeoutListener(timeout -> false);
        request.addFailureListener(failure -> {
            if (entry.claim(Release.ABANDONED)) {
                callback.failed(failure);
            }
        });
        entry.timeout = request.getComponents().getScheduler().schedule(() -> {
            if (entry.claim(Release.REFUSED)) {
                request.getContext().execute(() -> SmallResponse.unavailable(request, response, callback, STARTING));
            }
        }, holdMillis, TimeUnit.MILLISECONDS);
        // the application may have been swapped in between our read of it and the add above
        Handler application = getHandler();
        if (application != null && !waitsForItsApplication(Request.getPathInContext(request)) && entry.claim(Release.SERVED)) {
            dispatch(entry, application);
        } else if (phases.phase() != Phase.DEPLOYING && entry.claim(Release.REFUSED)) {
            SmallResponse.unavailable(request, response, callback, FAILED);
        }
    }

    /**
     * The management port's handler: {@code management} (where other endpoints, such as metrics, may be registered)
     * with health added, showing every check's data whatever {@code berth.health.details} says; nothing of the
     * application (404).
     */
    public Handler managementHandler(BerthEndpoints management) {
        HealthHandler.register(management, healthPath, true, phases, backing, count::get);
        return new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                String path = Request.getPathInContext(request);
                BerthEndpoints.Endpoint endpoint = management.find(path);
                if (endpoint == null) {
                    return false;
                }
                endpoint.handle(path, request, response, callback);
                return true;
            }
        };
    }

    /** How many application requests wait for the deployment now. */
    public int held() {
        return count.get();
    }

    /**
     * Several applications will come, one at each of {@code paths}: a request waits for the one its path maps to (the
     * longest context path that contains it), and the phase is SERVING once all are handed over.
     */
    public void expect(List<String> paths) {
        contextPaths = paths.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
        pending = ConcurrentHashMap.newKeySet();
        pending.addAll(paths);
    }

    /**
     * Swaps the started {@code application} in and sends it every held request that no longer waits for another. With
     * several, {@code application} handles all those handed over so far, now including the one at {@code contextPath};
     * with one, {@code contextPath} is null.
     */
    public void serve(Handler application, String contextPath) {
        if (getHandler() != application) {
            setHandler(application);
        }
        if (contextPath != null) {
            pending.remove(contextPath);
        }
        if (pending.isEmpty()) {
            phases.serving();
        }
        observer.handedOver();
        for (Held entry : held) {
            if (!waitsForItsApplication(Request.getPathInContext(entry.request)) && entry.claim(Release.SERVED)) {
                entry.request.getContext().execute(() -> dispatch(entry, application));
            }
        }
    }

    /** Whether the application this path maps to is still deploying (never, with one application). */
    private boolean waitsForItsApplication(String path) {
        Set<String> waiting = pending;
        if (waiting.isEmpty()) {
            return false;
        }
        for (String contextPath : contextPaths) {
            if (contextPath.equals("/") || path.equals(contextPath) || path.startsWith(contextPath + "/")) {
                return waiting.contains(contextPath);
            }
        }
        return false;
    }

    /** The application will not come: answer every held request 503 now. */
    public void releaseHeld(String reason) {
        for (Held entry : held) {
            if (entry.claim(Release.REFUSED)) {
                entry.request.getContext().execute(() -> SmallResponse.unavailable(entry.request, entry.response, entry.callback, reason));
            }
        }
    }

    private static void dispatch(Held entry, Handler application) {
        try {
            if (!application.handle(entry.request, entry.response, entry.callback)) {
                Response.writeError(entry.request, entry.response, entry.callback, HttpStatus.NOT_FOUND_404);
            }
        } catch (Throwable failure) {
            Response.writeError(entry.request, entry.response, entry.callback, failure);
        }
    }

    @Override
    protected void doStop() throws Exception {
        releaseHeld("stopping");
        super.doStop();
    }

    /** One held request; exactly one of dispatch, timeout, failure or stop claims it. */
    private final class Held {
        final Request request;
        final Response response;
        final Callback callback;
        final AtomicBoolean done = new AtomicBoolean();
        volatile Scheduler.Task timeout;

        Held(Request request, Response response, Callback callback) {
            this.request = request;
            this.response = response;
            this.callback = callback;
        }

        boolean claim(Release release) {
            if (!done.compareAndSet(false, true)) {
                return false;
            }
            held.remove(this);
            count.decrementAndGet();
            observer.released(release, System.nanoTime() - request.getBeginNanoTime());
            Scheduler.Task task = timeout;
            if (task != null) {
                task.cancel();
            }
            return true;
        }
    }
}
