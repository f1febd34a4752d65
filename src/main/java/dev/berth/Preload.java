package dev.berth;

import java.util.List;

/**
 * Loads the classes the first health answer needs (Jetty's server, connector, HTTP parser and generator; then the zip
 * reader that unpacks the WAR) on a thread of its own, while the main thread reads the settings, as Spring
 * Boot's {@code BackgroundPreinitializer} does: with two cores or more, the loading of one overlaps the other. With
 * one, it would only compete, so it does not run. Nothing depends on it: a class it has not loaded yet loads when it is
 * first used, as without it, and what it meets is ignored.
 */
final class Preload {

    /** Roots: each loads and initializes the classes it needs, as the start would, in about the start's order. */
    private static final List<String> CLASSES = List.of(
            "org.eclipse.jetty.util.thread.QueuedThreadPool",
            "org.eclipse.jetty.server.Server",
            "org.eclipse.jetty.http.MimeTypes",
            "org.eclipse.jetty.http.PreEncodedHttpField",
            "org.eclipse.jetty.io.ArrayByteBufferPool",
            "org.eclipse.jetty.util.thread.ScheduledExecutorScheduler",
            "org.eclipse.jetty.ee11.servlet.ErrorPageErrorHandler",
            "org.eclipse.jetty.server.HttpConfiguration",
            "org.eclipse.jetty.server.HttpConnectionFactory",
            "org.eclipse.jetty.server.internal.HttpConnection",
            "org.eclipse.jetty.server.ServerConnector",
            "org.eclipse.jetty.io.ManagedSelector",
            "org.eclipse.jetty.server.handler.GracefulHandler",
            "org.eclipse.jetty.server.handler.HotSwapHandler",
            "org.eclipse.jetty.http.HttpParser",
            "org.eclipse.jetty.http.HttpGenerator",
            "org.eclipse.jetty.server.internal.HttpChannelState",
            // the claim's temporary folder names come from its SecureRandom (the security providers, /dev/urandom)
            "java.nio.file.TempFileHelper",
            // the unpacking's zip reader, after health: the check before it reads the zip's table itself
            "org.apache.commons.compress.archivers.zip.ZipFile",
            "org.apache.commons.compress.archivers.zip.ExtraFieldUtils");

    private Preload() {
    }

    /** Starts the loading, when there is a second core to do it on. */
    static void start() {
        if (Runtime.getRuntime().availableProcessors() < 2) {
            return;
        }
        Thread thread = new Thread(Preload::run, "berth-preload");
        thread.setDaemon(true);
        thread.start();
    }

    private static void run() {
        ClassLoader loader = Preload.class.getClassLoader();
        for (String name : CLASSES) {
            try {
                Class.forName(name, true, loader);
            } catch (ReflectiveOperationException | LinkageError e) {
                // loaded on first use instead
            }
        }
    }
}
