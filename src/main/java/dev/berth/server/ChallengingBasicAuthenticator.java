package dev.berth.server;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.security.AuthenticationState;
import org.eclipse.jetty.security.Authenticator;
import org.eclipse.jetty.security.DefaultAuthenticatorFactory;
import org.eclipse.jetty.security.ServerAuthException;
import org.eclipse.jetty.security.authentication.BasicAuthenticator;
import org.eclipse.jetty.server.Context;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;

/**
 * HTTP Basic that treats a malformed {@code Authorization} header ({@code Basic !!!}, or two schemes in one
 * header) as no credentials: the client is challenged with 401. Jetty's own authenticator lets the base64
 * error escape, which answers 500 and logs a stack trace per request — a free log flood for anyone.
 */
final class ChallengingBasicAuthenticator extends BasicAuthenticator {

    @Override
    public AuthenticationState validateRequest(Request request, Response response, Callback callback) throws ServerAuthException {
        try {
            return super.validateRequest(request, response, callback);
        } catch (IllegalArgumentException malformed) {
            return super.validateRequest(withoutAuthorization(request), response, callback);
        }
    }

    private static Request withoutAuthorization(Request request) {
        HttpFields headers = HttpFields.build(request.getHeaders()).remove(HttpHeader.AUTHORIZATION).asImmutable();
        return new Request.Wrapper(request) {
            @Override
            public HttpFields getHeaders() {
                return headers;
            }
        };
    }

    /** Jetty's authenticators for a WAR's login-config, with this one for BASIC. */
    static final class Factory extends DefaultAuthenticatorFactory {
        @Override
        public Authenticator getAuthenticator(Server server, Context context, Authenticator.Configuration configuration) {
            Authenticator authenticator = super.getAuthenticator(server, context, configuration);
            return authenticator instanceof BasicAuthenticator ? new ChallengingBasicAuthenticator() : authenticator;
        }
    }
}
