package dev.berth.config;

import dev.berth.base.BerthException;
import dev.berth.base.ExitCode;

import io.smallrye.config.SmallRyeConfig;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks of settings that other settings make necessary, with the sources to name: what a
 * {@link BerthConfig.SessionStore} needs, and URLs that must be readable. A failure is exit 64 naming the property,
 * and for a bad value its source.
 */
final class SettingChecks {

    private final SmallRyeConfig raw;

    SettingChecks(SmallRyeConfig raw) {
        this.raw = raw;
    }

    /** The value of {@code property}, which {@code store} cannot do without ({@code what} says what it should be). */
    String require(BerthConfig.SessionStore store, Optional<String> value, String property, String what) throws BerthException {
        if (value.isEmpty() || value.get().isBlank()) {
            String name = store.name().toLowerCase(Locale.ROOT);
            throw new BerthException(ExitCode.USAGE, "berth.sessions.store=" + name + " needs " + property + ", which is not set",
                    "set " + property + " to " + what + ", or choose another berth.sessions.store");
        }
        return value.get().strip();
    }

    void databaseUrl(String property, String url) throws BerthException {
        try {
            DatabaseUrl.parse(url, Optional.empty(), Optional.empty());
        } catch (IllegalArgumentException e) {
            throw Validation.badValue(raw.getConfigValue(property), e.getMessage());
        }
    }

    void redisUrl(String property, String url) throws BerthException {
        try {
            RedisUrl.parse(URI.create(url));
        } catch (RedisUrl.Rejected e) {
            throw Validation.badValue(raw.getConfigValue(property), e.reason());
        } catch (IllegalArgumentException e) {
            throw Validation.badValue(raw.getConfigValue(property), "not a valid URL");
        }
    }
}
