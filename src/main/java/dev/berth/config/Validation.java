package dev.berth.config;

import dev.berth.base.BerthException;
import dev.berth.base.ExitCode;
import dev.berth.base.Secrets;

import io.smallrye.config.ConfigMappings;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.SmallRyeConfig;

import org.eclipse.jetty.util.security.Password;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.eclipse.microprofile.config.spi.Converter;

import java.io.File;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One pass over the raw configuration that turns bad input into one clear line: unknown keys with a
 * suggestion, then every value converted by the converter the mapping will use (quoted with the key as the
 * user wrote it and its source), then the rules across properties. Only a configuration that passes is
 * mapped, so SmallRye's own, source-less messages never reach the user.
 */
final class Validation {

    static final String ENV_PREFIX = "BERTH_";
    static final int MIN_THREADS = 8;

    private Validation() {
    }

    static BerthConfig validated(SmallRyeConfig config) throws BerthException {
        Catalog catalog = Catalog.get();
        checkUnknownKeys(config, catalog);
        // the keys of a map (berth.datasource.NAME.*) are converted by the mapping itself
        for (Catalog.Entry entry : catalog.entries()) {
            if (!entry.isPattern()) {
                checkValue(config, entry);
            }
        }
        BerthConfig mapped;
        try {
            // maps the already-built configuration (SmallRye's integration API; pinned by ConfigLoaderTest)
            ConfigMappings.registerConfigMappings(config, Set.of(Catalog.MAPPING));
            mapped = config.getConfigMapping(BerthConfig.class);
        } catch (ConfigValidationException e) {
            throw new BerthException(ExitCode.USAGE, "invalid configuration: " + e.getProblem(0).getMessage().replaceFirst("^[\\w.]+Exception: ", ""),
                    "--print-config shows every value and where it came from");
        }
        checkMapKeysFromEnvironment(config, catalog, mapped);
        checkRules(mapped, config);
        return mapped;
    }

    private static void checkUnknownKeys(SmallRyeConfig config, Catalog catalog) throws BerthException {
        for (ConfigSource source : config.getConfigSources()) {
            Source kind = Source.of(source.getOrdinal());
            for (String key : source.getPropertyNames()) {
                if (kind == Source.ENVIRONMENT && key.startsWith(ENV_PREFIX) && catalog.entryForEnv(key).isEmpty()) {
                    throw unknown(key, "environment variable " + key, envNames(catalog));
                }
                if (kind != Source.ENVIRONMENT && key.startsWith(Catalog.PREFIX) && catalog.entry(key).isEmpty()) {
                    ConfigValue value = config.getConfigValue(key);
                    Set<String> valid = catalog.entries().stream().map(kind == Source.COMMAND_LINE ? Catalog.Entry::flag : Catalog.Entry::name)
                            .collect(Collectors.toSet());
                    throw unknown(Source.keyAsWritten(value), Source.describe(value), valid);
                }
            }
        }
    }

    /**
     * BERTH_DATASOURCE_APP_URL names the DataSource app; in BERTH_DATASOURCE_MY_DB_URL the name cannot be told
     * from the underscores, and SmallRye leaves such a variable out: say so rather than lose a DataSource.
     */
    private static void checkMapKeysFromEnvironment(SmallRyeConfig config, Catalog catalog, BerthConfig mapped) throws BerthException {
        for (ConfigSource source : config.getConfigSources()) {
            if (Source.of(source.getOrdinal()) != Source.ENVIRONMENT) {
                continue;
            }
            for (String variable : source.getPropertyNames()) {
                Optional<Catalog.Entry> entry = catalog.entryForEnv(variable);
                if (entry.isPresent() && entry.get().isPattern()) {
                    String[] around = entry.get().envVar().split("NAME", -1);
                    String key = variable.substring(around[0].length(), variable.length() - around[1].length()).toLowerCase(Locale.ROOT);
                    if (!mapped.datasource().containsKey(key)) {
                        throw new BerthException(ExitCode.USAGE, "environment variable " + variable + ": Berth cannot tell the DataSource's name from it",
                                "name the DataSource without '_' (BERTH_DATASOURCE_APP_URL), or set " + entry.get().name() + " as a flag or in a file");
                    }
                }
            }
        }
    }

