package dev.berth.config;

import java.util.regex.Pattern;

/**
 * Hides the passwords that URLs carry ({@code postgres://user:secret@host/db}, {@code redis://:secret@host},
 * {@code jdbc:postgresql://host/db?password=secret}) before a value reaches a log line, an error message or
 * {@code --print-config}.
 */
public final class Secrets {

    public static final String MASK = "****";

    /** The password part of a URL's user info: after the first colon, up to the last @ before the host. */
    private static final Pattern USER_INFO = Pattern.compile("(://[^/?#@:]*:)[^/?#]*@");
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("((?:^|[?&;])password=)[^&;]*", Pattern.CASE_INSENSITIVE);

    private Secrets() {
    }

    /** {@code text} with every URL password replaced by {@link #MASK}; other text as it is. */
    public static String mask(String text) {
        if (text == null || (!text.contains("@") && !text.toLowerCase(java.util.Locale.ROOT).contains("password="))) {
            return text;
        }
        String masked = USER_INFO.matcher(text).replaceAll("$1" + MASK + "@");
        return PASSWORD_PARAMETER.matcher(masked).replaceAll("$1" + MASK);
    }
}
