package dev.berth.config;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The login a URL carries before its host ({@code user:password@}), percent-decoded as database and Redis URLs are
 * written; a {@code +} stays a plus, as it does in a password. No colon means a user without a password.
 */
record UserInfo(String user, Optional<String> password) {

    static Optional<UserInfo> of(URI url) {
        String raw = url.getRawUserInfo();
        if (raw == null) {
            return Optional.empty();
        }
        int colon = raw.indexOf(':');
        return Optional.of(colon < 0 ? new UserInfo(decode(raw), Optional.empty())
                : new UserInfo(decode(raw.substring(0, colon)), Optional.of(decode(raw.substring(colon + 1)))));
    }

    private static String decode(String part) {
        return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