    private static Set<String> envNames(Catalog catalog) {
        return catalog.entries().stream().map(Catalog.Entry::envVar).collect(Collectors.toSet());
    }

    private static BerthException unknown(String key, String where, Set<String> valid) {
        String suggestion = Suggestions.closest(key, valid).map(c -> "did you mean " + c + "? ").orElse("");
        return new BerthException(ExitCode.USAGE, "unknown setting " + key + " (from " + where + ")", suggestion + "--help lists every setting");
    }

    private static void checkValue(SmallRyeConfig config, Catalog.Entry entry) throws BerthException {
        ConfigValue value = config.getConfigValue(entry.name());
        String raw = value.getRawValue();
        if (raw == null || raw.isBlank()) {
            return;
        }
        if (entry.type().isEnum()) {
            List<String> allowed = new ArrayList<>();
            for (Object constant : entry.type().getEnumConstants()) {
                allowed.add(((Enum<?>) constant).name().toLowerCase(Locale.ROOT).replace('_', '-'));
            }
            if (!allowed.contains(raw.strip().toLowerCase(Locale.ROOT))) {
                throw badValue(value, "not one of " + String.join(", ", allowed));
            }
            return;
        }
        try {
            converter(config, entry).convert(raw);
        } catch (IllegalArgumentException e) {
            throw badValue(value, e.getMessage());
        }
    }

    private static Converter<?> converter(SmallRyeConfig config, Catalog.Entry entry) {
        if (entry.converter().isEmpty()) {
            return config.requireConverter(entry.type());
        }
        try {
            return entry.converter().get().getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create " + entry.converter().get(), e);
        }
    }

    /** Rules across properties: where 0 may stand, basic auth's two halves, enough threads. */
    private static void checkRules(BerthConfig config, SmallRyeConfig raw) throws BerthException {
        checkPorts(config, raw);
        if (config.basicAuth().user().isPresent() != config.basicAuth().password().isPresent()) {
            String missing = config.basicAuth().user().isPresent() ? "berth.basic-auth.password" : "berth.basic-auth.user";
            throw new BerthException(ExitCode.USAGE, "berth.basic-auth.user and berth.basic-auth.password go together; " + missing + " is not set",
                    "set both to protect the application, or neither");
        }
        if (config.basicAuth().password().isPresent()) {
            checkCredential(raw.getConfigValue("berth.basic-auth.password"), config.basicAuth().password().get());
        }
        checkRunFilesDiffer(config, raw);
        checkPaths(config, raw);
        checkMetrics(config.metrics(), config.health().path(), raw);
        // the store's own settings: where it is, and that it can be read; a URL for a store not chosen is never looked at
        config.sessions().store().check(config.sessions(), new SettingChecks(raw));
        for (Map.Entry<String, BerthConfig.DataSource> source : config.datasource().entrySet()) {
            new SettingChecks(raw).databaseUrl("berth.datasource." + source.getKey() + ".url", source.getValue().url());
        }
        if (config.threads().max() < MIN_THREADS) {
            throw badValue(raw.getConfigValue("berth.threads.max"), "Jetty needs at least " + MIN_THREADS + " threads (acceptors, selectors and requests)");
        }
        if (config.threads().min() > config.threads().max()) {
            throw badValue(raw.getConfigValue("berth.threads.min"), "more than berth.threads.max=" + config.threads().max());
        }
    }

