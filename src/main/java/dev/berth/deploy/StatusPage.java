package dev.berth.deploy;

import dev.berth.base.Version;
import dev.berth.http.SmallResponse;

import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.time.Duration;
import java.time.Instant;

/**
 * What Berth serves when it is given no WAR: one small page at {@code /} with the version, the bound
 * port and the uptime, so a bare {@code java -jar berth.jar} shows that it works.
 */
final class StatusPage extends Handler.Abstract.NonBlocking {

    private final int port;
    private final Instant started = Instant.now();

    public StatusPage(int port) {
        this.port = port;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!Request.getPathInContext(request).equals("/")) {
            Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
        } else if (!SmallResponse.refusedUnlessRead(request, response, callback)) {
            SmallResponse.write(request, response, callback, HttpStatus.OK_200, SmallResponse.HTML, html());
        }
        return true;
    }

    private String html() {
        Duration uptime = Duration.between(started, Instant.now());
        return """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><title>Berth</title></head>
                <body style="font-family: system-ui, sans-serif; margin: 3em">
                <h1>Berth is running</h1>
                <p>No WAR was given, so this status page is all there is to serve.</p>
                <table>
                <tr><th align="left">version</th><td>%s</td></tr>
                <tr><th align="left">port</th><td>%d</td></tr>
                <tr><th align="left">uptime</th><td>%d s</td></tr>
                </table>
                <p>Run your application with <code>java -jar berth.jar app.war</code>;
                <code>--help</code> lists every setting.</p>
                </body></html>
                """.formatted(Version.current(), port, uptime.toSeconds());
    }
}
