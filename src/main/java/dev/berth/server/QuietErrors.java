package dev.berth.server;

import dev.berth.http.SmallResponse;

import org.eclipse.jetty.ee11.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.Charset;
import java.util.List;

/**
 * Error pages that tell the client the status and its reason phrase and nothing else: never an exception's
 * message, class, cause or stack, never the servlet's name. The detail stays in the log, where Jetty writes it
 * once per failure. The application's own error pages (error-page in web.xml) still answer first. A 503
 * says when to try again (Retry-After).
 */
final class QuietErrors {

    private QuietErrors() {
    }

    /** For what no application answers: a bad request line, an oversized header. */
    static ErrorHandler forServer() {
        return new ServerErrors();
    }

    /** For the WAR's context, in place of Jetty's ErrorPageErrorHandler. */
    static ErrorPageErrorHandler forWebApp() {
        return new WebAppErrors();
    }

    private static void quiet(ErrorHandler handler) {
        handler.setShowStacks(false);
        handler.setShowCauses(false);
        handler.setShowMessageInTitle(false);
        handler.setShowOrigin(false);
    }

    private static void writeStatus(Writer writer, int code) throws IOException {
        writer.write("<h2>HTTP ERROR " + code + " " + HttpStatus.getMessage(code) + "</h2>\n");
    }

    // The two classes below make the same two overrides: they extend different Jetty classes (the core error
    // handler and the servlet one), and Java has no way to share overrides across two hierarchies.
    private static final class ServerErrors extends ErrorHandler {
        ServerErrors() {
            quiet(this);
        }

        @Override
        protected boolean generateAcceptableResponse(Request request, Response response, Callback callback, String contentType,
                                                     List<Charset> charsets, int code, String message, Throwable cause) throws IOException {
            RequestIds.echo(request, response);
            return super.generateAcceptableResponse(request, response, callback, contentType, charsets, code, HttpStatus.getMessage(code), null);
        }

        @Override
        protected void writeErrorHtmlMessage(Request request, Writer writer, int code, String message, Throwable cause, String uri) throws IOException {
            writeStatus(writer, code);
        }
    }

    private static final class WebAppErrors extends ErrorPageErrorHandler {
        WebAppErrors() {
            quiet(this);
        }

        @Override
        protected boolean generateAcceptableResponse(Request request, Response response, Callback callback, String contentType,
                                                     List<Charset> charsets, int code, String message, Throwable cause) throws IOException {
            RequestIds.echo(request, response);
            // 503 is temporary (a session store away): say when to come back, as Berth's own 503s do
            if (code == HttpStatus.SERVICE_UNAVAILABLE_503 && !response.getHeaders().contains(HttpHeader.RETRY_AFTER)) {
                response.getHeaders().put(HttpHeader.RETRY_AFTER, SmallResponse.RETRY_AFTER_SECONDS);
            }
            return super.generateAcceptableResponse(request, response, callback, contentType, charsets, code, HttpStatus.getMessage(code), null);
        }

        @Override
        protected void writeErrorHtmlMessage(Request request, Writer writer, int code, String message, Throwable cause, String uri) throws IOException {
            writeStatus(writer, code);
        }
    }
}