    /** The candidates: 0 (any free port) only last, no range from 0; the management port none of them. */
    private static void checkPorts(BerthConfig config, SmallRyeConfig raw) throws BerthException {
        List<PortList.Range> candidates = new ArrayList<>();
        config.port().ifPresent(p -> candidates.add(PortList.Range.of(p)));
        candidates.addAll(config.fallbackPorts().ranges());
        for (int i = 0; i < candidates.size(); i++) {
            PortList.Range range = candidates.get(i);
            if (range.first() == 0 && range.last() != 0) {
                throw badValue(raw.getConfigValue("berth.fallback-ports"), "a range cannot start at 0 (0 means any free port)");
            }
            if (range.first() == 0 && i < candidates.size() - 1) {
                String property = i == 0 && config.port().isPresent() ? "berth.port" : "berth.fallback-ports";
                throw badValue(raw.getConfigValue(property),
                        "0 (any free port) always binds, so it may only be the last candidate; put it last or empty berth.fallback-ports");
            }
        }
        int management = config.management().port().orElse(0);
        if (management != 0 && candidates.stream().anyMatch(range -> range.first() <= management && management <= range.last())) {
            throw badValue(raw.getConfigValue("berth.management.port"), "the main port's candidates (berth.port, berth.fallback-ports) "
                    + "include it; the management port needs one of its own");
        }
    }

    /**
     * Served metrics have a path that is not one of health's; the OTLP endpoint is an http(s) URL, its headers
     * NAME=VALUE pairs, its pushes a second apart or more.
     */
    private static void checkMetrics(BerthConfig.Metrics metrics, String health, SmallRyeConfig raw) throws BerthException {
        String path = metrics.path();
        if (metrics.enabled() && !health.isEmpty() && (path.equals(health) || path.startsWith(health + "/"))) {
            throw badValue(raw.getConfigValue("berth.metrics.path"), "the health endpoints live under " + health,
                    "give metrics a path of their own (the default is /metrics)");
        }
        if (metrics.enabled() && path.isEmpty()) {
            throw badValue(raw.getConfigValue("berth.metrics.path"), "berth.metrics.enabled=true needs a path to serve metrics at",
                    "give a path (the default is /metrics), or set berth.metrics.enabled=false");
        }
        if (metrics.otlp().url().isPresent()) {
            String url = metrics.otlp().url().get().strip();
            URI uri = null;
            try {
                uri = new URI(url);
            } catch (URISyntaxException e) {
                // reported below
            }
            if (uri == null || uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw badValue(raw.getConfigValue("berth.metrics.otlp.url"), "not an http or https URL",
                        "give the OTLP/HTTP endpoint of metrics, for example https://otlp.example.com/v1/metrics");
            }
        }
        if (metrics.otlp().headers().isPresent()) {
            try {
                OtlpHeaders.parse(metrics.otlp().headers().get());
            } catch (IllegalArgumentException e) {
                throw badValue(raw.getConfigValue("berth.metrics.otlp.headers"), Secrets.MASK, e.getMessage(),
                        "write the headers as NAME=VALUE,NAME=VALUE, each value percent-encoded (Authorization=Bearer%20TOKEN)");
            }
        }
        if (metrics.otlp().interval().compareTo(Duration.ofSeconds(1)) < 0) {
            throw badValue(raw.getConfigValue("berth.metrics.otlp.interval"), "shorter than a second (pushes go at most once a second)",
                    "give 1s or more (the default is 60s)");
        }
    }

    /** The pid file, the port file and the unix socket are three files: one path for two would have Berth refuse itself. */
    private static void checkRunFilesDiffer(BerthConfig config, SmallRyeConfig raw) throws BerthException {
        Map<Path, String> seen = new HashMap<>();
        Map<String, Optional<String>> files = new LinkedHashMap<>();
        files.put("berth.pid-file", config.pidFile());
        files.put("berth.port-file", config.portFile());
        files.put("berth.unix-socket", config.unixSocket());
        for (Map.Entry<String, Optional<String>> file : files.entrySet()) {
            if (file.getValue().isPresent()) {
                Path path = Path.of(file.getValue().get()).toAbsolutePath().normalize();
                String other = seen.putIfAbsent(path, file.getKey());
                if (other != null) {
                    throw badValue(raw.getConfigValue(file.getKey()), "the same file as " + other + "; each needs a path of its own");
                }
            }
        }
    }

