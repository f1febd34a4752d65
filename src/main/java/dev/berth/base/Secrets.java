package dev.berth.base;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Hides the secrets that URLs and HTTP headers carry before a value reaches a log line, an error message or
 * {@code --print-config}: a URL's password in every form a JDBC driver or Redis client takes
 * ({@code postgres://user:secret@host/db}, a password with a raw {@code /} or {@code @}, {@code redis://:secret@host},
 * a scheme with one slash, {@code jdbc:oracle:thin:user/secret@host}, {@code ?password=}, {@code sslpassword=},
 * {@code keyStorePassword=}, {@code pwd=}), and the value of an {@code Authorization}, {@code Proxy-Authorization},
 * {@code Cookie} or {@code Set-Cookie} header as Jetty's debug output shows it, and the raw request bytes Jetty's
 * debug output dumps. It masks too much rather than too
 * little: in a URL whose query holds an {@code @}, everything up to that {@code @} after the user's name goes.
 */
public final class Secrets {

    public static final String MASK = "****";

    /** A URL's user info: the user's name, then the password up to the last @ of the URL (which has no spaces). */
    private static final Pattern USER_INFO = Pattern.compile("(:/{1,2}[^/?#@:\\s]*:)\\S*@");
    /** Oracle's thin URL: {@code jdbc:oracle:thin:user/password@host}. */
    private static final Pattern ORACLE = Pattern.compile("(jdbc:oracle:\\w+:[^/@:\\s]+/)\\S*@");
    /**
     * A parameter whose name ends in password (password, sslpassword, keyStorePassword, ...), pwd, token, secret or key
     * (api-key, api_key, apikey: a metrics endpoint's key in its URL).
     */
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("((?:^|[?&;\\s])[\\w.-]*(?:password|pwd|token|secret|key)=)[^&;\\s]*",
            Pattern.CASE_INSENSITIVE);
    /** Jetty's HttpParser at DEBUG: {@code parsedHeader(Cookie: ..., headerString=[Cookie], valueString=[...])}. */
    private static final Pattern PARSED_VALUE = Pattern.compile("(valueString=\\[)[^\\]]*");
    /** Jetty's buffer dumps at DEBUG ({@code {<<<GET / HTTP/1.1\r\n...>>>}}): raw request bytes, credentials among them. */
    private static final Pattern RAW_BYTES = Pattern.compile("<<<.*?>>>", Pattern.DOTALL);
    private static final Pattern HEADER = Pattern.compile("((?:Proxy-)?Authorization|(?:Set-)?Cookie)(\\s*[:=]\\s*)[^\\r\\n,}\\]]+",
            Pattern.CASE_INSENSITIVE);

    private Secrets() {
    }

    /** {@code text} with every URL password and credential header value replaced by {@link #MASK}; other text as it is. */
    public static String mask(String text) {
        if (text == null) {
            return null;
        }
        String lower = text.toLowerCase(Locale.ROOT);
        String masked = text;
        if (text.indexOf('@') >= 0) {
            masked = ORACLE.matcher(USER_INFO.matcher(masked).replaceAll("$1" + MASK + "@")).replaceAll("$1" + MASK + "@");
        }
        if (lower.contains("password=") || lower.contains("pwd=") || lower.contains("token=") || lower.contains("secret=")
                || lower.contains("key=")) {
            masked = PASSWORD_PARAMETER.matcher(masked).replaceAll("$1" + MASK);
        }
        if (lower.contains("authorization") || lower.contains("cookie")) {
            masked = PARSED_VALUE.matcher(HEADER.matcher(masked).replaceAll("$1$2" + MASK)).replaceAll("$1" + MASK);
        }
        if (text.contains("<<<")) {
            masked = RAW_BYTES.matcher(masked).replaceAll("<<<" + MASK + ">>>");
        }
        return masked;
    }
}
