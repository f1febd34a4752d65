package dev.berth.config;

import dev.berth.base.Secrets;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a Redis (or Valkey) server is and how to log in, read from a URL in the form Redis clients share
 * (Render Key Value gives one):
 * {@code redis://[[user]:password@]host[:port][/database]}, or {@code rediss://} for TLS.
 * Its {@link #toString()} masks the password, so an endpoint can be logged or put in a message as it is.
 */
public record RedisUrl(String host, int port, String user, String password, int database, boolean tls) {

    public static final int DEFAULT_PORT = 6379;
    private static final String MASK = Secrets.MASK;

    /** Reads the URL; the message of a rejected URL shows it with its password masked. */
    public static RedisUrl parse(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (url.isOpaque() || !(scheme.equals("redis") || scheme.equals("rediss"))) {
            throw rejected(url, "expected redis://host:port or rediss://host:port");
        }
        if (url.getHost() == null) {
            throw rejected(url, "no host name, or one that is not a valid host name");
        }
        if (url.getRawQuery() != null || url.getRawFragment() != null) {
            throw rejected(url, "query parameters and fragments are not supported");
        }
        String[] login = login(url);
        return new RedisUrl(bare(url.getHost()), url.getPort() < 0 ? DEFAULT_PORT : url.getPort(),
            login[0], login[1], database(url), scheme.equals("rediss"));
    }

    /** The URL with its password, if any, replaced by {@value #MASK}; for URLs that could not be parsed. */
    static String mask(URI url) {
        String authority = url.getRawAuthority();
        if (url.isOpaque() || authority == null) {
            return url.getScheme() == null ? "(a URL without a scheme)" : url.getScheme() + ":" + MASK;
        }
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = authority.substring(0, at);
            int colon = userInfo.indexOf(':');
            authority = (colon < 0 ? "" : userInfo.substring(0, colon)) + ":" + MASK + authority.substring(at);
        }
        return url.getScheme() + "://" + authority + (url.getRawPath() == null ? "" : url.getRawPath());
    }

    /** The URL again, its password masked: {@code redis://:****@host:6379/0}. */
    @Override
    public String toString() {
        String login = password == null ? "" : (user == null ? "" : user) + ":" + MASK + "@";
        String shownHost = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return (tls ? "rediss" : "redis") + "://" + login + shownHost + ":" + port + "/" + database;
    }

    /** User and password; either may be null. A user without a password is rejected: it is most likely a password. */
    private static String[] login(URI url) {
        Optional<UserInfo> login = UserInfo.of(url);
        if (login.isEmpty()) {
            return new String[] {null, null};
        }
        String user = login.get().user();
        String password = login.get().password()
                .orElseThrow(() -> rejected(url, "put the password after a colon: redis://:PASSWORD@host or redis://USER:PASSWORD@host"));
        return new String[] {user.isEmpty() ? null : user, password.isEmpty() ? null : password};
    }

    private static int database(URI url) {
        String path = url.getPath() == null ? "" : url.getPath();
        String index = path.startsWith("/") ? path.substring(1) : path;
        if (index.isEmpty()) {
            return 0;
        }
        if (!index.chars().allMatch(Character::isDigit) || index.length() > 5) {
            throw rejected(url, "the path must be a database number such as /0, not /" + index);
        }
        return Integer.parseInt(index);
    }

    private static String bare(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static Rejected rejected(URI url, String why) {
        return new Rejected("Not a usable Redis URL: " + mask(url) + " (" + why + ")", why);
    }

    /** A URL that names no usable server; {@link #reason()} says why without quoting the URL. */
    public static final class Rejected extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final String reason;

        Rejected(String message, String reason) {
            super(message);
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }
}
