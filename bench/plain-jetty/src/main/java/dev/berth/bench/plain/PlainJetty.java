package dev.berth.bench.plain;

import org.eclipse.jetty.ee11.webapp.WebAppContext;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

import java.nio.file.Path;

/**
 * Plain embedded Jetty 12.1 ee11, the floor Berth is measured against.
 *
 * <pre>
 * java -jar plain-jetty.jar war   HOST PORT app.war   # WebAppContext at /, configurations found on the class path
 * java -jar plain-jetty.jar hello HOST PORT           # a core Handler answering 200 to everything, no WAR
 * </pre>
 *
 * One ServerConnector, Jetty's default QueuedThreadPool, stop on SIGTERM through Jetty's own shutdown hook.
 */
public final class PlainJetty {

    private PlainJetty() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3 || !(args[0].equals("war") && args.length == 4 || args[0].equals("hello") && args.length == 3)) {
            System.err.println("usage: plain-jetty war HOST PORT app.war | plain-jetty hello HOST PORT");
            System.exit(64);
        }
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(args[1]);
        connector.setPort(Integer.parseInt(args[2]));
        server.addConnector(connector);
        if (args[0].equals("war")) {
            // the ee11 Configurations (webapp, annotations, JSP, websocket, ...) are discovered through
            // ServiceLoader from the class path, exactly as in Berth's Application.newWebAppContext
            WebAppContext webapp = new WebAppContext();
            webapp.setContextPath("/");
            webapp.setWar(Path.of(args[3]).toAbsolutePath().toString());
            server.setHandler(webapp);
        } else {
            server.setHandler(new Hello());
        }
        server.setStopAtShutdown(true);
        server.start();
        server.join();
    }

    /** The hello-world core handler. */
    private static final class Hello extends Handler.Abstract.NonBlocking {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            response.setStatus(200);
            response.getHeaders().put("Content-Type", "text/plain;charset=UTF-8");
            Content.Sink.write(response, true, "Hello, world\n", callback);
            return true;
        }
    }
}
