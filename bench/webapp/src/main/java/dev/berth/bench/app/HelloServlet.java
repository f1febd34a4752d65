package dev.berth.bench.app;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * The page every launcher is measured on. {@code ?sleep=MS} (at most 10 s) holds the request that long first:
 * the "request in flight" of the SIGTERM measurement.
 */
@WebServlet(urlPatterns = "/hello", loadOnStartup = 1)
public class HelloServlet extends HttpServlet {

    private static final long MAX_SLEEP_MILLIS = 10_000;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String sleep = request.getParameter("sleep");
        if (sleep != null) {
            try {
                Thread.sleep(Math.min(MAX_SLEEP_MILLIS, Math.max(0, Long.parseLong(sleep))));
            } catch (NumberFormatException e) {
                response.sendError(HttpServletResponse.SC_BAD_REQUEST, "sleep must be a number of milliseconds");
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "interrupted");
                return;
            }
        }
        response.setContentType("text/plain;charset=UTF-8");
        response.getWriter().write("Hello from the bench WAR\n");
    }
}
