package dev.berth.sessions;

import org.eclipse.jetty.session.SessionContext;

/**
 * Names the Redis keys of one context's sessions: {@code prefix + canonicalContextPath + "_" + vhost + ":" + id},
 * the context part as Jetty's file and JDBC stores identify a context, so two web applications (or two virtual
 * hosts) sharing one Redis never see each other's sessions.
 */
final class SessionKeys {

    private final String prefix;
    private final String contextPrefix;

    SessionKeys(String prefix, SessionContext context) {
        this.prefix = prefix;
        this.contextPrefix = prefix + context.getCanonicalContextPath() + "_" + context.getVhost() + ":";
    }

    String key(String id) {
        return contextPrefix + id;
    }

    String idOf(String key) {
        return key.substring(contextPrefix.length());
    }

    /** SCAN pattern for this context's sessions. */
    String contextPattern() {
        return glob(contextPrefix) + "*";
    }

    /** SCAN pattern for the sessions of every context under the prefix. */
    String allPattern() {
        return glob(prefix) + "*";
    }

    /** Escapes what SCAN's MATCH would read as a wildcard (a virtual host may be {@code *.example.com}). */
    private static String glob(String literal) {
        StringBuilder escaped = new StringBuilder(literal.length() + 8);
        for (char c : literal.toCharArray()) {
            if ("*?[]\\".indexOf(c) >= 0) {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }
}
