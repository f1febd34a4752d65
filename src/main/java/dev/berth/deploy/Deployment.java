package dev.berth.deploy;

import dev.berth.backing.BackingServices;
import dev.berth.base.BerthException;
import dev.berth.base.Causes;
import dev.berth.base.ExitCode;
import dev.berth.base.Timeline;
import dev.berth.config.BerthConfig;
import dev.berth.files.WorkDirectory;
import dev.berth.handover.HandOverHandler;
import dev.berth.handover.PhaseTracker;
import dev.berth.sessions.SessionStores;

import org.eclipse.jetty.ee11.webapp.WebAppContext;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.util.component.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Deploys the application on a thread of its own while the bootstrap health answers, then hands it over.
 * A context Jetty leaves unavailable without throwing is caught here and reported as a failure.
 */
public final class Deployment {

    private static final Logger LOG = LoggerFactory.getLogger(Deployment.class);

    private final Server server;
    private final WorkDirectory work;
    private final HandOverHandler handOver;
    private final PhaseTracker phases;
    private final List<Application> applications;
    private final BackingServices backing;
    private final SessionStores sessions;
    private final UnaryOperator<Handler> gate;
    private final UnaryOperator<Handler> chain;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final Object lock = new Object();
    private static final long CANCEL_WAIT_MILLIS = 3000;

    private Thread thread;
    private boolean cancelled;

    /**
     * {@code backing} are the services the applications need (each starts once they answer); {@code gate} wraps each
     * started application in what is its own (the session store's gate), {@code chain} what stands before them all
     * (authentication, compression). With no application, the status page serves.
     */
    public Deployment(Server server, HandOverHandler handOver, PhaseTracker phases, List<Application> applications,
                      WorkDirectory work, BackingServices backing, SessionStores sessions, UnaryOperator<Handler> gate,
                      UnaryOperator<Handler> chain) {
        this.server = server;
        this.work = work;
        this.handOver = handOver;
        this.phases = phases;
        this.applications = applications;
        this.backing = backing;
        this.sessions = sessions;
        this.gate = gate;
        this.chain = chain;
    }

    public void start() {
        thread = new Thread(this::run, "berth-deploy");
        thread.setDaemon(true);
        thread.start();
    }

    /** Whether several WARs deploy (one after the other). */
    public boolean several() {
        return applications.size() > 1;
    }

    /** Completes when the application serves; fails with exit code 70 when it cannot. */
    public CompletableFuture<Void> done() {
        return done;
    }

    private void run() {
        if (applications.isEmpty()) {
            servePage();
        } else if (applications.size() == 1) {
            if (deployed(applications.get(0), chain, null)) {
                LOG.info("{} deployed in {} ms; serving on port {}", applications.get(0).name(), phases.deploymentMillis(), phases.port());
                done.complete(null);
            }
        } else {
            deploySeveral();
        }
    }

    /** No WAR: the status page. */
    private void servePage() {
        try {
            if (handedOver(() -> chain.apply(new StatusPage(phases.port())), null)) {
                LOG.info("Status page deployed in {} ms; serving on port {}", phases.deploymentMillis(), phases.port());
                done.complete(null);
            }
        } catch (RuntimeException | Error failure) {
            if (!isCancelled()) {
                fail(null, failure);
            }
        }
    }

    /**
     * Deploys one WAR on this thread and hands it over ({@code serving} makes the handler the server gets from the
     * started one, under the hand-over's lock); true once it serves. A failure is reported (unless a stop came
     * first) and a context that never went into service is stopped here, on the thread that started it.
     */
    private boolean deployed(Application application, UnaryOperator<Handler> serving, String contextPath) {
        Timeline timeline = new Timeline();
        WebAppContext webapp = null;
        try {
            webapp = WebApps.newContext(application, server, work, backing, timeline);
            sessions.configure(webapp);
            backing.awaitUp();
            timeline.mark("backing services");
            Handler handler = gate.apply(started(webapp));
            timeline.mark("start");
            if (handedOver(() -> serving.apply(handler), contextPath)) {
                timeline.mark("hand-over");
                LOG.debug("Deployment of {}: {}", application.name(), timeline.describe());
                return true;
            }
        } catch (Throwable failure) {
            if (!isCancelled()) {
                fail(application, failure);
            }
        }
        if (webapp != null) {
            stopQuietly(webapp);
        }
        // the stop may come before the context exists (while the WAR is converted or unpacked)
        if (isCancelled()) {
            LOG.info("Deployment of {} interrupted by the stop after {} ms", application.name(), phases.deploymentMillis());
        }
        return false;
    }

