package dev.berth.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * A database location as platforms give it, made into what JDBC takes. A {@code jdbc:} URL is kept as it
 * is; Render's and Heroku's {@code postgres://user:password@host:port/db?sslmode=require} (or
 * {@code postgresql://}) becomes {@code jdbc:postgresql://host:port/db?sslmode=require} with the user and
 * password carried beside it, so they never sit in the URL that drivers and pools print. {@code mysql://} and
 * {@code mariadb://} (Heroku's MySQL add-ons) become {@code jdbc:mysql://} and {@code jdbc:mariadb://} the same
 * way; their drivers come with the WAR or {@code berth.classpath}.
 */
public record DatabaseUrl(String jdbcUrl, Optional<String> username, Optional<String> password) {

    private static final int POSTGRES_PORT = 5432;
    private static final int MYSQL_PORT = 3306;

    /**
     * Parses {@code url}; {@code username} and {@code password}, when given, win over the URL's own.
     * Throws {@link IllegalArgumentException} saying what is wrong, never quoting the password.
     */
    public static DatabaseUrl parse(String url, Optional<String> username, Optional<String> password) {
        String trimmed = url.strip();
        String scheme = trimmed.contains(":") ? trimmed.substring(0, trimmed.indexOf(':')).toLowerCase(Locale.ROOT) : "";
        return switch (scheme) {
            case "jdbc" -> new DatabaseUrl(trimmed, username, password);
            case "postgres", "postgresql" -> fromPlatform("postgresql", POSTGRES_PORT, trimmed, username, password);
            case "mysql" -> fromPlatform("mysql", MYSQL_PORT, trimmed, username, password);
            case "mariadb" -> fromPlatform("mariadb", MYSQL_PORT, trimmed, username, password);
            default -> throw new IllegalArgumentException("not a JDBC URL (jdbc:...) nor a postgres://, mysql:// or mariadb:// URL");
        };
    }

    private static DatabaseUrl fromPlatform(String driver, int defaultPort, String url, Optional<String> username, Optional<String> password) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a valid URL (" + e.getReason() + ")");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("the URL names no host");
        }
        String database = uri.getRawPath() == null ? "" : uri.getRawPath().replaceFirst("^/", "");
        if (database.isEmpty()) {
            throw new IllegalArgumentException("the URL names no database (" + uri.getScheme() + "://user:password@host:port/database)");
        }
        int port = uri.getPort() < 0 ? defaultPort : uri.getPort();
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        String jdbc = "jdbc:" + driver + "://" + uri.getHost() + ":" + port + "/" + database + query;
        Optional<UserInfo> login = UserInfo.of(uri);
        Optional<String> user = login.map(UserInfo::user).filter(u -> !u.isEmpty());
        Optional<String> secret = login.flatMap(UserInfo::password);
        return new DatabaseUrl(jdbc, username.isPresent() ? username : user, password.isPresent() ? password : secret);
    }

    @Override
    public String toString() {
        return jdbcUrl + username.map(u -> " as " + u).orElse("");
    }
}
