package dev.berth.migrate;

import jakarta.servlet.Servlet;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import java.util.Collections;
import java.util.Enumeration;

/**
 * What the Servlet API methods that Servlet 6.0 removed did, for classes compiled against an older API:
 * {@link RemovedServletMethods} rewrites each call to one of them into a call to the method of the same name
 * here, with the receiver as first argument. Each keeps the old behaviour through the method that replaced it.
 */
public final class ServletBridges {

    private ServletBridges() {
    }

    /** Servlet 2.1 deprecated the message; containers ignored it since. */
    public static void setStatus(HttpServletResponse response, int status, String ignoredMessage) {
        response.setStatus(status);
    }

    public static String encodeUrl(HttpServletResponse response, String url) {
        return response.encodeURL(url);
    }

    public static String encodeRedirectUrl(HttpServletResponse response, String url) {
        return response.encodeRedirectURL(url);
    }

    public static boolean isRequestedSessionIdFromUrl(HttpServletRequest request) {
        return request.isRequestedSessionIdFromURL();
    }

    public static String getRealPath(ServletRequest request, String path) {
        return request.getServletContext().getRealPath(path);
    }

    public static String getRealPath(HttpServletRequest request, String path) {
        return request.getServletContext().getRealPath(path);
    }

    public static Object getValue(HttpSession session, String name) {
        return session.getAttribute(name);
    }

    public static void putValue(HttpSession session, String name, Object value) {
        session.setAttribute(name, value);
    }

    public static void removeValue(HttpSession session, String name) {
        session.removeAttribute(name);
    }

    public static String[] getValueNames(HttpSession session) {
        return Collections.list(session.getAttributeNames()).toArray(String[]::new);
    }

    /** Always null since Servlet 2.1. */
    public static Servlet getServlet(ServletContext context, String name) {
        return null;
    }

    /** Always empty since Servlet 2.1. */
    public static Enumeration<Servlet> getServlets(ServletContext context) {
        return Collections.emptyEnumeration();
    }

    /** Always empty since Servlet 2.1. */
    public static Enumeration<String> getServletNames(ServletContext context) {
        return Collections.emptyEnumeration();
    }

    public static void log(ServletContext context, Exception exception, String message) {
        context.log(message, exception);
    }
}
