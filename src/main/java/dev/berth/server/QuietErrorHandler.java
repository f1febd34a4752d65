package dev.berth.server;

import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.nio.charset.Charset;
import java.util.List;

/**
 * The server's error page for what no application answers (a bad request line, an oversized header): the
 * status and its reason phrase, never an exception's message, class or stack. The context of the WAR has
 * the same rule in its own error handler.
 */
final class QuietErrorHandler extends ErrorHandler {

    QuietErrorHandler() {
        setShowStacks(false);
        setShowCauses(false);
        setShowMessageInTitle(false);
    }

    @Override
    protected boolean generateAcceptableResponse(Request request, Response response, Callback callback, String contentType,
                                                 List<Charset> charsets, int code, String message, Throwable cause) throws IOException {
        return super.generateAcceptableResponse(request, response, callback, contentType, charsets, code, HttpStatus.getMessage(code), null);
    }
}
