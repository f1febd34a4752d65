package dev.berth.logging;

import org.eclipse.jetty.logging.JettyLoggerConfiguration;
import org.eclipse.jetty.util.ajax.JSON;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/** java.util.logging's records through Berth's loggers: their level, message, parameters and throwable. */
class JulHandlerTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final BerthLoggerFactory loggers = new BerthLoggerFactory(new JettyLoggerConfiguration(new Properties()));
    /** A JUL logger of this test's own, not the JVM's root, which other tests in this JVM share. */
    private final Logger jul = Logger.getLogger("dev.berth.test.jul" + System.identityHashCode(this));
    private final JulHandler handler = new JulHandler(loggers);

    JulHandlerTest() {
        loggers.appender().to(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
        jul.setUseParentHandlers(false);
        jul.addHandler(handler);
    }

    @AfterEach
    void detach() {
        jul.removeHandler(handler);
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> objects() {
        return bytes.toString(StandardCharsets.UTF_8).lines().map(line -> (Map<String, Object>) new JSON().fromJSON(line)).toList();
    }

    @Test
    void aRecordBecomesAJsonLineOfItsLoggerWithItsParametersFormattedAndItsPasswordMasked() {
        jul.log(Level.INFO, "pool {0} connects to {1}", new Object[] {"shop", "postgres://app:jul-secret@db/shop"});
        assertThat(objects()).singleElement().satisfies(line -> assertThat(line).containsEntry("level", "INFO")
                .containsEntry("logger", jul.getName()).containsEntry("message", "pool shop connects to postgres://app:****@db/shop")
                .containsEntry("thread", Thread.currentThread().getName()));
    }

    @Test
    void aWarningWithAnExceptionIsAWarnLineWithItsStackTrace() {
        jul.log(Level.WARNING, "retrying", new IllegalStateException("refused"));
        assertThat(objects()).singleElement().satisfies(line -> assertThat(line).containsEntry("level", "WARN")
                .containsEntry("message", "retrying").extractingByKey("stackTrace").asString()
                .startsWith("java.lang.IllegalStateException: refused\n\tat "));
    }

    @Test
    void aBraceInARecordWithoutParametersStaysAsWritten() {
        jul.info("a map {} and {0}");
        assertThat(objects()).singleElement().satisfies(line -> assertThat(line).containsEntry("message", "a map {} and {0}"));
    }

    @Test
    void julLevelsMapOntoSlf4jLevelsAndJettysLevelStillFilters() {
        jul.setLevel(Level.ALL);
        jul.severe("severe");
        jul.config("config");
        jul.fine("fine, below Jetty's INFO");
        assertThat(objects()).extracting(line -> line.get("level") + " " + line.get("message")).containsExactly("ERROR severe", "INFO config");
        assertThat(JulHandler.level(Level.FINER)).isEqualTo(org.slf4j.event.Level.DEBUG);
        assertThat(JulHandler.level(Level.FINEST)).isEqualTo(org.slf4j.event.Level.TRACE);
    }
}