    /**
     * The basic-auth password is read as Jetty reads a credential: {@code OBF:} (obfuscated with Jetty's
     * {@code Password} tool), {@code MD5:} (the hex MD5 digest) and {@code CRYPT:} (a crypt(3) hash) are forms,
     * anything else is the password itself. A form that Jetty could not read would fail the start with an
     * exception, or never match: it is refused here, the value masked.
     */
    private static void checkCredential(ConfigValue value, String password) throws BerthException {
        String reason = null;
        if (password.startsWith("OBF:")) {
            try {
                Password.deobfuscate(password);
            } catch (RuntimeException e) {
                reason = "OBF: is not followed by a password Jetty's Password tool obfuscated";
            }
        } else if (password.startsWith("MD5:") && !password.substring(4).matches("[0-9a-fA-F]{32}")) {
            reason = "MD5: is not followed by the 32 hex digits of an MD5 digest";
        } else if (password.startsWith("CRYPT:") && password.length() == "CRYPT:".length()) {
            reason = "CRYPT: is not followed by a crypt(3) hash";
        }
        if (reason != null) {
            throw badValue(value, Secrets.MASK, reason, "write the password itself, or a form Jetty's Password tool makes: "
                    + "java -cp berth.jar org.eclipse.jetty.util.security.Password USER PASSWORD");
        }
    }

    /**
     * Files and folders named by settings exist, and are what they must be, before anything is bound: found
     * missing at deployment, they would be exit 70 with advice about the application, or silently ignored.
     */
    private static void checkPaths(BerthConfig config, SmallRyeConfig raw) throws BerthException {
        if (config.contextXml().isPresent()) {
            Path file = Path.of(config.contextXml().get().strip()).toAbsolutePath();
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                throw badValue(raw.getConfigValue("berth.context-xml"), file + " is not a readable file",
                        "give the path of a Tomcat context.xml, or leave berth.context-xml out");
            }
        }
        if (config.login().usersFile().isPresent()) {
            Path file = Path.of(config.login().usersFile().get().strip()).toAbsolutePath();
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                throw badValue(raw.getConfigValue("berth.login.users-file"), file + " is not a readable file",
                        "give a readable Jetty users file (lines of user: password,role,...) or leave berth.login.users-file out");
            }
        }
        if (config.classpath().isPresent()) {
            for (String entry : config.classpath().get().split(File.pathSeparator)) {
                Path path = entry.isBlank() ? null : Path.of(entry.strip()).toAbsolutePath();
                if (path != null && !Files.exists(path)) {
                    throw badValue(raw.getConfigValue("berth.classpath"), "names " + path + ", which does not exist",
                            "list jar files or class folders that exist, separated by " + File.pathSeparator);
                }
            }
        }
        if (config.sessions().file().dir().isPresent()) {
            Path dir = Path.of(config.sessions().file().dir().get().strip()).toAbsolutePath();
            if (Files.exists(dir) && !Files.isDirectory(dir)) {
                throw badValue(raw.getConfigValue("berth.sessions.file.dir"), dir + " is a file, not a folder",
                        "give a folder (Berth creates it when it is missing) on a persistent disk");
            }
        }
    }

    static BerthException badValue(ConfigValue value, String reason) {
        return badValue(value, reason, "fix the value, or leave it out to use the default (--help shows each setting)");
    }

    private static BerthException badValue(ConfigValue value, String reason, String action) {
        return badValue(value, Secrets.mask(value.getRawValue()), reason, action);
    }

    /** Exit 64 naming the key as written, the value as {@code shown} (masked), its source and why it is refused. */
    private static BerthException badValue(ConfigValue value, String shown, String reason, String action) {
        return new BerthException(ExitCode.USAGE, Source.keyAsWritten(value) + "=" + shown + " from " + Source.describe(value) + ": " + reason,
                action);
    }
}
