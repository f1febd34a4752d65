package dev.berth.server;

import dev.berth.config.BerthConfig;

import org.eclipse.jetty.compression.gzip.GzipCompression;
import org.eclipse.jetty.compression.server.CompressionConfig;
import org.eclipse.jetty.compression.server.CompressionHandler;
import org.eclipse.jetty.security.Constraint;
import org.eclipse.jetty.security.HashLoginService;
import org.eclipse.jetty.security.SecurityHandler;
import org.eclipse.jetty.security.UserStore;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.security.Credential;

/**
 * What stands between the hand-over and the application: a limit on the threads the application may hold, the
 * event streams a drain ends, staging Basic authentication, then gzip compression. Health requests never enter
 * this chain (the hand-over answers them first), so they are neither limited, compressed nor protected.
 */
final class ApplicationChain {

    private static final String ROLE = "berth-staging";

    private ApplicationChain() {
    }

    static Handler wrap(Handler application, BerthConfig config, Server server) {
        Handler handler = application;
        if (config.compression()) {
            CompressionHandler compression = new CompressionHandler(handler);
            managed(compression, handler);
            compression.putCompression(new GzipCompression());
            compression.putConfiguration("/*", CompressionConfig.builder().defaults().build());
            handler = new WhenAccepted(compression, handler);
        }
        if (config.basicAuth().user().isPresent()) {
            handler = basicAuth(handler, config.basicAuth().user().get(), config.basicAuth().password().orElseThrow());
        }
        return ApplicationThreads.around(new QueryLimit(new EventStreams(handler), config.http().queryMaxKeys()), server);
    }

    private static Handler basicAuth(Handler handler, String user, String password) {
        UserStore users = new UserStore();
        users.addUser(user, Credential.getCredential(password), new String[] {ROLE});
        HashLoginService login = new HashLoginService("berth");
        login.setUserStore(users);
        SecurityHandler.PathMapped security = new SecurityHandler.PathMapped();
        security.setRealmName("berth");
        security.setLoginService(login);
        security.setAuthenticator(new ChallengingBasicAuthenticator());
        security.put("/*", Constraint.from(ROLE));
        security.setHandler(handler);
        managed(security, handler);
        return security;
    }

    /**
     * Sends a request through compression only when the client accepts an encoding: the handler's
     * per-request work (path mapping, response wrapping) measurably costs clients that never compress.
     */
    private static final class WhenAccepted extends Handler.Wrapper {
        private final Handler application;

        WhenAccepted(CompressionHandler compression, Handler application) {
            super(compression);
            this.application = application;
            managed(this, compression);
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            Handler next = request.getHeaders().contains(HttpHeader.ACCEPT_ENCODING) ? getHandler() : application;
            return next.handle(request, response, callback);
        }
    }

    /**
     * Refuses a query string with more parameters than {@code berth.http.query-max-keys} (400), as Jetty
     * refuses such a form: parsing thousands of keys costs the server, not the client.
     */
    private static final class QueryLimit extends Handler.Wrapper {
        private final int maxKeys;

        QueryLimit(Handler application, int maxKeys) {
            super(application);
            this.maxKeys = maxKeys;
            managed(this, application);
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            String query = request.getHttpURI().getQuery();
            if (query != null && query.length() >= maxKeys && keys(query) > maxKeys) {
                Response.writeError(request, response, callback, HttpStatus.BAD_REQUEST_400, "too many query parameters");
                return true;
            }
            return getHandler().handle(request, response, callback);
        }

        private static int keys(String query) {
            int keys = 1;
            for (int i = 0; i < query.length(); i++) {
                if (query.charAt(i) == '&') {
                    keys++;
                }
            }
            return keys;
        }
    }

    /**
     * A wrapper adds an already started child as an unmanaged bean, which its stop would skip: the
     * application must stop with the server (its contextDestroyed runs), so the wrapper manages it.
     */
    private static void managed(Handler.Wrapper wrapper, Handler child) {
        wrapper.manage(child);
    }
}
