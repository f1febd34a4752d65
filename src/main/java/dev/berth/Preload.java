package dev.berth;

import java.util.List;

/**
 * Loads classes on a thread of their own before the thread that needs them gets there, as Spring Boot's
 * {@code BackgroundPreinitializer} does: first what the first health answer needs (Jetty's server, connector, HTTP
 * parser and generator) while the main thread reads the settings; then, once health answers, what every deployment
 * needs (Jetty's web application context and its configurations, JSP's and WebSocket's initializers, the default
 * servlet) ahead of the deployment's own thread. With two cores or more, the loading overlaps the work; with one, it
 * would only compete, so it does not run. Nothing depends on it: a class it has not loaded yet loads when it is first
 * used, as without it, and what it meets is ignored.
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
            // the run files' temporary names, written once health answers (SecureRandom)
            "java.nio.file.TempFileHelper");

    /** Roots of what every deployment loads, in its order. */
    private static final List<String> DEPLOYMENT = List.of(
            "org.eclipse.jetty.ee11.webapp.WebAppContext",
            "org.eclipse.jetty.ee11.servlet.ServletHandler",
            "org.eclipse.jetty.ee11.servlet.security.ConstraintSecurityHandler",
            "org.eclipse.jetty.ee11.webapp.Configurations",
            "org.eclipse.jetty.ee11.webapp.WebXmlConfiguration",
            "org.eclipse.jetty.ee11.webapp.WebInfConfiguration",
            "org.eclipse.jetty.ee11.webapp.MetaInfConfiguration",
            "org.eclipse.jetty.ee11.webapp.FragmentConfiguration",
            "org.eclipse.jetty.ee11.webapp.JettyWebXmlConfiguration",
            "org.eclipse.jetty.ee11.plus.webapp.EnvConfiguration",
            "org.eclipse.jetty.ee11.plus.webapp.PlusConfiguration",
            "org.eclipse.jetty.ee11.annotations.AnnotationConfiguration",
            "org.eclipse.jetty.xml.XmlParser",
            "org.eclipse.jetty.jndi.NamingContext",
            "org.eclipse.jetty.jndi.java.javaRootURLContext",
            "org.eclipse.jetty.ee11.webapp.StandardDescriptorProcessor",
            "org.eclipse.jetty.ee11.plus.webapp.PlusDescriptorProcessor",
            "org.eclipse.jetty.ee11.annotations.AnnotationDecorator",
            "org.eclipse.jetty.annotations.AnnotationParser",
            "org.objectweb.asm.ClassReader",
            "org.objectweb.asm.ClassWriter",
            "org.eclipse.jetty.ee11.apache.jsp.JettyJasperInitializer",
            "org.apache.tomcat.util.descriptor.tld.TldParser",
            "org.apache.tomcat.util.digester.Digester",
            "org.eclipse.jetty.ee11.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer",
            "org.eclipse.jetty.ee11.websocket.jakarta.server.JakartaWebSocketServerContainer",
            "org.eclipse.jetty.websocket.core.WebSocketExtensionRegistry",
            "org.eclipse.jetty.websocket.core.server.WebSocketMappings",
            "org.eclipse.jetty.ee11.websocket.servlet.WebSocketUpgradeFilter",
            "org.eclipse.jetty.session.DefaultSessionCache",
            "org.eclipse.jetty.session.DefaultSessionIdManager",
            "org.apache.jasper.compiler.JspRuntimeContext",
            "org.apache.jasper.EmbeddedServletOptions",
            "org.eclipse.jetty.ee11.servlet.DefaultServlet",
            "org.eclipse.jetty.http.content.CachingHttpContentFactory",
            "org.eclipse.jetty.compression.server.CompressionHandler",
            "org.eclipse.jetty.compression.gzip.GzipCompression");

    private Preload() {
    }

    /** Starts the loading of what health needs, when there is a second core to do it on. */
    static void start() {
        start(CLASSES, "berth-preload");
    }

    /**
     * Starts the loading of what the deployment needs, when there is a second core: called once health answers, so that
     * it does not compete with the start for the jar and the cores, while the deployment's own thread loads the same
     * classes from the first on.
     */
    static void deployment() {
        start(DEPLOYMENT, "berth-preload-deployment");
    }

    private static void start(List<String> roots, String name) {
        if (Runtime.getRuntime().availableProcessors() < 2) {
            return;
        }
        Thread thread = new Thread(() -> load(roots), name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void load(List<String> roots) {
        ClassLoader loader = Preload.class.getClassLoader();
        for (String name : roots) {
            try {
                Class.forName(name, true, loader);
            } catch (ReflectiveOperationException | LinkageError e) {
                // loaded on first use instead
            }
        }
    }
}
