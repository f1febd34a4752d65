package dev.berth.bench;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Starts a Jetty server whose only job is to answer {@code GET /health/live} while "the WAR deploys", with
 * either (A) {@code core}: a core {@link Handler} on the Request/Response API, as Berth does now, or (B)
 * {@code servlet}: an ee11 {@link ServletContextHandler} with one {@link HttpServlet}. Everything else
 * (thread pool, connector, JSON) is the same. Usage: {@code java -jar bootstrap-probe.jar core|servlet PORT}.
 */
public final class BootstrapProbe {

    private BootstrapProbe() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !(args[0].equals("core") || args[0].equals("servlet"))) {
            System.err.println("usage: java -jar bootstrap-probe.jar core|servlet PORT");
            System.exit(2);
        }
        String mode = args[0];
        int port = Integer.parseInt(args[1]);

        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("probe");
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);

        byte[] body = json(port);
        // each mode is set up in its own class, so that verifying this one loads neither mode's classes
        if (mode.equals("core")) {
            CoreHealth.install(server, body);
        } else {
            ServletHealth.install(server, body);
        }
        server.start();
        server.join();
    }

    static byte[] json(int port) {
        return ("{\"status\":\"UP\",\"checks\":[{\"name\":\"berth-live\",\"status\":\"UP\",\"data\":{\"phase\":\"DEPLOYING\",\"port\":"
                + port + "}}]}").getBytes(StandardCharsets.UTF_8);
    }

    /** (A) The core Jetty API: no servlet classes are touched. */
    static final class CoreHealth extends Handler.Abstract.NonBlocking {
        private final byte[] body;

        CoreHealth(byte[] body) {
            this.body = body;
        }

        static void install(Server server, byte[] body) {
            server.setHandler(new CoreHealth(body));
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            if (!HttpMethod.GET.is(request.getMethod()) || !"/health/live".equals(Request.getPathInContext(request))) {
                return false; // the server answers 404
            }
            response.setStatus(HttpStatus.OK_200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
            response.write(true, ByteBuffer.wrap(body), callback);
            return true;
        }
    }

    /** (B) A servlet context with one servlet mapped to /health/*. */
    static final class ServletHealth extends HttpServlet {
        private final byte[] body;

        ServletHealth(byte[] body) {
            this.body = body;
        }

        static void install(Server server, byte[] body) {
            ServletContextHandler context = new ServletContextHandler("/");
            context.addServlet(new ServletHealth(body), "/health/*");
            server.setHandler(context);
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            if (!"/live".equals(request.getPathInfo())) {
                response.sendError(HttpServletResponse.SC_NOT_FOUND);
                return;
            }
            response.setStatus(HttpServletResponse.SC_OK);
            response.setContentType("application/json");
            response.setHeader("Cache-Control", "no-store");
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
        }
    }
}
