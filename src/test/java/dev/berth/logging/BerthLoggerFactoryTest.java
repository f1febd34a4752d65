package dev.berth.logging;

import org.eclipse.jetty.logging.JettyLogger;
import org.eclipse.jetty.logging.JettyLoggerConfiguration;
import org.eclipse.jetty.logging.StdErrAppender;
import org.eclipse.jetty.util.ajax.JSON;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** Jetty's loggers with Berth's appender: JSON from the entry's fields, Jetty's own text, every line masked. */
class BerthLoggerFactoryTest {

    private static final long T = Instant.parse("2026-12-04T22:30:01.120Z").toEpochMilli();

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private static BerthLoggerFactory factory(String... keysAndValues) {
        Properties properties = new Properties();
        properties.setProperty("org.eclipse.jetty.logging.appender.NAME_CONDENSE", "true");
        properties.setProperty("org.eclipse.jetty.logging.appender.ZONE_ID", "UTC");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            properties.setProperty(keysAndValues[i], keysAndValues[i + 1]);
        }
        return new BerthLoggerFactory(new JettyLoggerConfiguration(properties));
    }

    private List<String> lines() {
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> onlyObject() {
        assertThat(lines()).hasSize(1);
        return (Map<String, Object>) new JSON().fromJSON(lines().get(0));
    }

    @Test
    void aJsonLineHasAUtcTimestampTheFullLoggerNameAndTheFormattedMessage() {
        BerthLoggerFactory loggers = factory();
        loggers.appender().to(out, true);
        JettyLogger logger = loggers.getJettyLogger("org.eclipse.jetty.server.Server");
        loggers.appender().emit(logger, Level.INFO, T, "main", null, "Started {} in {} ms", "the server", 12);
        assertThat(lines()).containsExactly("{\"timestamp\":\"2026-12-04T22:30:01.120Z\",\"level\":\"INFO\","
                + "\"logger\":\"org.eclipse.jetty.server.Server\",\"thread\":\"main\",\"message\":\"Started the server in 12 ms\"}");
    }

    @Test
    void aLoggedExceptionIsOneMaskedStackTraceFieldWithItsCauses() {
        BerthLoggerFactory loggers = factory();
        loggers.appender().to(out, true);
        SQLException cause = new SQLException("cannot reach postgres://app:cause-secret@db/shop");
        loggers.getLogger("com.example.Pool").warn("Pool {} failed", "shop", new IllegalStateException("no connection", cause));
        Map<String, Object> line = onlyObject();
        assertThat(line).containsEntry("level", "WARN").containsEntry("message", "Pool shop failed");
        assertThat((String) line.get("stackTrace")).startsWith("java.lang.IllegalStateException: no connection\n\tat ")
                .contains("Caused by: java.sql.SQLException: cannot reach postgres://app:****@db/shop").doesNotContain("cause-secret");
        assertThat(Instant.parse((String) line.get("timestamp"))).isNotNull();
    }

    @Test
    void aMessageAndAThreadNameAreMaskedAndANewlineStaysInsideTheJsonString() {
        BerthLoggerFactory loggers = factory();
        loggers.appender().to(out, true);
        JettyLogger logger = loggers.getJettyLogger("com.example.Db");
        loggers.appender().emit(logger, Level.INFO, T, "pool redis://:thread-secret@cache", null, "url {}\nsecond line",
                "jdbc:postgresql://db/shop?user=app&password=msg-secret");
        Map<String, Object> line = onlyObject();
        assertThat(line).containsEntry("message", "url jdbc:postgresql://db/shop?user=app&password=****\nsecond line")
                .containsEntry("thread", "pool redis://:****@cache");
    }

    @Test
    void phaseAndPortAreAddedOnceKnown() {
        BerthLoggerFactory loggers = factory();
        loggers.appender().to(out, true);
        loggers.appender().context(() -> null);
        loggers.getLogger("dev.berth.Berth").info("before");
        loggers.appender().context(() -> new LogContext("SERVING", 8080));
        loggers.getLogger("dev.berth.Berth").info("after");
        assertThat(lines().get(0)).doesNotContain("phase", "port");
        assertThat(lines().get(1)).endsWith("\"message\":\"after\",\"phase\":\"SERVING\",\"port\":8080}");
    }

    @Test
    void textIsJettysOwnLineWithSecretsMasked() {
        BerthLoggerFactory loggers = factory();
        loggers.appender().to(out, false);
        JettyLogger logger = loggers.getJettyLogger("org.eclipse.jetty.server.Server");
        IllegalStateException failure = new IllegalStateException("boom");
        loggers.appender().emit(logger, Level.WARN, T, "main", failure, "Started {} with {}", "x", "redis://:text-secret@cache");

        // what Jetty's own appender writes for the same entry, with the secret already masked
        ByteArrayOutputStream jettys = new ByteArrayOutputStream();
        Properties utc = new Properties();
        utc.setProperty("org.eclipse.jetty.logging.appender.ZONE_ID", "UTC");
        new StdErrAppender(new JettyLoggerConfiguration(utc), new PrintStream(jettys, true, StandardCharsets.UTF_8))
                .emit(logger, Level.WARN, T, "main", failure, "Started {} with {}", "x", "redis://:****@cache");
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(jettys.toString(StandardCharsets.UTF_8))
                .startsWith("2026-12-04 22:30:01.120:WARN :oejs.Server:main: Started x with redis://:****@cache")
                .doesNotContain("text-secret");
    }

    @Test
    void levelsComeFromJettysConfigurationAndASetLevelReachesTheChildren() {
        BerthLoggerFactory loggers = factory("com.example.LEVEL", "DEBUG");
        loggers.appender().to(out, true);
        loggers.getLogger("com.example.Shop").debug("shown");
        loggers.getLogger("org.other.Thing").debug("not shown");
        assertThat(lines()).singleElement().asString().contains("shown");

        JettyLogger child = loggers.getJettyLogger("org.other.Thing");
        assertThat(loggers.setLoggerLevel("org.other", "DEBUG")).isTrue();
        assertThat(child.isDebugEnabled()).isTrue();
        assertThat(loggers.getLoggerLevel("org.other.Thing.Inner")).isEqualTo("DEBUG");
        assertThat(loggers.getLoggerNames()).contains("ROOT", "com.example.Shop", "org.other", "org.other.Thing");
    }

    @Test
    void aLoggerWhoseStacksAreHiddenGetsTheThrowableAfterTheMessage() {
        BerthLoggerFactory loggers = factory();
        loggers.appender().to(out, true);
        loggers.getJettyLogger("com.example.Quiet").setHideStacks(true);
        loggers.getLogger("com.example.Quiet").warn("failed", new IllegalStateException("why"));
        assertThat(onlyObject()).containsEntry("message", "failed: java.lang.IllegalStateException: why").doesNotContainKey("stackTrace");
    }
}
