package dev.berth.config;

import dev.berth.BerthException;
import dev.berth.ExitCode;

import io.smallrye.config.ConfigValue;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;

import org.eclipse.microprofile.config.spi.ConfigSource;
import org.eclipse.microprofile.config.spi.Converter;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The checks that turn bad input into one clear line: unknown keys with a suggestion, and bad values
 * quoted with the key as the user wrote it and the source it came from.
 */
final class Validation {

    static final String ENV_PREFIX = "BERTH_";
    static final int MIN_THREADS = 8;

    private Validation() {
    }

    static void checkUnknownKeys(SmallRyeConfig config, Catalog catalog) throws BerthException {
        Set<String> names = catalog.entries().stream().map(Catalog.Entry::name).collect(Collectors.toSet());
        Set<String> envNames = catalog.entries().stream().map(Catalog.Entry::envVar).collect(Collectors.toSet());
        for (ConfigSource source : config.getConfigSources()) {
            boolean env = source.getName().startsWith(EnvConfigSource.NAME);
            for (String key : source.getPropertyNames()) {
                if (env && key.startsWith(ENV_PREFIX) && !envNames.contains(key)) {
                    throw unknown(key, "environment variable " + key, envNames);
                }
                if (!env && key.startsWith(Catalog.PREFIX) && !names.contains(key)) {
                    String where = Sources.describe(key, source.getName());
                    String written = Sources.keyAsWritten(key, source.getName());
                    Set<String> valid = source.getName().equals(Sources.FLAGS)
                            ? catalog.entries().stream().map(Catalog.Entry::flag).collect(Collectors.toSet())
                            : names;
                    throw unknown(written, where, valid);
                }
            }
        }
    }

    private static BerthException unknown(String key, String where, Set<String> valid) {
        Optional<String> closest = Suggestions.closest(key, valid);
        return new BerthException(ExitCode.USAGE, "unknown setting " + key + " (from " + where + ")",
                closest.map(c -> "did you mean " + c + "? ").orElse("") + "--help lists every setting");
    }

    /** Converts every set value with the converter the mapping will use, to report the first bad one well. */
    static void checkValues(SmallRyeConfig config, Catalog catalog) throws BerthException {
        for (Catalog.Entry entry : catalog.entries()) {
            ConfigValue value = config.getConfigValue(entry.name());
            String raw = value.getRawValue();
            if (raw == null || raw.isBlank()) {
                continue;
            }
            if (entry.elementType().isEnum()) {
                checkEnum(entry, value, raw);
                continue;
            }
            Converter<?> converter = entry.explicitConverter()
                    .orElseGet(() -> config.getConverter(boxed(entry.elementType())).orElse(null));
            if (converter == null) {
                continue;
            }
            try {
                converter.convert(raw);
            } catch (IllegalArgumentException e) {
                throw badValue(entry.name(), raw, value.getSourceName(), e.getMessage());
            }
        }
    }

    private static void checkEnum(Catalog.Entry entry, ConfigValue value, String raw) throws BerthException {
        List<String> allowed = new ArrayList<>();
        for (Object constant : entry.elementType().getEnumConstants()) {
            allowed.add(((Enum<?>) constant).name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        }
        if (!allowed.contains(raw.strip().toLowerCase(java.util.Locale.ROOT))) {
            throw badValue(entry.name(), raw, value.getSourceName(), "not one of " + String.join(", ", allowed));
        }
    }

    /** Rules across properties: a candidate of 0 binds anything, so only the last candidate may be 0. */
    static void checkCombinations(BerthConfig config, SmallRyeConfig raw) throws BerthException {
        List<PortRange> candidates = new ArrayList<>();
        config.port().ifPresent(p -> candidates.add(PortRange.of(p)));
        candidates.addAll(config.fallbackPorts().ranges());
        for (int i = 0; i < candidates.size(); i++) {
            PortRange range = candidates.get(i);
            boolean zero = range.first() == 0;
            if (zero && range.last() != 0) {
                throw badCandidate("berth.fallback-ports", raw, "a range cannot start at 0 (0 means any free port)");
            }
            if (zero && i < candidates.size() - 1) {
                String property = i == 0 && config.port().isPresent() ? "berth.port" : "berth.fallback-ports";
                throw badCandidate(property, raw,
                        "0 (any free port) always binds, so it may only be the last candidate; put it last or empty berth.fallback-ports");
            }
        }
    }

    /** Basic auth needs both halves; Jetty needs a few threads for its selectors and acceptors. */
    static void checkSettings(BerthConfig config, SmallRyeConfig raw) throws BerthException {
        if (config.basicAuth().user().isPresent() != config.basicAuth().password().isPresent()) {
            String missing = config.basicAuth().user().isPresent() ? "berth.basic-auth.password" : "berth.basic-auth.user";
            throw new BerthException(ExitCode.USAGE, "berth.basic-auth.user and berth.basic-auth.password go together; " + missing + " is not set",
                    "set both to protect the application, or neither");
        }
        if (config.threads().max() < MIN_THREADS) {
            ConfigValue value = raw.getConfigValue("berth.threads.max");
            throw badValue("berth.threads.max", value.getRawValue(), value.getSourceName(),
                    "Jetty needs at least " + MIN_THREADS + " threads (acceptors, selectors and requests)");
        }
        if (config.threads().min() > config.threads().max()) {
            ConfigValue value = raw.getConfigValue("berth.threads.min");
            throw badValue("berth.threads.min", value.getRawValue(), value.getSourceName(),
                    "more than berth.threads.max=" + config.threads().max());
        }
    }

    private static BerthException badCandidate(String property, SmallRyeConfig raw, String reason) {
        ConfigValue value = raw.getConfigValue(property);
        return badValue(property, value.getRawValue(), value.getSourceName(), reason);
    }

    static BerthException badValue(String property, String raw, String sourceName, String reason) {
        String written = Sources.keyAsWritten(property, sourceName);
        String where = Sources.describe(property, sourceName);
        return new BerthException(ExitCode.USAGE, written + "=" + raw + " from " + where + ": " + reason,
                "fix the value, or leave it out to use the default (--help shows each setting)");
    }

    @SuppressWarnings("unchecked")
    private static <T> Class<T> boxed(Class<?> type) {
        if (type == int.class) {
            return (Class<T>) Integer.class;
        }
        if (type == long.class) {
            return (Class<T>) Long.class;
        }
        if (type == boolean.class) {
            return (Class<T>) Boolean.class;
        }
        return (Class<T>) type;
    }
}