    /**
     * A context that failed to start can fail to stop too (a filter that could not load is started again while
     * another is removed): the failure is already reported, so this is a line in the log, not a stack trace.
     */
    private static void stopQuietly(WebAppContext webapp) {
        try {
            LifeCycle.stop(webapp);
        } catch (RuntimeException e) {
            LOG.warn("Stopping the context that failed met {}", rootCause(e));
        }
    }

    /** Starts the context; Jetty may leave it unavailable without throwing, which is a failure too. */
    private static Handler started(WebAppContext webapp) throws Throwable {
        webapp.start();
        if (!webapp.isAvailable()) {
            Throwable cause = webapp.getUnavailableException();
            throw cause != null ? cause : new IllegalStateException("the context is unavailable (no cause given)");
        }
        return webapp;
    }

    /**
     * Several WARs, deployed one after the other on this thread, each handed over as soon as it serves: requests for
     * the others wait. They share the chain before them (one {@link ContextHandlerCollection}); a failure of one is
     * the deployment's failure ({@code berth.deploy.on-failure}), named after that WAR.
     */
    private void deploySeveral() {
        ContextHandlerCollection contexts = new ContextHandlerCollection();
        Handler chained = chain.apply(contexts);
        handOver.expect(applications.stream().map(Application::contextPath).toList());
        for (Application application : applications) {
            if (isCancelled()) {
                LOG.info("Deployment of {} not begun: the stop came first", application.name());
                return;
            }
            long begin = System.nanoTime();
            boolean serving = deployed(application, handler -> {
                contexts.addHandler(handler);
                // added started, it would be an unmanaged bean, which the server's stop skips
                contexts.manage(handler);
                return chained;
            }, application.contextPath());
            if (!serving) {
                return;
            }
            LOG.info("{} deployed at {} in {} ms; serving on port {}", application.name(), application.contextPath(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin), phases.port());
        }
        LOG.info("{} WARs deployed in {} ms; serving on port {}", applications.size(), phases.deploymentMillis(), phases.port());
        done.complete(null);
    }

    /** Swaps the handler in unless a stop came first; it is made under the lock, so a stop cannot come in between. */
    private boolean handedOver(Supplier<Handler> handler, String contextPath) {
        synchronized (lock) {
            if (cancelled) {
                return false;
            }
            handOver.serve(handler.get(), contextPath);
            return true;
        }
    }

    private boolean isCancelled() {
        synchronized (lock) {
            return cancelled;
        }
    }

    private void fail(Application application, Throwable cause) {
        String name = application == null ? "Status page" : application.name();
        phases.failed();
        handOver.releaseHeld(HandOverHandler.FAILED);
        String root = rootCause(cause);
        LOG.error("{} failed to deploy after {} ms: {}", name, phases.deploymentMillis(), root);
        BerthConfig.MigrateMode migrate = application == null ? BerthConfig.MigrateMode.AUTO : application.config().migrate().mode();
        done.completeExceptionally(new BerthException(ExitCode.SOFTWARE, name + " failed to deploy: " + root, Diagnosis.action(cause, migrate)));
    }

    /**
     * A stop arrived during deployment: interrupts it and waits a bounded time for the deploy thread to
     * stop the half-started context. A WAR that ignores interrupts cannot hold the process hostage: the
     * thread is a daemon and the stop goes on without it.
     */
    public void cancel(Duration wait) {
        synchronized (lock) {
            if (done.isDone()) {
                return;
            }
            cancelled = true;
        }
        done.cancel(false);
        if (thread != null && thread.isAlive()) {
            thread.interrupt();
            try {
                thread.join(Math.max(1, Math.min(CANCEL_WAIT_MILLIS, wait.toMillis())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                LOG.warn("The deployment did not stop within {} ms of the interrupt; stopping without it", Math.min(CANCEL_WAIT_MILLIS, wait.toMillis()));
            }
        }
    }

    static String rootCause(Throwable t) {
        Throwable root = Causes.root(t);
        String message = root.getMessage();
        return root.getClass().getName() + (message == null ? "" : ": " + message.lines().findFirst().orElse(""));
    }
}
